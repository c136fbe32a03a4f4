#!/bin/sh
# faceanon leak audit, end to end
# Copyright (C) 2026 faceanon developers
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2.1 of the License, or (at your option) any later version.
#
# This library is distributed in the hope that it will be useful,
# but WITHOUT ANY WARRANTY; without even the implied warranty of
# MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
# Library General Public License for more details.

# What a user of faceanon-audit checks: the first seconds of a real clip,
# anonymized by the element and encoded into an MKV, show no face where the
# original shows one (exit 0); the original itself shows faces in almost
# every frame (exit 1). If the element stopped masking, the first audit
# fails; if the reference stopped seeing faces, the second does.
#
# Usage: test-audit.sh FACEANON-AUDIT MEGAMIND.AVI [GST-LAUNCH]
# The environment (plugin path, model folder) is the one meson sets.

set -u

audit=$1
clip=$2
launch=${3:-gst-launch-1.0}
# about 2.5 s of the clip: the whole 270 frames would take over a minute to
# audit twice on 2 cores
frames=60
# frames of the 60 where a face must be found: Megamind's first frame is
# black, and the reference may miss a face in a blurry frame or two
most=54

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

[ -f "$clip" ] || fail "$clip is missing: install opencv-doc"
# the element's masks and the audit's reference are YuNet: without it the
# test is skipped, as tests/needs-yunet.c skips the C tests
yunet=face_detection_yunet_2023mar.onnx
if [ ! -f "${FACEANON_MODEL_DIR:-.}/$yunet" ] &&
   [ ! -f "${FACEANON_MODEL_DIR:-.}/yunet_n_640_640.onnx" ]; then
  echo "SKIP: test-audit needs the YuNet face detector ($yunet), which is" \
    "not installed in ${FACEANON_MODEL_DIR:-.}; install it with" \
    "models/fetch-models.sh build/models (network access, or" \
    "FACEANON_MODEL_MIRROR=DIR)"
  exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/faceanon-audit-XXXXXX") || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT
t0=$(date +%s)

# (a) anonymize; faceanon before identity, so that only video reaches it
"$launch" -q -e filesrc location="$clip" ! decodebin ! faceanon ! \
  identity eos-after=$frames ! x264enc speed-preset=ultrafast ! \
  matroskamux ! filesink location="$tmp/anon.mkv" \
  || fail "could not anonymize $clip into $tmp/anon.mkv"
t1=$(date +%s)
echo "anonymized $frames frames in $((t1 - t0)) s"

"$audit" --quiet --max-frames $frames --csv "$tmp/anon.csv" \
  --reference "$clip" "$tmp/anon.mkv" > "$tmp/anon.txt" 2>&1
rc=$?
cat "$tmp/anon.txt"
[ $rc -eq 0 ] || fail "the anonymized clip: faceanon-audit exited with $rc," \
  "not 0 (clean): a face remains, or the audit failed"
# a clean verdict means something only if there were faces to hide
found=$(awk -F, 'NR > 1 && $NF > 0' "$tmp/anon.csv" | wc -l)
[ "$found" -ge $most ] || fail "the reference found faces in $found frames" \
  "of the original only, expected $most or more"
t2=$(date +%s)
echo "audited against the original in $((t2 - t1)) s"

# (b) the original is not clean
"$audit" --quiet --max-frames $frames --csv "$tmp/orig.csv" "$clip" \
  > "$tmp/orig.txt" 2>&1
rc=$?
cat "$tmp/orig.txt"
[ $rc -eq 1 ] || fail "the original clip: faceanon-audit exited with $rc," \
  "not 1 (a face remains)"
shown=$(awk -F, 'NR > 1 && $3 > 0' "$tmp/orig.csv" | wc -l)
[ "$shown" -ge $most ] || fail "faces found in $shown frames of the" \
  "original only, expected $most or more"

# (c) the original against itself: every face is at its own place
"$audit" --quiet --max-frames 10 --reference "$clip" "$clip" \
  > "$tmp/self.txt" 2>&1
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/self.txt"; fail "the original against itself:" \
  "faceanon-audit exited with $rc, not 1"; }
grep -q "(100.00%)" "$tmp/self.txt" || { cat "$tmp/self.txt"; fail "the" \
  "original against itself: not every face counted as remaining"; }

echo "total $(($(date +%s) - t0)) s"
