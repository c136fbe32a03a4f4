#!/usr/bin/env bash
# Soak test: a real face, looped for many frames at a small size through
# faceanon (the detector and the masker do real work on every frame), with
# the process's resident memory sampled every few seconds. A leak per frame
# shows as growth between the 1k-frame and the last sample.
#
# Usage: tools/dev/soak.sh [FRAMES] [WIDTHxHEIGHT]     (default 50000 160x120)
#   BUILD_DIR=DIR      the build with the plugin and models (default: build)
#   SOAK_PROPS="..."   extra faceanon properties, e.g. "method=pixelate"
#   SOAK_LOG=FILE      the samples, as CSV (default: BUILD_DIR/soak.csv)
#   INTERVAL=S         seconds between samples (default 2)
#
# Prints the RSS at 1k, 10k, 25k and 50k frames (the milestones that fit
# in FRAMES), the growth from the 1k-frame sample to the end, and the rate.
# Exit status: that of the pipeline (0 after EOS).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
frames=${1:-50000}
size=${2:-160x120}
build=${BUILD_DIR:-$top/build}
interval=${INTERVAL:-2}
csv=${SOAK_LOG:-$build/soak.csv}
photo=/usr/lib/python3/dist-packages/imageio/resources/images/astronaut.png
fps=25

note() { echo "soak: $*"; }
die() { echo "soak: ERROR: $*" >&2; exit 1; }

[ -f "$photo" ] || die "$photo is missing: apt-get install python3-imageio"
[ -f "$build/gst-plugin/libgstfaceanon.so" ] || die "build faceanon first (meson compile -C $build)"
w=${size%x*}
h=${size#*x}

export GST_PLUGIN_PATH=$build/gst-plugin${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}
export FACEANON_MODEL_DIR=${FACEANON_MODEL_DIR:-$build/models}

# The photo is decoded and scaled once; imagefreeze repeats it at 25 fps,
# and progressreport says how far the stream is (in seconds of it).
out=$(mktemp)
trap 'rm -f "$out"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT
gst-launch-1.0 -q filesrc location="$photo" ! decodebin ! videoconvert ! videoscale \
  ! "video/x-raw,format=I420,width=$w,height=$h,pixel-aspect-ratio=1/1" \
  ! imagefreeze num-buffers="$frames" ! "video/x-raw,framerate=$fps/1" \
  ! progressreport update-freq=1 \
  ! faceanon ${SOAK_PROPS:-} ! fakesink sync=false >"$out" 2>&1 &
pid=$!
note "pid $pid: $frames frames of $size through faceanon ${SOAK_PROPS:-}"

rss_of() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true; }
frames_done() {
  local s
  s=$(grep -o '): [0-9]* seconds' "$out" 2>/dev/null | tail -1 | grep -o '[0-9]*' || true)
  echo $(( ${s:-0} * fps ))
}

echo "seconds,frames,rss_kb" >"$csv"
t0=$(date +%s)
milestones=(1000 10000 25000 50000)
next=0
declare -A at_milestone
first_rss=
last_rss=
peak=0
while kill -0 "$pid" 2>/dev/null; do
  sleep "$interval"
  rss=$(rss_of "$pid")
  [ -n "$rss" ] || break
  n=$(frames_done)
  t=$(( $(date +%s) - t0 ))
  echo "$t,$n,$rss" >>"$csv"
  last_rss=$rss
  last_n=$n
  [ "$rss" -gt "$peak" ] && peak=$rss
  # progressreport is read once a second: within a second of stream counts
  while [ $next -lt ${#milestones[@]} ] && [ $((n + fps)) -ge "${milestones[$next]}" ]; do
    m=${milestones[$next]}
    at_milestone[$m]=$rss
    [ -n "$first_rss" ] || first_rss=$rss
    note "$(printf '%6d frames (%5d s): RSS %6d kB' "$n" "$t" "$rss")"
    next=$((next + 1))
  done
done
status=0
wait "$pid" || status=$?
t=$(( $(date +%s) - t0 ))
if [ "$status" -ne 0 ]; then
  cat "$out" >&2
  die "the pipeline failed (exit $status)"
fi

[ $next -lt ${#milestones[@]} ] && [ "${milestones[$next]}" -le "$frames" ] && \
  note "$(printf '%6d frames (%5d s): RSS %6d kB (the last sample)' "${last_n:-0}" "$t" "${last_rss:-0}")"
note "done: $frames frames in $t s ($(( frames / (t > 0 ? t : 1) )) frames/s); samples in $csv"
if [ -n "$first_rss" ]; then
  note "RSS at the first milestone $first_rss kB, at the last sample $last_rss kB (frame ${last_n:-?}), peak $peak kB"
  note "growth: $(( last_rss - first_rss )) kB over $(( ${last_n:-0} - 1000 )) frames"
fi
