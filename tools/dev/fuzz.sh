#!/usr/bin/env bash
# Builds faceanon's libFuzzer harnesses (tests/fuzz) with clang, ASan and
# UBSan, runs each for a set time, and prints per harness the executions,
# the findings, and which share of the engine's sources its corpus reaches.
#
# Usage: tools/dev/fuzz.sh [SECONDS] [HARNESS...]
#   SECONDS   time per harness (default 300)
#   HARNESS   fuzz-mask, fuzz-decode (default: both)
#   FUZZ_DIR=DIR   the clang build folder (default: _build-fuzz)
#   COVERAGE=0     no coverage report (llvm-cov) at the end
#   JOBS=N         libFuzzer workers per harness (default 1; the machine is shared)
#
# The corpus grows in FUZZ_DIR/corpus/HARNESS and is reused by the next run.
# A finding is written to FUZZ_DIR/findings/HARNESS-crash-* (or -timeout-,
# -oom-, -leak-); replay it with FUZZ_DIR/tests/fuzz/HARNESS FILE.
# Exit status: 0 when no harness found anything.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-300}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz-mask fuzz-decode)
dir=${FUZZ_DIR:-$top/_build-fuzz}
jobs=${JOBS:-1}

note() { echo "fuzz: $*"; }
die() { echo "fuzz: ERROR: $*" >&2; exit 1; }

command -v clang >/dev/null || die "install clang (apt-get install clang libclang-rt-14-dev)"
if [ ! -f "$dir/build.ninja" ]; then
  CC=clang CXX=clang++ meson setup "$dir" "$top" -Dfuzzing=enabled \
    -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$dir" "${harnesses[@]/#/tests/fuzz/}" >/dev/null

rc=0
mkdir -p "$dir/findings"
summary=()
for h in "${harnesses[@]}"; do
  exe=$dir/tests/fuzz/$h
  corpus=$dir/corpus/$h
  log=$dir/findings/$h.log
  [ -x "$exe" ] || die "no harness $h"
  mkdir -p "$corpus"
  before=$(find "$dir/findings" -maxdepth 1 -name "$h-*" ! -name '*.log' | wc -l)
  note "$h: ${secs} s, corpus $(ls "$corpus" | wc -l) inputs"
  # -timeout: a single input slower than this is a finding (a kernel that
  # never ends)
  par=()
  [ "$jobs" -gt 1 ] && par=(-jobs="$jobs" -workers="$jobs")
  set +e
  (cd "$dir/findings" && "$exe" "$corpus" -max_total_time="$secs" \
    -timeout=20 -rss_limit_mb=2048 -max_len=1024 -len_control=0 \
    -print_final_stats=1 \
    "${par[@]}" -artifact_prefix="$dir/findings/$h-") >"$log" 2>&1
  status=$?
  set -e
  # with -jobs, each worker logs to fuzz-N.log in the working directory
  if [ "$jobs" -gt 1 ]; then
    cat "$dir"/findings/fuzz-*.log >>"$log" 2>/dev/null || true
    rm -f "$dir"/findings/fuzz-*.log
  fi
  after=$(find "$dir/findings" -maxdepth 1 -name "$h-*" ! -name '*.log' | wc -l)
  execs=$(grep -h 'stat::number_of_executed_units' "$log" | awk '{s += $2} END {print s + 0}')
  rate=$(grep -h 'stat::average_exec_per_sec' "$log" | awk '{s += $2} END {print s + 0}')
  last=$(grep -hE '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1)
  cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/\1 edges, \2 features, corpus \3/p' <<<"$last")
  found=$((after - before))
  echo
  note "$h: $execs executions ($rate/s), $cov, $found new findings (exit $status)"
  if [ "$found" -gt 0 ] || { [ "$status" -ne 0 ] && ! grep -q 'Done [0-9]* runs' "$log"; }; then
    rc=1
    grep -hE 'ERROR: |runtime error|fuzz-(mask|decode): ' "$log" | head -5 || true
    ls -1 "$dir/findings/$h-"* | grep -v '\.log$' || true
  fi
  summary+=("$h: $execs executions, $cov, $found findings")
done

# Line and region coverage of the engine's sources, from replaying each
# corpus through the harness built with source-based coverage.
if [ "${COVERAGE:-1}" = 1 ] && command -v llvm-cov >/dev/null; then
  echo
  note "coverage of src/ by the corpora (llvm-cov; regions, functions, lines):"
  for h in "${harnesses[@]}"; do
    ninja -C "$dir" "tests/fuzz/$h-coverage" >/dev/null
    rm -f "$dir/findings/$h.profraw"
    (cd "$dir/findings" && LLVM_PROFILE_FILE="$dir/findings/$h.profraw" \
      "$dir/tests/fuzz/$h-coverage" -runs=0 "$dir/corpus/$h" >/dev/null 2>&1) || true
    llvm-profdata merge -sparse "$dir/findings/$h.profraw" -o "$dir/findings/$h.profdata"
    echo "  $h:"
    llvm-cov report "$dir/tests/fuzz/$h-coverage" \
      -instr-profile="$dir/findings/$h.profdata" \
      $(llvm-cov report "$dir/tests/fuzz/$h-coverage" -instr-profile="$dir/findings/$h.profdata" 2>/dev/null | \
        awk -v top="$top/src/" '$1 ~ /src\/fa-/ {print $1}' | sed "s|^.*src/|$top/src/|") 2>/dev/null | \
      awk 'BEGIN {printf "    %-12s %8s %7s %8s %9s %7s %8s %6s %7s %8s\n", "file", "regions", "missed", "cover", "functions", "missed", "cover", "lines", "missed", "cover"}
        /fa-|TOTAL/ {n = split($1, f, "/"); printf "    %-12s %8s %7s %8s %9s %7s %8s %6s %7s %8s\n", f[n], $2, $3, $4, $5, $6, $7, $8, $9, $10}'
  done
fi
echo
for s in "${summary[@]}"; do note "$s"; done
exit $rc
