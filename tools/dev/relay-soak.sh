#!/usr/bin/env bash
# faceanon-relay under load for minutes, then under hostile clients at a
# larger scale, over loopback only: the long versions of the tests
# test-relay-load and test-relay-hostile (meson test runs them for a
# minute or so each). Every client, camera and relay is a child of the
# tests, bounded in count and time, and dies with them.
#
# Usage: tools/dev/relay-soak.sh [SECONDS] [SCALE]
#   SECONDS   how long clients come and go (default 300), the camera
#             dropping every 30 s
#   SCALE     how many times the hostile floods are larger (default 5)
#   BUILD_DIR=DIR   the build (default: build)
#   SEED=N          the random seed of the clients (default: from the time)
#   OUT=DIR         where the samples and logs go (default: BUILD_DIR/relay-soak)
#
# Prints each test's PASS/FAIL lines and writes the RSS and descriptor
# samples to OUT/load.csv. Exit status: 0 when both passed.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-300}
scale=${2:-5}
build=${BUILD_DIR:-$top/build}
out=${OUT:-$build/relay-soak}
relay=$build/tools/faceanon-relay

for p in "$relay" "$build/tests/test-relay-load" "$build/tests/test-relay-hostile"; do
  [ -x "$p" ] || { echo "relay-soak: $p is missing: build first (ninja -C $build)" >&2; exit 1; }
done
[ -d "$build/models" ] || { echo "relay-soak: no models in $build/models: run models/fetch-models.sh $build/models" >&2; exit 1; }
mkdir -p "$out"

export GST_PLUGIN_PATH_1_0=$build/gst-plugin
export GST_REGISTRY_1_0=$out/registry.bin
export FACEANON_MODEL_DIR=$build/models
export GST_DEBUG=${GST_DEBUG:-*:1}

rc=0
echo "relay-soak: $seconds s of clients coming and going, the camera dropping every 30 s"
# the relay's own setup and warm-up take about a minute more
timeout $((seconds + 300)) "$build/tests/test-relay-load" "$relay" \
  --seconds "$seconds" --camera-period 30 --samples "$out/load.csv" \
  ${SEED:+--seed "$SEED"} >"$out/load.log" 2>&1 || rc=1
grep -E "^(PASS|FAIL|working|  )" "$out/load.log" || true

echo "relay-soak: hostile clients, $scale times the test's counts"
timeout 1200 "$build/tests/test-relay-hostile" "$relay" --scale "$scale" \
  >"$out/hostile.log" 2>&1 || rc=1
grep -E "^(PASS|FAIL|----|  )" "$out/hostile.log" || true

echo "relay-soak: $([ $rc -eq 0 ] && echo passed || echo FAILED); logs and samples in $out"
exit $rc
