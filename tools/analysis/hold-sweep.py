#!/usr/bin/env python3
"""Hold-time sweep analysis: per clip and hold time, from the element's
messages and the audit csvs written by tools/dev/audit-clips.sh (MESSAGES=1).
  held masks   = sum over frames of masks(h) - masks(hold0): the tracks masked
                 without a detection on that frame (detections are the same
                 at every hold time: the detector sees the unmasked input)
  extra area   = sum over frames of (masked area(h) - masked area(hold0)) /
                 frame area, masks = boxes x mask-scale 1.3 about their
                 centre, clipped, overlaps counted once: in frames' worth
  excess       = sum over frames of max(0, masks(h) - input faces)
and the frames whose remaining-face count differs between hold times."""
import csv, glob, os, re, subprocess, sys
import math

MODES = ["hold0", "hold0.25", "hold0.5", "hold1", "hold2"]
SCALE = 1.3
FACE = re.compile(r'x\\=\\\(uint\\\)(\d+)\\,\\ y\\=\\\(uint\\\)(\d+)\\,\\ '
                  r'width\\=\\\(uint\\\)(\d+)\\,\\ height\\=\\\(uint\\\)(\d+)')

def messages(path):
    out = []
    for line in open(path):
        out.append([tuple(map(int, m)) for m in FACE.findall(line)])
    return out

def audit_csv(path):
    rows = list(csv.DictReader(open(path)))
    return [(int(r["remaining"]), int(r["input_faces"]), r["boxes"]) for r in rows]

def size(clip):
    o = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                        "-show_entries", "stream=width,height", "-of", "csv=p=0",
                        clip], capture_output=True, text=True).stdout
    w, h = o.strip().split(",")[:2]
    return int(w), int(h)

def area(boxes, W, H):
    if not boxes:
        return 0.0
    rects = []
    for x, y, w, h in boxes:
        cx, cy = x + w / 2, y + h / 2
        x0 = max(0, math.floor(cx - w * SCALE / 2))
        x1 = min(W, math.ceil(cx + w * SCALE / 2))
        y0 = max(0, math.floor(cy - h * SCALE / 2))
        y1 = min(H, math.ceil(cy + h * SCALE / 2))
        if x1 > x0 and y1 > y0:
            rects.append((x0, y0, x1, y1))
    xs = sorted({r[0] for r in rects} | {r[2] for r in rects})
    total = 0
    for a, b in zip(xs, xs[1:]):
        ivs = sorted((r[1], r[3]) for r in rects if r[0] <= a and r[2] >= b)
        cov, end = 0, -1
        for y0, y1 in ivs:
            if y1 > end:
                cov += y1 - max(y0, end)
                end = y1
        total += cov * (b - a)
    return total / (W * H)

outs = sys.argv[1:]
tot = {m: dict(rem=0, shown=0, held=0, area=0.0, excess=0, masks=0) for m in MODES}
changed = []
print("clip frames " + " | ".join(f"{m}: rem shown held area excess" for m in MODES))
for out in outs:
    names = sorted({os.path.basename(p).rsplit(".", 2)[0]
                    for p in glob.glob(f"{out}/*.hold0.messages")})
    for name in names:
        if not all(os.path.exists(f"{out}/{name}.{m}.csv") for m in MODES):
            continue
        clip = os.path.realpath(glob.glob(f"{out}/{name}.hold0.mkv")[0])
        msgs = {m: messages(f"{out}/{name}.{m}.messages") for m in MODES}
        aud = {m: audit_csv(f"{out}/{name}.{m}.csv") for m in MODES}
        n = len(aud["hold0"])
        W, H = size(f"{out}/{name}.hold0.mkv")
        assert all(len(msgs[m]) == n for m in MODES), (name, [len(msgs[m]) for m in MODES], n)
        a0 = [area(b, W, H) for b in msgs["hold0"]]
        cells = []
        for m in MODES:
            rem = sum(r[0] for r in aud[m]); shown = sum(r[0] > 0 for r in aud[m])
            held = sum(len(msgs[m][f]) - len(msgs["hold0"][f]) for f in range(n))
            assert all(len(msgs[m][f]) >= len(msgs["hold0"][f]) for f in range(n)), (name, m)
            ar = sum(area(msgs[m][f], W, H) - a0[f] for f in range(n))
            ex = sum(max(0, len(msgs[m][f]) - aud[m][f][1]) for f in range(n))
            mk = sum(len(b) for b in msgs[m])
            for k, v in zip(["rem", "shown", "held", "area", "excess", "masks"],
                            [rem, shown, held, ar, ex, mk]):
                tot[m][k] += v
            cells.append(f"{rem} {shown} {held} {ar:.2f} {ex}")
        print(name, n, " | ".join(cells))
        for f in range(n):
            r = [aud[m][f][0] for m in MODES]
            if len(set(r)) > 1:
                changed.append((name, f, r, [len(msgs[m][f]) for m in MODES],
                                [aud[m][f][2] for m in MODES]))
print("TOTAL")
for m in MODES:
    print(m, tot[m])
print("CHANGED frames (clip frame remaining-per-mode masks-per-mode)")
for c in changed:
    print(c[0], c[1], c[2], c[3], "boxes:", c[4])
