#!/usr/bin/env bash
# Installs everything faceanon needs, builds and installs it for this user,
# then anonymizes a real clip with faces, its sound kept, as a first run:
# faceanon-file on opencv-doc's Megamind.avi writes ./Megamind-anonymized.avi.
#
# Usage: tools/install.sh
#   PREFIX=DIR                 install prefix (default: ~/.local); with the default
#                              GStreamer finds the plugin without GST_PLUGIN_PATH
#   FACEANON_MODEL_MIRROR=DIR  a folder holding the model files, used before any download
#   OUT_DIR=DIR                where the demo clip goes (default: the current folder)
#   JOBS=N                     compile jobs (default: ninja's)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-$HOME/.local}
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
build=${BUILD_DIR:-$top/build}
clip=/usr/share/doc/opencv-doc/examples/data/Megamind.avi
out_dir=${OUT_DIR:-$PWD}

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
meson compile -C "$build" ${JOBS:+-j "$JOBS"}
meson install -C "$build" --quiet
"$top/models/fetch-models.sh" "$prefix/share/faceanon/models"

if [ "$plugindir" != "$data_home/gstreamer-1.0/plugins" ]; then
  export GST_PLUGIN_PATH=$plugindir${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}
  echo "install: the plugin is in $plugindir; add it to GST_PLUGIN_PATH in your shell"
fi
gst-inspect-1.0 faceanon >/dev/null ||
  { echo "install: ERROR: gst-inspect-1.0 cannot find faceanon in $plugindir" >&2; exit 1; }

echo "install: anonymizing $clip (its AC-3 audio kept as it is)"
"$prefix/bin/faceanon-file" --output "$out_dir" "$clip"
echo "install: done. The anonymized clip is $out_dir/Megamind-anonymized.avi"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "install: the programs are in $prefix/bin; add it to PATH in your shell" ;;
esac
echo "install: try: faceanon-file VIDEO-OR-FOLDER, or gst-inspect-1.0 faceanon"
