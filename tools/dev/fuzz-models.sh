#!/usr/bin/env bash
# Damaged model files through the element: copies of a real model with a
# few bytes changed (a bad download, a bad disk), each loaded by faceanon
# in a one-frame pipeline. The element must refuse them with an error or
# run with them; a crash is a finding, and the file is kept.
#
# Usage: tools/dev/fuzz-models.sh [COUNT] [MODEL...]
#   COUNT   damaged copies per model (default 200)
#   MODEL   model files (default: YuNet and BlazeFace front from BUILD_DIR/models)
#   BUILD_DIR=DIR   the build with the plugin (default: build)
#   OUT=DIR         where crashing files are kept (default: BUILD_DIR/fuzz-models)
#   SEED=N          the first random seed (default 1)
#   TIMEOUT=S       seconds one run may take (default 60; a run takes 0.1 s)
#
# Prints, per model, how many copies were refused, ran, or crashed (or
# hung: TIMEOUT s on one frame, three times), and how many runs timed out
# once or twice and were retried.
# Exit status: 0 when none crashed.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-200}
shift || true
build=${BUILD_DIR:-$top/build}
out=${OUT:-$build/fuzz-models}
seed=${SEED:-1}
limit=${TIMEOUT:-60}
models=("$@")
[ ${#models[@]} -gt 0 ] || models=("$build/models/face_detection_yunet_2023mar.onnx"
  "$build/models/face_detection_front_128x128_barracuda.onnx")

export GST_PLUGIN_PATH=$build/gst-plugin${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rc=0

for model in "${models[@]}"; do
  [ -f "$model" ] || { echo "fuzz-models: $model is missing" >&2; exit 1; }
  name=$(basename "$model")
  refused=0 ran=0 crashed=0 retried=0
  for i in $(seq 1 "$count"); do
    copy=$work/$name
    # 1 to 8 bytes changed, mostly in the first 20 kB (the graph), where a
    # change reaches the parser rather than only a weight
    python3 - "$model" "$copy" $((seed + i)) <<'PY'
import random, sys
data = bytearray(open(sys.argv[1], 'rb').read())
rng = random.Random(int(sys.argv[3]))
for _ in range(rng.randint(1, 8)):
    span = len(data) if rng.random() < 0.3 else min(len(data), 20000)
    data[rng.randrange(span)] = rng.randrange(256)
open(sys.argv[2], 'wb').write(data)
PY
    # --no-fault: without it gst-launch catches SIGSEGV and spins, so a
    # crash would look like a hang. gst-launch-1.0 1.22 itself hangs now
    # and then (about 1 run in 10 here) when an element errors while the
    # pipeline prerolls, faceanon or not (identity error-after=1 does it
    # too): a time-out counts only when three runs in a row time out
    for attempt in 1 2 3; do
      set +e
      timeout "$limit" gst-launch-1.0 -q --no-fault videotestsrc num-buffers=1 \
        ! video/x-raw,width=64,height=48 ! faceanon model="$copy" ! fakesink \
        >"$work/log" 2>&1
      status=$?
      set -e
      [ $status -eq 124 ] || break
      if [ $attempt -lt 3 ]; then retried=$((retried + 1)); fi
    done
    # gst-launch exits with 255 on an error; 124: timeout (a hang);
    # 128 + N: killed by signal N (a crash)
    case $status in
      0) ran=$((ran + 1)) ;;
      124 | 12[89] | 1[3-9][0-9] | 2[0-4][0-9] | 25[0-4])
        crashed=$((crashed + 1))
        # keeps the extension: the element picks the format by it
        cp "$copy" "$out/${name%.*}.seed$((seed + i)).status$status.${name##*.}"
        ;;
      *) refused=$((refused + 1)) ;;
    esac
  done
  echo "fuzz-models: $name: $count damaged copies: $refused refused with an error, $ran ran, $crashed crashed ($retried runs timed out and were retried)"
  [ $crashed -eq 0 ] || rc=1
done
[ $rc -eq 0 ] || echo "fuzz-models: crashing files in $out (replay: gst-launch-1.0 videotestsrc num-buffers=1 ! faceanon model=FILE ! fakesink)"
exit $rc
