#!/usr/bin/env bash
# Installs everything faceanon needs, builds and installs it for this user,
# then anonymizes a real clip with faces as a first run.
#
# Usage: tools/install.sh
#   PREFIX=DIR                 install prefix (default: ~/.local); with the default
#                              GStreamer finds the plugin without GST_PLUGIN_PATH
#   FACEANON_MODEL_MIRROR=DIR  a folder holding the model files, used before any download
#   OUT=FILE                   where the demo clip goes (default: ./faceanon-demo.mp4)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-$HOME/.local}
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
build=${BUILD_DIR:-$top/build}
clip=/usr/share/doc/opencv-doc/examples/data/Megamind.avi
out=${OUT:-$PWD/faceanon-demo.mp4}

"$top/tools/install-deps.sh"

# GStreamer always scans the user's plugin folder; elsewhere GST_PLUGIN_PATH is needed.
if [ "$prefix" = "$HOME/.local" ]; then
  plugindir=$data_home/gstreamer-1.0/plugins
else
  plugindir=$prefix/lib/$(gcc -print-multiarch)/gstreamer-1.0
fi

if [ -f "$build/build.ninja" ]; then
  meson configure "$build" --prefix="$prefix" -Dplugindir="$plugindir" >/dev/null
else
  meson setup "$build" "$top" --prefix="$prefix" -Dplugindir="$plugindir"
fi
meson compile -C "$build"
meson install -C "$build" --quiet
"$top/models/fetch-models.sh" "$prefix/share/faceanon/models"

if [ "$plugindir" != "$data_home/gstreamer-1.0/plugins" ]; then
  export GST_PLUGIN_PATH=$plugindir${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}
  echo "install: the plugin is in $plugindir; add it to GST_PLUGIN_PATH in your shell"
fi
gst-inspect-1.0 faceanon >/dev/null ||
  { echo "install: ERROR: gst-inspect-1.0 cannot find faceanon in $plugindir" >&2; exit 1; }

echo "install: anonymizing $clip"
gst-launch-1.0 -q -e filesrc location="$clip" ! decodebin ! faceanon \
  ! videoconvert ! x264enc ! mp4mux ! filesink location="$out"
echo "install: done. The anonymized clip is $out"
echo "install: try: gst-inspect-1.0 faceanon"
