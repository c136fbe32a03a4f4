#!/usr/bin/env bash
# Makes docs/before-after.png: a real photo (python3-imageio's astronaut.png,
# NASA, public domain) beside the element's output at default settings.
# Usage: tools/dev/make-readme-picture.sh [BUILD_DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
photo=/usr/lib/python3/dist-packages/imageio/resources/images/astronaut.png
export GST_PLUGIN_PATH=$build/gst-plugin${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}
export FACEANON_MODEL_DIR=${FACEANON_MODEL_DIR:-$build/models}
gst-launch-1.0 -q compositor name=c sink_1::xpos=384 ! videoconvert ! pngenc \
  ! filesink location="$top/docs/before-after.png" \
  filesrc location="$photo" ! pngdec ! videoconvert ! videoscale \
  ! video/x-raw,width=384,height=384,format=I420 ! tee name=t \
  t. ! queue ! c. \
  t. ! queue ! faceanon ! c.
echo "wrote $top/docs/before-after.png"
