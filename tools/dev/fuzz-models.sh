#!/usr/bin/env bash
# Damaged model files through the element: copies of a real model with a
# few bytes changed (a bad download, a bad disk), each loaded by faceanon
# in a one-frame pipeline. The copies have names of the user's own (not
# the installed models' names, which the checksums guard), so that each
# one reaches OpenCV's reader. The element must refuse them with an error
# that names the file, or run with them; a crash, a hang or an error that
# does not name the file is a finding, and the file is kept.
#
# Usage: tools/dev/fuzz-models.sh [COUNT] [MODEL...]
#   COUNT   damaged copies per model (default 200)
#   MODEL   model files (default: YuNet and BlazeFace front from BUILD_DIR/models)
#   BUILD_DIR=DIR   the build with the plugin (default: build)
#   OUT=DIR         where crashing files are kept (default: BUILD_DIR/fuzz-models)
#   SEED=N          the first random seed (default 1)
#   TIMEOUT=S       seconds one run may take (default 60; a run takes 0.2 s)
#   INSTALLED_NAMES=1  name the copies as the originals instead (the
#                   checksums then refuse them before OpenCV reads them)
#
# Prints, per model, how many copies were refused with an error naming the
# file, ran, crashed, hung (TIMEOUT s on one frame, three times) or were
# refused with an error that does not name the file, how many runs timed
# out once or twice and were retried, and the mean and longest run.
# Exit status: 0 when none crashed, hung or failed without naming the file.
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

mkdir -p "$work/user models"
for model in "${models[@]}"; do
  [ -f "$model" ] || { echo "fuzz-models: $model is missing" >&2; exit 1; }
  name=$(basename "$model")
  refused=0 ran=0 crashed=0 hung=0 unnamed=0 retried=0 total_ms=0 max_ms=0
  for i in $(seq 1 "$count"); do
    # a name of the user's own: in a folder with a space, never one of
    # the installed names
    copy="$work/user models/my detector $((seed + i)).${name##*.}"
    [ -z "${INSTALLED_NAMES:-}" ] || copy=$work/$name
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
      t0=$(date +%s%N)
      timeout "$limit" gst-launch-1.0 -q --no-fault videotestsrc num-buffers=1 \
        ! video/x-raw,width=64,height=48 ! faceanon model="$copy" ! fakesink \
        >"$work/log" 2>&1
      status=$?
      ms=$((($(date +%s%N) - t0) / 1000000))
      set -e
      [ $status -eq 124 ] || break
      if [ $attempt -lt 3 ]; then retried=$((retried + 1)); fi
    done
    total_ms=$((total_ms + ms))
    [ $ms -le $max_ms ] || max_ms=$ms
    # gst-launch exits with 255 on an error; 124: timeout (a hang);
    # 128 + N: killed by signal N (a crash)
    keep=
    case $status in
      0) ran=$((ran + 1)) ;;
      124) hung=$((hung + 1)) keep=hang ;;
      12[89] | 1[3-9][0-9] | 2[0-4][0-9] | 25[0-4])
        crashed=$((crashed + 1)) keep=crash ;;
      *)
        # the element's error, with the file's name in it
        if grep -q "^ERROR: from element .*GstFaceAnon" "$work/log" &&
          grep -qF "$copy" "$work/log"; then
          refused=$((refused + 1))
        else
          unnamed=$((unnamed + 1)) keep=unnamed
        fi
        ;;
    esac
    if [ -n "$keep" ]; then
      # keeps the extension: the element picks the format by it
      cp "$copy" "$out/${name%.*}.seed$((seed + i)).$keep-status$status.${name##*.}"
      cp "$work/log" "$out/${name%.*}.seed$((seed + i)).$keep-status$status.log"
    fi
  done
  echo "fuzz-models: $name: $count damaged copies: $refused refused with an error naming the file, $ran ran, $crashed crashed, $hung hung, $unnamed refused without naming the file ($retried runs timed out and were retried; a run took $((total_ms / count)) ms on average, $max_ms ms at most)"
  [ $((crashed + hung + unnamed)) -eq 0 ] || rc=1
done
[ $rc -eq 0 ] || echo "fuzz-models: findings in $out (replay: gst-launch-1.0 videotestsrc num-buffers=1 ! faceanon model=FILE ! fakesink)"
exit $rc
