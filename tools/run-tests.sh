#!/usr/bin/env bash
# Builds faceanon, installs the models next to the build, and runs every test.
#
# Usage: tools/run-tests.sh [meson test arguments]
#   FACEANON_MODEL_MIRROR=DIR  a folder holding the model files, used before any download
#   BUILD_DIR=DIR              the build folder (default: build)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}

[ -f "$build/build.ninja" ] || meson setup "$build" "$top"
"$top/models/fetch-models.sh" "$build/models"
meson compile -C "$build"

rc=0
meson test -C "$build" --print-errorlogs "$@" || rc=$?

# One plain line that any CI reads: "N passed, N failed".
python3 - "$build/meson-logs/testlog.json" <<'PY' || true
import json, sys
res = [json.loads(l)["result"] for l in open(sys.argv[1]) if l.strip()]
ok = sum(r in ("OK", "EXPECTEDFAIL") for r in res)
skip = sum(r == "SKIP" for r in res)
print(f"tests: {ok} passed, {len(res) - ok - skip} failed, {skip} skipped")
PY
exit $rc
