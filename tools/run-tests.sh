#!/usr/bin/env bash
# Builds faceanon, installs the models next to the build, and runs every test.
#
# Usage: tools/run-tests.sh [meson test arguments]
#   FACEANON_MODEL_MIRROR=DIR  a folder holding the model files, used before any download
#   BUILD_DIR=DIR              the build folder (default: build)
#   FAIL_ON_SKIP=1             a skipped test fails the run (CI, which has the models)
#
# A test that needs what is not installed (YuNet, a Debian test file) is
# skipped, not failed; the end lists the skipped tests, why, and what to run.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}

[ -f "$build/build.ninja" ] || meson setup "$build" "$top"
"$top/models/fetch-models.sh" "$build/models"
meson compile -C "$build"

rc=0
meson test -C "$build" --print-errorlogs "$@" || rc=$?

# One plain line that any CI reads: "N passed, N failed, N skipped"; then
# each skipped test with its reason, and how to run them.
python3 - "$build/meson-logs/testlog.json" "$build" "${FAIL_ON_SKIP:-0}" <<'PY' || rc=1
import json, sys
log, build, fail_on_skip = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
tests = [json.loads(l) for l in open(log) if l.strip()]
res = [t["result"] for t in tests]
ok = sum(r in ("OK", "EXPECTEDFAIL") for r in res)
skipped = [t for t in tests if t["result"] == "SKIP"]
print(f"tests: {ok} passed, {len(res) - ok - len(skipped)} failed, {len(skipped)} skipped")
if skipped:
    print("skipped:")
    yunet = False
    for t in skipped:
        why = next((l[6:] for l in (t.get("stdout") or "").splitlines()
                    if l.startswith("SKIP: ")), "no reason given")
        yunet = yunet or "YuNet" in why
        print(f"  {t['name']}: {why}")
    if yunet:
        print("To run the tests that need YuNet, install it (network access, or a folder")
        print("holding face_detection_yunet_2023mar.onnx as FACEANON_MODEL_MIRROR):")
        print(f"  FACEANON_MODEL_MIRROR=DIR models/fetch-models.sh {build}/models && tools/run-tests.sh")
    if fail_on_skip:
        print("FAIL_ON_SKIP=1: a skipped test fails the run")
        sys.exit(1)
PY
exit $rc
