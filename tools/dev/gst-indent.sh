#!/usr/bin/env bash
# Formats C files the way GStreamer does (its gst-indent settings), in place.
# Usage: tools/dev/gst-indent.sh [FILE...]   (default: every C file in the tree)
set -euo pipefail
command -v indent >/dev/null || { echo "gst-indent: install GNU indent (apt-get install indent)" >&2; exit 1; }
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -eq 0 ]; then
  mapfile -t files < <(cd "$top" && git ls-files '*.c' | sed "s|^|$top/|")
  set -- "${files[@]}"
fi
for f in "$@"; do
  # twice: indent is not idempotent on a first pass
  for _ in 1 2; do
    indent --braces-on-if-line --case-brace-indentation0 --case-indentation2 \
      --braces-after-struct-decl-line --line-length80 --no-tabs --cuddle-else \
      --dont-line-up-parentheses --continuation-indentation4 --honour-newlines \
      --tab-size8 --indent-level2 --leave-preprocessor-space "$f"
  done
  rm -f "$f~"
done
