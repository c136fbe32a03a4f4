#!/usr/bin/env bash
# Runs faceanon's tests under AddressSanitizer + UndefinedBehaviorSanitizer +
# LeakSanitizer, then under valgrind memcheck, and says which memory errors,
# undefined behaviour or leaks they found.
#
# Usage: tools/dev/check-memory.sh [asan|valgrind|all]      (default: all)
#   SANITIZE_DIR=DIR    the sanitizer build folder (default: _build-sanitize)
#   BUILD_DIR=DIR       the plain build valgrind runs (default: build)
#   ASAN_TESTS=..       meson test selection for ASan (default: --suite unit
#                       --suite element --suite robust)
#   VALGRIND_SUITES=..  meson suites for valgrind (default: unit)
#   VALGRIND_TESTS=..   element tests for valgrind (default: a subset, below)
#
# Third-party noise only is suppressed: tests/lsan.supp (LeakSanitizer) and
# tests/valgrind.supp (valgrind, with GLib's own glib.supp). A report with a
# faceanon function in its stack is never suppressed. Logs are in
# DIR/meson-logs/testlog*.txt. Takes about 40 minutes on 2 shared cores.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
what=${1:-all}
san=${SANITIZE_DIR:-$top/_build-sanitize}
plain=${BUILD_DIR:-$top/build}
jobs=${JOBS:-1}

note() { echo "check-memory: $*"; }
die() { echo "check-memory: ERROR: $*" >&2; exit 1; }

# The models next to a build, as tools/run-tests.sh installs them.
models_for() {
  if [ -d "$plain/models" ] && [ "$1" != "$plain" ]; then
    mkdir -p "$1/models"
    cp -a "$plain/models/." "$1/models/"
  else
    "$top/models/fetch-models.sh" "$1/models"
  fi
}

rc=0

run_asan() {
  # GCC's -fsanitize=undefined leaves out float-cast-overflow: a float out
  # of the range of the int it is cast to is exactly what hostile boxes do.
  local extra="-fno-omit-frame-pointer -fsanitize=float-cast-overflow"
  if [ ! -f "$san/build.ninja" ]; then
    meson setup "$san" "$top" -Db_sanitize=address,undefined -Db_lundef=false \
      -Dbuildtype=debugoptimized -Dc_args="$extra" -Dcpp_args="$extra"
  fi
  meson compile -C "$san"
  models_for "$san"

  # The registry is scanned by gst-plugin-scanner, which is not built with
  # ASan and could not load the plugin: run it with the sanitizer runtimes
  # preloaded, so that the tests themselves load only the plugins they use.
  local scanner="$san/asan-plugin-scanner"
  local scanner_dir
  scanner_dir=$(pkg-config --variable=pluginscannerdir gstreamer-1.0)
  printf '#!/bin/sh\n# written by tools/dev/check-memory.sh\nLD_PRELOAD="%s %s" ASAN_OPTIONS=detect_leaks=0 exec "%s" "$@"\n' \
    "$(gcc -print-file-name=libasan.so)" "$(gcc -print-file-name=libubsan.so)" \
    "$scanner_dir/gst-plugin-scanner" >"$scanner"
  chmod +x "$scanner"
  rm -f "$san/tests/registry.bin"

  # ASan: every error fatal, leaks checked at exit, stacks unwound without
  # frame pointers (GLib has none), 15 frames deep (deeper is much slower);
  # UBSan: every report fatal, with its stack. intercept_strstr=0: ASan's
  # strstr() check measures the whole haystack on every call, so g_strsplit
  # of test_hostile_privacy_zones' 1 MB of ';' is quadratic (over 10 min).
  local suites=(--suite unit --suite element --suite robust)
  [ -n "${ASAN_TESTS:-}" ] && read -r -a suites <<<"$ASAN_TESTS"
  note "ASan+UBSan+LSan: ${suites[*]}"
  env ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=15:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:intercept_strstr=0" \
    LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    GST_PLUGIN_SCANNER_1_0="$scanner" G_SLICE=always-malloc G_DEBUG=gc-friendly \
    CK_TIMEOUT_MULTIPLIER=6 \
    meson test -C "$san" --no-rebuild --print-errorlogs "${suites[@]}" \
      --num-processes "$jobs" --timeout-multiplier 6 || rc=1
  summarize "$san" "ASan+UBSan+LSan"
}

run_valgrind() {
  local supp="--suppressions=$top/tests/valgrind.supp"
  local glib_supp=/usr/share/glib-2.0/valgrind/glib.supp
  local vg
  command -v valgrind >/dev/null || die "install valgrind (apt-get install valgrind)"
  [ -f "$glib_supp" ] && supp="$supp --suppressions=$glib_supp"
  vg="valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite --num-callers=40 $supp"
  [ -f "$plain/build.ninja" ] || meson setup "$plain" "$top"
  meson compile -C "$plain"
  [ -d "$plain/models" ] || models_for "$plain"

  # The engine's unit tests, whole; of the element tests the ones that run
  # a few frames each (a DNN under valgrind is ~50x slower).
  local suites=${VALGRIND_SUITES:-unit}
  local tests=${VALGRIND_TESTS:-test-faceanon test-failure test-robust-models test-robust}
  local args=()
  for s in $suites; do args+=(--suite "$s"); done
  note "valgrind: suites $suites"
  env CK_FORK=no G_SLICE=always-malloc G_DEBUG=gc-friendly CK_TIMEOUT_MULTIPLIER=20 \
    meson test -C "$plain" --no-rebuild --print-errorlogs "${args[@]}" \
      --wrap="$vg" --num-processes "$jobs" --timeout-multiplier 20 || rc=1
  # meson names the logs of a --wrap run after the wrapper, and the next
  # run would overwrite them: keep the unit suite's
  for f in "$plain"/meson-logs/testlog-valgrind.{txt,json}; do
    [ -f "$f" ] && cp "$f" "${f/testlog-valgrind/testlog-valgrind-unit}"
  done
  summarize "$plain" "valgrind (unit)" testlog-valgrind-unit
  note "valgrind: $tests"
  # of each, the cases that are not about time or size
  local valgrind_checks=test_photo_face_hidden,test_no_face_untouched,test_bad_model,test_properties_while_playing,test_on_failure_error,test_on_failure_mask_frame,test_on_failure_drop,test_model_path_works,test_renegotiate_while_playing,test_bad_caps,test_short_buffer,test_lying_video_meta,test_tiny_frames,test_out_of_range_properties,test_hostile_privacy_zones,test_upstream_hostile_faces,test_eos_before_frames
  env CK_FORK=no G_SLICE=always-malloc G_DEBUG=gc-friendly CK_TIMEOUT_MULTIPLIER=20 \
    GST_CHECKS="${VALGRIND_CHECKS:-$valgrind_checks}" \
    meson test -C "$plain" --no-rebuild --print-errorlogs $tests \
      --wrap="$vg" --num-processes "$jobs" --timeout-multiplier 20 || rc=1
  summarize "$plain" "valgrind (element)" testlog-valgrind
}

# One line per test, and the first lines of every report.
# summarize BUILD_DIR LABEL [LOG]   (LOG: meson-logs/LOG.txt, default testlog)
summarize() {
  local log="$1/meson-logs/${3:-testlog}.txt"
  [ -f "$log" ] || return 0
  note "$2: results"
  python3 - "${log%.txt}.json" <<'PY' || true
import json, sys
for l in open(sys.argv[1]):
    t = json.loads(l)
    print(f"  {t['name']:40s} {t['result']:12s} {t['duration']:.1f} s")
PY
  grep -E -m 20 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|definitely lost in|Invalid (read|write)|uninitialised|SUMMARY: |ERROR SUMMARY: [1-9]' "$log" | sort | uniq -c || true
}

case $what in
  asan) run_asan ;;
  valgrind) run_valgrind ;;
  all) run_asan; run_valgrind ;;
  *) die "usage: $0 [asan|valgrind|all]" ;;
esac
if [ $rc -eq 0 ]; then note "no memory error, undefined behaviour or leak found"; else note "FAILED: see the reports above"; fi
exit $rc
