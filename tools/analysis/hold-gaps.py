#!/usr/bin/env python3
"""Detector gaps, from the hold-time=0 messages (= the detections of each
frame): a face detected on frame f and not on f+1 (no detection overlapping
it) is lost; it is re-found on the first later frame g with a detection
overlapping its last box (IoU >= 0.2, or either centre inside the other box),
within 3 s. Prints the gaps' lengths in seconds, and the losses never
re-found (the face left, or it was a false detection that went away)."""
import glob, os, re, sys
F = re.compile(r'timestamp=\(guint64\)(\d+)|x\\=\\\(uint\\\)(\d+)\\,\\ y\\=\\\(uint\\\)(\d+)\\,\\ '
               r'width\\=\\\(uint\\\)(\d+)\\,\\ height\\=\\\(uint\\\)(\d+)')
def parse(p):
    fr = []
    for l in open(p):
        ts, boxes = None, []
        for m in F.finditer(l):
            if m.group(1): ts = int(m.group(1)) / 1e9
            else: boxes.append(tuple(int(v) for v in m.groups()[1:]))
        fr.append((ts, boxes))
    return fr
def same(a, b):
    ax0, ay0, aw, ah = a; bx0, by0, bw, bh = b
    ix = min(ax0 + aw, bx0 + bw) - max(ax0, bx0); iy = min(ay0 + ah, by0 + bh) - max(ay0, by0)
    if ix > 0 and iy > 0 and ix * iy / (aw * ah + bw * bh - ix * iy) >= 0.2: return True
    inside = lambda p, q: q[0] <= p[0] + p[2] / 2 <= q[0] + q[2] and q[1] <= p[1] + p[3] / 2 <= q[1] + q[3]
    return inside(a, b) or inside(b, a)
gaps, never = [], []
for out in sys.argv[1:]:
    for p in sorted(glob.glob(f"{out}/*.hold0.messages")):
        name = os.path.basename(p).split(".hold0")[0]
        fr = parse(p)
        for f in range(len(fr) - 1):
            for b in fr[f][1]:
                if any(same(b, c) for c in fr[f + 1][1]): continue
                g = next((g for g in range(f + 2, len(fr)) if fr[g][0] - fr[f][0] <= 3.0
                          and any(same(b, c) for c in fr[g][1])), None)
                if g is None:
                    never.append((name, f, b)); continue
                gaps.append((round(fr[g][0] - fr[f][0] - (fr[f+1][0] - fr[f][0]), 3), g - f - 1, name, f))
gaps.sort()
print("re-found gaps (s, frames, clip, last frame seen):", len(gaps))
for g in gaps: print("  ", g)
print("never re-found within 3 s:", len(never))
for n in never: print("  ", n)
for h in (0.25, 0.5, 1, 2):
    print(f"gaps bridged by hold {h}: {sum(g[0] <= h for g in gaps)} of {len(gaps)}")
