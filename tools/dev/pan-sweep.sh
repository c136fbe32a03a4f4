#!/usr/bin/env bash
# Sweeps faceanon-eval --pan over settings and prints one Markdown row per
# setting: coverage by face width against the reference, falsely masked
# area, CPU and passes a frame, and how long new faces wait for a mask.
# A measurement, not a test: tens of minutes on 2 cores.
#
# Usage: tools/dev/pan-sweep.sh CSV OUT_DIR "SETTINGS" ["SETTINGS"...]
#   SETTINGS  faceanon-eval options for one run, e.g.
#             "--min-face-size 12 --sweep-time 500000000"; the word
#             "reference" runs the reference (every tile at full
#             resolution on every frame) with the options after it
#   BUILD_DIR the build folder (default: build, next to this script)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$top/build}
csv=${1:?usage: $0 CSV OUT_DIR SETTINGS...}
out=${2:?usage: $0 CSV OUT_DIR SETTINGS...}
shift 2
eval_bin=$build/tools/faceanon-eval
export FACEANON_MODEL_DIR=${FACEANON_MODEL_DIR:-$build/models}
mkdir -p "$out"

row() {
  # the [settings] block of one result file, as a table row
  awk -v name="$2" '
    /^\[settings\]/ { on = 1; next }
    /^\[reference/ { on = 0 }
    on && /^coverage, width/ { split($0, a, /  +/); cov[++n] = a[2] }
    on && /^falsely masked area/ { split($0, a, /  +/); fm = a[2] }
    on && /^CPU ms a frame/ { split($0, a, /  +/); cpu = a[2] }
    on && /^network passes a frame/ { split($0, a, /  +/); passes = a[2]; rot = a[3]; sub(/.*takes /, "", rot); sub(/ detection.*/, "", rot) }
    on && /^new faces masked within/ { split($0, a, /  +/); nw = a[2]; d = a[3]; sub(/.*mean wait /, "", d); sub(/ frames.*/, "", d); nv = a[3]; sub(/.*longest [0-9]+, /, "", nv); sub(/ never.*/, "", nv) }
    END { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, cov[1], cov[2], cov[3], cov[4], cov[5], cov[6], fm, cpu, passes, rot, nw " (" d ", never " nv ")" }
  ' "$1"
}

echo "| settings | <12 | 12-16 | 16-32 | 32-64 | 64-128 | >=128 | falsely masked | CPU ms/frame | passes/frame | sweep (frames) | new faces within a sweep (mean wait, never) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
i=0
for s in "$@"; do
  i=$((i + 1))
  f=$out/run$i.txt
  if [ "${s%% *}" = reference ]; then
    # the reference alone: its block is printed as [settings] by a
    # run whose own settings are the reference's
    read -ra opts <<< "${s#reference}"
    "$eval_bin" --pan -q "${opts[@]}" --min-face-size 10 --sweep-time 0 \
      --no-reference "$csv" > "$f" 2>&1
  else
    read -ra opts <<< "$s"
    "$eval_bin" --pan -q --no-reference "${opts[@]}" "$csv" > "$f" 2>&1
  fi
  row "$f" "$s"
done
