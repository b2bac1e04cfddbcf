#!/usr/bin/python3
"""Flash-jump: a small, seeded video-classification dataset whose label lives in two key frames.

Usage
-----
    /usr/bin/python3 tools/datasets/make_flash_dataset.py OUT_DIR [--train 1600] [--val 400] [--size 64]
                                                  [--frames 8] [--seed 0] [--quality 90]

Writes the frame-folder layout that Saccade's FrameFolderDataset (and `saccade train --root ...`) reads:

    OUT_DIR/train/000000/00001.jpg ... 00008.jpg     one folder per clip, frames 1-indexed
    OUT_DIR/val/000000/00001.jpg ...
    OUT_DIR/train.txt, OUT_DIR/val.txt               lines "train/000000 8 3"  (folder num_frames label)
    OUT_DIR/labels.json                              JSON list of the 8 class names (index = label)

Generative process (per clip, numpy RandomState seeded by (seed, split, clip index); same arguments give
byte-identical files)
-------------------------------------------------------------------------------------------------------
* A 3x3 grid of cells covers the frame (cell side = size/3, ~21 px at 64).
* Label = one of 8 jump directions (E, NE, N, NW, W, SW, S, SE), balanced: clip i of a split has label
  i mod 8 before the shuffle of the list (the list is written in shuffled order).
* Cell A is drawn uniformly among the cells whose neighbour in that direction is inside the grid; cell B
  is that neighbour.
* Key frames: A flashes at frame tA, B at frame tB = tA + gap, gap uniform in {1, 2, 3}, tA uniform so
  that tB < frames. A flash is a bright square (~70 % of the cell) of a warm colour (base RGB ~(255, 230,
  60) with per-clip jitter) added on top of the frame. Only 2 of the 8 frames carry the signal; the
  label depends on their ORDER (the reverse jump is the opposite class), so a frame-order-blind model
  stays at ~50 % at best (it can tell the axis, not the sign).
* Every frame (key or not) has: a textured background (a per-clip smooth random field, upsampled low-res
  noise in 3 colours, drifting by a per-clip velocity) plus per-frame Gaussian pixel noise (sigma 18);
  3-5 distractors: small (3-7 px) blobs in random cool/grey colours that move with constant velocity,
  and, in each frame with probability 0.5, one dim "fake flash" (a square in a random cell at ~35 % of a
  real flash's intensity, random hue) so brightness alone in a cell is not enough.
* Frames are written as JPEG (quality 90).
"""
import argparse
import json
import os

import numpy as np
from PIL import Image

DIRECTIONS = [  # (name, d_row, d_col); row grows downwards
    ("east", 0, 1), ("north_east", -1, 1), ("north", -1, 0), ("north_west", -1, -1),
    ("west", 0, -1), ("south_west", 1, -1), ("south", 1, 0), ("south_east", 1, 1),
]
SPLITS = {"train": 1, "val": 2}


def smooth_field(rng, size, low, channels=3):
    """A smooth random texture: low x low noise upsampled bicubically to (2*size) so it can drift."""
    small = rng.uniform(0, 255, size=(low, low, channels)).astype(np.uint8)
    big = Image.fromarray(small).resize((2 * size, 2 * size), Image.BICUBIC)
    return np.asarray(big).astype(np.float32)


def make_clip(rng, label, size, frames):
    cell = size / 3.0
    _, dr, dc = DIRECTIONS[label]
    starts = [(r, c) for r in range(3) for c in range(3) if 0 <= r + dr < 3 and 0 <= c + dc < 3]
    ar, ac = starts[rng.randint(len(starts))]
    br, bc = ar + dr, ac + dc
    gap = rng.randint(1, 4)
    ta = rng.randint(0, frames - gap)
    tb = ta + gap

    texture = smooth_field(rng, size, rng.randint(4, 9)) * rng.uniform(0.35, 0.6)
    texture += rng.uniform(20, 70, size=3).astype(np.float32)  # colour cast
    ox, oy = rng.randint(0, size), rng.randint(0, size)
    vx, vy = rng.uniform(-2, 2), rng.uniform(-2, 2)

    flash_rgb = np.array([255, 230, 60], np.float32) + rng.uniform(-25, 0, size=3).astype(np.float32)
    flash_gain = rng.uniform(0.8, 1.0)

    n_blobs = rng.randint(3, 6)
    blobs = []
    for _ in range(n_blobs):
        blobs.append(dict(
            x=rng.uniform(0, size), y=rng.uniform(0, size), vx=rng.uniform(-3, 3), vy=rng.uniform(-3, 3),
            r=rng.uniform(1.5, 3.5),
            rgb=np.array([rng.uniform(40, 160), rng.uniform(80, 200), rng.uniform(140, 255)], np.float32)))

    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    side = int(round(cell * 0.7))
    pad = (int(round(cell)) - side) // 2

    def cell_box(r, c):
        y0 = int(round(r * cell)) + pad
        x0 = int(round(c * cell)) + pad
        return y0, x0

    out = []
    for t in range(frames):
        x0 = int(round(ox + vx * t)) % size
        y0 = int(round(oy + vy * t)) % size
        img = texture[y0:y0 + size, x0:x0 + size].copy()
        for b in blobs:
            bx = (b["x"] + b["vx"] * t) % size
            by = (b["y"] + b["vy"] * t) % size
            m = ((xx - bx) ** 2 + (yy - by) ** 2) <= b["r"] ** 2
            img[m] = b["rgb"]
        if rng.rand() < 0.5:  # dim fake flash in a random cell
            fr, fc = rng.randint(3), rng.randint(3)
            y, x = cell_box(fr, fc)
            hue = rng.uniform(60, 255, size=3).astype(np.float32)
            img[y:y + side, x:x + side] += 0.35 * hue
        for (kt, kr, kc) in ((ta, ar, ac), (tb, br, bc)):
            if t == kt:
                y, x = cell_box(kr, kc)
                img[y:y + side, x:x + side] = (
                    0.15 * img[y:y + side, x:x + side] + flash_gain * flash_rgb)
        img += rng.normal(0, 18, size=img.shape).astype(np.float32)
        out.append(np.clip(img, 0, 255).astype(np.uint8))
    return out, (ta, tb, (ar, ac), (br, bc))


def write_split(out_dir, split, count, size, frames, seed, quality):
    lines = []
    for i in range(count):
        label = i % len(DIRECTIONS)
        rng = np.random.RandomState([seed, SPLITS[split], i])
        clip, _ = make_clip(rng, label, size, frames)
        folder = os.path.join(split, "%06d" % i)
        os.makedirs(os.path.join(out_dir, folder), exist_ok=True)
        for t, frame in enumerate(clip):
            Image.fromarray(frame).save(os.path.join(out_dir, folder, "%05d.jpg" % (t + 1)), quality=quality)
        lines.append("%s %d %d" % (folder, frames, label))
    order = np.random.RandomState([seed, SPLITS[split], 999999]).permutation(count)
    with open(os.path.join(out_dir, split + ".txt"), "w") as f:
        for j in order:
            f.write(lines[j] + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--train", type=int, default=1600)
    p.add_argument("--val", type=int, default=400)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--frames", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--quality", type=int, default=90)
    a = p.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    write_split(a.out_dir, "train", a.train, a.size, a.frames, a.seed, a.quality)
    write_split(a.out_dir, "val", a.val, a.size, a.frames, a.seed, a.quality)
    with open(os.path.join(a.out_dir, "labels.json"), "w") as f:
        json.dump([d[0] for d in DIRECTIONS], f)
    print("wrote %d train and %d val clips of %d frames %dx%d to %s" % (a.train, a.val, a.frames, a.size, a.size, a.out_dir))


if __name__ == "__main__":
    main()
