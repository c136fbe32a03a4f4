#!/usr/bin/env python3
# faceanon-file keeps an MP4's rotation and creation time (qtmux of
# GStreamer 1.22 writes neither): an MP4 of 48 frames, its track matrix
# saying to turn the picture a quarter right (rotate-90) and its movie
# header a creation time of 2020-01-01, comes out with the same matrix and
# the same times in the header written, and as many frames.
#
# Usage: test-file-mp4.py FACEANON-FILE GST-LAUNCH
import os
import re
import struct
import subprocess
import sys
import tempfile

CREATED = 3660681845  # 2020-01-01T00:04:05Z, in seconds since 1904
ROTATE_90 = [0, 0x10000, 0, 0xFFFF0000, 0, 0, 0, 0, 0x40000000]


def boxes(data, start, end):
    """(type, payload start, payload end) of the boxes in data[start:end]"""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        head = 8
        if size == 1:
            size, head = struct.unpack(">Q", data[pos + 8:pos + 16])[0], 16
        elif size == 0:
            size = end - pos
        if size < head:
            return
        yield kind, pos + head, pos + size
        pos += size


def child(data, parent, kind):
    return next((b for b in boxes(data, *parent) if b[0] == kind), None)


def header(data):
    """the mvhd times, and each track's (handler, times, matrix offset)"""
    moov = next(b for b in boxes(data, 0, len(data)) if b[0] == b"moov")
    _, s, _ = child(data, moov[1:], b"mvhd")
    v1 = data[s] == 1
    times = struct.unpack(">QQ" if v1 else ">II", data[s + 4:s + (20 if v1 else 12)])
    tracks = []
    for kind, ts, te in boxes(data, *moov[1:]):
        if kind != b"trak":
            continue
        _, ks, _ = child(data, (ts, te), b"tkhd")
        mdia = child(data, (ts, te), b"mdia")
        _, hs, _ = child(data, mdia[1:], b"hdlr")
        kv1 = data[ks] == 1
        ttimes = struct.unpack(">QQ" if kv1 else ">II", data[ks + 4:ks + (20 if kv1 else 12)])
        matrix = ks + (4 + 8 + 8 + 4 + 4 + 8 if kv1 else 4 + 4 + 4 + 4 + 4 + 4) + 16
        tracks.append((data[hs + 8:hs + 12], ttimes, matrix))
    return times, tracks


def make_input(launch, path):
    subprocess.run([launch, "-q", "videotestsrc", "num-buffers=48", "pattern=ball", "!",
                    "video/x-raw,width=320,height=240,framerate=24/1", "!", "x264enc",
                    "speed-preset=ultrafast", "!", "mp4mux", "!", "filesink",
                    f"location={path}"], check=True)
    data = bytearray(open(path, "rb").read())
    (_, _), tracks = header(data)
    moov = next(b for b in boxes(data, 0, len(data)) if b[0] == b"moov")
    _, s, _ = child(data, moov[1:], b"mvhd")
    struct.pack_into(">II", data, s + 4, CREATED, CREATED)
    (handler, _, matrix), = tracks
    assert handler == b"vide"
    struct.pack_into(">9I", data, matrix, *ROTATE_90)
    open(path, "wb").write(data)


def frames(launch, path):
    out = subprocess.run([launch, "-v", "filesrc", f"location={path}", "!", "qtdemux", "!",
                          "fakesink", "silent=false"], capture_output=True, text=True).stdout
    return len(re.findall(r"chain", out))


def main():
    program, launch = sys.argv[1:3]
    with tempfile.TemporaryDirectory(prefix="faceanon-file-mp4-") as tmp:
        src = os.path.join(tmp, "turned.mp4")
        make_input(launch, src)
        run = subprocess.run([program, "-q", src], capture_output=True, text=True)
        print(run.stdout, run.stderr)
        assert run.returncode == 0, f"faceanon-file exited with {run.returncode}"
        out = os.path.join(tmp, "turned-anonymized.mp4")
        data = open(out, "rb").read()
        times, tracks = header(data)
        assert times == (CREATED, CREATED), f"creation time {times}, not {CREATED}"
        video = [t for t in tracks if t[0] == b"vide"]
        assert len(video) == 1, tracks
        _, ttimes, matrix = video[0]
        assert list(struct.unpack(">9I", data[matrix:matrix + 36])) == ROTATE_90, \
            "the rotation is lost"
        assert ttimes == (CREATED, CREATED), f"track times {ttimes}"
        n_in, n_out = frames(launch, src), frames(launch, out)
        assert n_in == n_out == 48, f"{n_out} frames of {n_in}"
        print(f"{out}: rotate-90 and the creation time kept, {n_out} frames")
    return 0


sys.exit(main())
