#!/usr/bin/env bash
# Leak sweep: anonymizes every clip of a folder with the faceanon element,
# at its default settings and with tracking=false, into near-lossless MKV
# files, and audits each against its original with faceanon-audit. Writes
# a Markdown table (docs/leak-audit.md holds the one measured here), and
# PNGs of the frames where a face remains at the default settings, each
# with the anonymized frame on the left and the original on the right and
# the faces found drawn in red.
#
# Not a test: a measurement, which takes tens of minutes on 2 cores.
#
# Usage: tools/dev/audit-clips.sh DATA_DIR [OUT_DIR]
#   DATA_DIR    a folder of clips (*.mp4, *.mkv, *.avi, also one level down)
#   OUT_DIR     where the results go (default: a new folder under /tmp)
#   BUILD_DIR   the build folder (default: build, next to this script)
#   PLUGIN_DIR, AUDIT  the plugin folder and faceanon-audit to use (default:
#               from BUILD_DIR; give a copy to keep a long sweep on one
#               version while the tree is rebuilt)
#   FACEANON_MODEL_DIR  models for the element and the audit
#               (default: $BUILD_DIR/models)
#   PNG_PER_CLIP  frames extracted per clip, default settings (default 4)
#   MODES       the settings swept, in order (default "notrack default"):
#               notrack (tracking=false), default (every property at its
#               default), holdS (tracking on, hold-time=S seconds: hold0,
#               hold0.25, hold2...), or element properties as they are,
#               comma-separated (lookahead=0,min-face-size=32)
#   MESSAGES    1: run the element with post-messages=true, keep its
#               "faceanon" messages in OUT_DIR/NAME.MODE.messages, and add
#               to the table the masks drawn (summed over the frames) and
#               the excess masks: per frame, the masks beyond the faces the
#               reference finds in the original, floored at 0, summed
#
# A setting whose anonymized frames are identical to an earlier setting's
# for the same clip (same ffmpeg framemd5) reuses that setting's audit.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$top/build}
data=${1:?usage: $0 DATA_DIR [OUT_DIR]}
out=${2:-$(mktemp -d "${TMPDIR:-/tmp}/faceanon-leaks-XXXXXX")}
png_per_clip=${PNG_PER_CLIP:-4}
audit=${AUDIT:-$build/tools/faceanon-audit}

export GST_PLUGIN_PATH=${PLUGIN_DIR:-$build/gst-plugin}
export FACEANON_MODEL_DIR=${FACEANON_MODEL_DIR:-$build/models}

[ -x "$audit" ] || { echo "$audit is missing: build first (ninja -C $build)" >&2; exit 2; }
mkdir -p "$out/frames"
# a private registry, so that the plugin given is the one loaded
export GST_REGISTRY_1_0=$out/registry.bin
gst-inspect-1.0 faceanon > /dev/null 2>&1 \
  || { echo "faceanon is not in $GST_PLUGIN_PATH: build first" >&2; exit 2; }

# settings name -> element properties
declare -A props=([default]="" [notrack]="tracking=false")
declare -A labels=([default]="default" [notrack]="tracking=false")
read -ra modes <<< "${MODES:-notrack default}"
[ ${#modes[@]} -gt 0 ] || { echo "MODES is empty" >&2; exit 2; }
for mode in "${modes[@]}"; do
  case $mode in
    notrack|default) ;;
    hold*)
      secs=${mode#hold}
      ns=$(awk -v s="$secs" 'BEGIN { if (s !~ /^[0-9]*\.?[0-9]+$/) exit 1;
        printf "%.0f", s * 1e9 }') \
        || { echo "bad mode $mode: holdSECONDS, e.g. hold0.5" >&2; exit 2; }
      props[$mode]="tracking=true hold-time=$ns"
      labels[$mode]="hold-time=$secs s" ;;
    *=*)
      # element properties as they are, comma-separated: lookahead=0,...
      props[$mode]=${mode//,/ }
      labels[$mode]=${mode//,/ } ;;
    *) echo "unknown mode $mode (notrack, default, holdSECONDS, or" \
         "PROP=VALUE[,PROP=VALUE...])" >&2; exit 2 ;;
  esac
done
messages=${MESSAGES:-0}

# "frames faces_in remaining frames_with_face on_mask" from an audit summary
summary_numbers () {
  awk -F': *' '
    /^frames audited:/ { split($2, a, " "); frames = a[1] }
    /^faces found in the original:/ { split($2, a, " "); faces = a[1] }
    /^frames that still show a face:/ { split($2, a, " "); shown = a[1] }
    /^remaining faces:/ { split($2, a, " "); remaining = a[1] }
    /^  of which on a mask:/ { split($2, a, " "); masked = a[1] }
    END { print frames, faces, remaining, shown, masked }' "$1"
}

# "masks excess" from a messages file and the audit's csv: the masks drawn,
# and per frame the masks beyond the original's faces, floored at 0
mask_numbers () {
  awk -F, '
    NR == FNR { n = gsub(/"face\\,/, ""); masks[FNR - 1] = n; frames = FNR; next }
    FNR > 1 { input[$1] = $NF }
    END {
      for (i = 0; i < frames; i++) {
        total += masks[i]
        e = masks[i] - input[i]
        if (e > 0) excess += e
      }
      print total + 0, excess + 0
    }' "$1" "$2"
}

table=$out/leak-table.md
{
  header="| clip | frames | faces in input"
  rule="|---|---:|---:"
  for mode in "${modes[@]}"; do
    header="$header | ${labels[$mode]}: remaining faces (frames) [on a mask]"
    rule="$rule|---:"
    if [ "$messages" = 1 ]; then
      header="$header | ${labels[$mode]}: masks, excess masks"
      rule="$rule|---:"
    fi
  done
  echo "$header |"
  echo "$rule|"
} > "$table"

mapfile -t clips < <(find -L "$data" -maxdepth 2 -type f \
  \( -name '*.mp4' -o -name '*.mkv' -o -name '*.avi' \) | sort)
[ ${#clips[@]} -gt 0 ] || { echo "no clips in $data" >&2; exit 2; }

for clip in "${clips[@]}"; do
  rel=${clip#"$data"/}
  name=${rel//\//_}
  name=${name%.*}
  row=""
  declare -A md5s=()
  for mode in "${modes[@]}"; do
    # in file names: a mode without its slashes (a model path)
    key=${mode//\//_}
    anon=$out/$name.$key.mkv
    t0=$(date +%s)
    # quantizer 10: near lossless, so that the audit sees what the element
    # wrote, not what the encoder made of it
    if [ "$messages" = 1 ]; then
      # shellcheck disable=SC2086
      gst-launch-1.0 -m -e filesrc location="$clip" ! decodebin ! \
        faceanon ${props[$mode]} post-messages=true ! videoconvert ! \
        x264enc pass=quant quantizer=10 speed-preset=ultrafast ! \
        matroskamux ! filesink location="$anon" > "$out/$name.$key.log"
      grep -F '(element): faceanon,' "$out/$name.$key.log" \
        > "$out/$name.$key.messages" || true
      rm -f "$out/$name.$key.log"
    else
      # shellcheck disable=SC2086
      gst-launch-1.0 -q -e filesrc location="$clip" ! decodebin ! \
        faceanon ${props[$mode]} ! videoconvert ! \
        x264enc pass=quant quantizer=10 speed-preset=ultrafast ! \
        matroskamux ! filesink location="$anon"
    fi
    t1=$(date +%s)
    # the same frames as an earlier setting: the same audit
    same=""
    if command -v ffmpeg > /dev/null; then
      md5=$(ffmpeg -v error -i "$anon" -map 0:v -f framemd5 - < /dev/null \
        | grep -v '^#' | md5sum | cut -d' ' -f1)
      for m in "${!md5s[@]}"; do
        [ "${md5s[$m]}" = "$md5" ] && same=$m
      done
      md5s[$key]=$md5
    fi
    rc=0
    if [ -n "$same" ]; then
      cp "$out/$name.$same.csv" "$out/$name.$key.csv"
      sed "s|$out/$name.$same.mkv|$anon|" "$out/$name.$same.txt" \
        > "$out/$name.$key.txt"
      how="audit of $same reused: same frames"
    else
      "$audit" --quiet --csv "$out/$name.$key.csv" --reference "$clip" \
        "$anon" > "$out/$name.$key.txt" 2>&1 || rc=$?
    fi
    t2=$(date +%s)
    [ -n "$same" ] || how="audit $((t2 - t1)) s"
    [ $rc -le 1 ] || { cat "$out/$name.$key.txt" >&2; exit 2; }
    read -r frames faces remaining shown masked \
      < <(summary_numbers "$out/$name.$key.txt")
    echo "$rel $mode: $frames frames, $faces faces in the original," \
      "$remaining remaining in $shown frames, $masked of them on a mask" \
      "(anonymize $((t1 - t0)) s, $how)"
    [ -n "$row" ] || row="| $rel | $frames | $faces"
    row="$row | $remaining ($shown) [$masked]"
    if [ "$messages" = 1 ]; then
      read -r n_masks excess \
        < <(mask_numbers "$out/$name.$key.messages" "$out/$name.$key.csv")
      echo "$rel $mode: $n_masks masks, $excess excess masks"
      row="$row | $n_masks, $excess"
    fi

    # a look at the frames where a face remains at the default settings
    if [ "$mode" = default ] && [ "$remaining" -gt 0 ] \
        && command -v ffmpeg > /dev/null; then
      awk -F, 'NR > 1 && $3 > 0 { print $1, $4 }' "$out/$name.$key.csv" \
        | head -n "$png_per_clip" | while read -r n boxes; do
        draw=""
        IFS=';' read -ra bs <<< "$boxes"
        for b in "${bs[@]}"; do
          read -r x y w h _ <<< "$b"
          draw="$draw,drawbox=x=$x:y=$y:w=$w:h=$h:color=red:t=2"
        done
        ffmpeg -v error -y -i "$anon" -i "$clip" -filter_complex \
          "[0:v]select=eq(n\,$n)$draw[a];[1:v]select=eq(n\,$n)$draw[b];[a][b]hstack" \
          -frames:v 1 "$out/frames/$name.$n.png" < /dev/null
      done
    fi
  done
  echo "$row |" >> "$table"
  unset md5s
done

echo
cat "$table"
echo "results in $out"
