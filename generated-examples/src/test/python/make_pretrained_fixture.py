#!/usr/bin/python3
"""Writes the pretrained-start fixture: torchvision's outputs for state dicts whose values follow a formula.

    /usr/bin/python3 generated-examples/src/test/python/make_pretrained_fixture.py \
        generated-examples/src/test/resources/pretrained

Needs Debian's python3-torch and python3-torchvision (torch 1.13, torchvision 0.14); nothing is downloaded.
A full random ResNet-50 state dict is ~100 MB, so the values are not kept: every tensor is
`u * scale + offset` in float32, with u in [-1, 1) a hash of (seed, element index), and the Java test
(PretrainedStartTest) rebuilds the same file from the key lists written here. What is kept:

- `<model>.keys.txt.gz` (gzip): one line per state-dict entry, in state-dict order:
  `key dtype shape seed scale offset` (shape `64,3,7,7`; `-` for a scalar; scale/offset as C99 hex floats).
  The torchvision layout, the timm layout (`<model>.timm.keys.txt.gz`, same values under timm's names, see
  TIMM below) and, for MobileNetV2, the tonylins layout AdaFocusV2 uses (`mobilenet_v2.tonylins.keys.txt.gz`).
- `expected.npz`: float32 logits `[FRAMES, 1000]` of torchvision's model in evaluation mode on the input
  below, one array per model; `<model>_eps1e-5` for the MobileNetV3s evaluated with BatchNorm eps 1e-5
  (what timm computes with these weights; torchvision's MobileNetV3 uses eps 1e-3).
- The input: FRAMES frames NCHW `[FRAMES, 3, SIZE, SIZE]`, `u` with seed INPUT_SEED.

timm's names are written from timm's module structure (timm/models/mobilenetv3.py, efficientnet.py,
_efficientnet_blocks.py; timm's ResNet uses torchvision's names); timm itself is not installed.
"""
import gzip
import io
import math
import os
import sys

import numpy as np
import torch
import torchvision

FRAMES = 2
SIZE = 64
INPUT_SEED = 1000003
M32 = 0xFFFFFFFF


def mix32(x):
    """A 32-bit integer hash (lowbias32), vectorised over uint64 arrays holding 32-bit values."""
    x = x & M32
    x ^= x >> 16
    x = (x * 0x7FEB352D) & M32
    x ^= x >> 15
    x = (x * 0x846CA68B) & M32
    x ^= x >> 16
    return x


def uniform(seed, count):
    """u[i] in [-1, 1), exact in float32: ((mix32(i + seed * 0x9E3779B1) >> 8) - 2^23) / 2^23."""
    i = np.arange(count, dtype=np.uint64)
    h = mix32(i + np.uint64((seed * 0x9E3779B1) & M32))
    return ((h >> np.uint64(8)).astype(np.int64) - (1 << 23)).astype(np.float32) * np.float32(2.0 ** -23)


def values(seed, scale, offset, shape):
    u = uniform(seed, int(np.prod(shape)) if shape else 1)
    return (u * np.float32(scale) + np.float32(offset)).reshape(shape)


def kind_of(key, shape):
    """(scale, offset) of a tensor: He-uniform weights, BN near identity, small biases."""
    if key.endswith('running_var'):
        return 0.25, 1.0
    if key.endswith('running_mean'):
        return 0.1, 0.0
    if key.endswith('bias'):
        return 0.1, 0.0
    if len(shape) == 1:  # BN gamma
        return 0.2, 0.8
    fan_in = int(np.prod(shape[1:]))
    return float(np.float32(math.sqrt(3.0 / fan_in))), 0.0


def fill(model):
    """Fills model's state dict by the formula; returns [(key, dtype, shape, seed, scale, offset)]."""
    sd = model.state_dict()
    rows = []
    seed = 0
    with torch.no_grad():
        for key, t in sd.items():
            shape = tuple(t.shape)
            if key.endswith('num_batches_tracked'):
                t.zero_()
                rows.append((key, 'int64', shape, 0, 0.0, 0.0))
                continue
            seed += 1
            scale, offset = kind_of(key, shape)
            scale, offset = float(np.float32(scale)), float(np.float32(offset))
            t.copy_(torch.from_numpy(values(seed, scale, offset, shape)))
            rows.append((key, 'float32', shape, seed, scale, offset))
    return rows


def write_keys(path, rows):
    # mtime=0: the same rows give the same bytes
    with io.TextIOWrapper(gzip.GzipFile(path, 'wb', compresslevel=9, mtime=0), encoding='utf-8') as f:
        for key, dtype, shape, seed, scale, offset in rows:
            dims = ','.join(str(d) for d in shape) if shape else '-'
            f.write(f'{key} {dtype} {dims} {seed} {float(scale).hex()} {float(offset).hex()}\n')


def submodules(rows, prefix):
    """Distinct first path components after prefix, in order of appearance."""
    seen = []
    for r in rows:
        if r[0].startswith(prefix):
            head = r[0][len(prefix):].split('.')[0]
            if head not in seen:
                seen.append(head)
    return seen


def rename(rows, old_prefix, new_prefix):
    return [(new_prefix + r[0][len(old_prefix):],) + r[1:] for r in rows if r[0].startswith(old_prefix)]


def with_prefix(rows, prefix):
    return [r for r in rows if r[0].startswith(prefix)]


def timm_mobilenet_v3(rows, stage_sizes):
    """torchvision mobilenet_v3_{large,small} keys -> timm mobilenetv3_{large,small}_100 keys (same tensors)."""
    out = rename(rows, 'features.0.0.', 'conv_stem.') + rename(rows, 'features.0.1.', 'bn1.')
    feature_ids = sorted(int(k) for k in submodules(rows, 'features.'))
    blocks = feature_ids[1:-1]
    positions = [(s, b) for s, n in enumerate(stage_sizes) for b in range(n)]
    assert len(positions) == len(blocks), (len(positions), len(blocks))
    for idx, (s, b) in zip(blocks, positions):
        pre = f'features.{idx}.block.'
        dst = f'blocks.{s}.{b}.'
        names = iter([('conv_dw', 'bn1'), ('conv_pw', 'bn2')] if (s, b) == (0, 0)
                     else [('conv_pw', 'bn1'), ('conv_dw', 'bn2'), ('conv_pwl', 'bn3')])
        for p in submodules(rows, pre):  # torchvision order: [expand], depthwise, [SE], projection
            if any(r[0].startswith(pre + p + '.fc1.') for r in rows):
                out += rename(rows, pre + p + '.fc1.', dst + 'se.conv_reduce.')
                out += rename(rows, pre + p + '.fc2.', dst + 'se.conv_expand.')
            else:
                conv, bn = next(names)
                out += rename(rows, pre + p + '.0.', dst + conv + '.') + rename(rows, pre + p + '.1.', dst + bn + '.')
    last = feature_ids[-1]
    head_stage = len(stage_sizes)
    out += rename(rows, f'features.{last}.0.', f'blocks.{head_stage}.0.conv.')
    out += rename(rows, f'features.{last}.1.', f'blocks.{head_stage}.0.bn1.')
    for r in with_prefix(rows, 'classifier.0.'):
        key, dtype, shape, seed, scale, offset = r
        if key.endswith('weight'):
            shape = shape + (1, 1)  # timm's conv_head is a 1x1 conv
        out.append(('conv_head.' + key[len('classifier.0.'):], dtype, shape, seed, scale, offset))
    out += rename(rows, 'classifier.3.', 'classifier.')
    return out


def timm_mobilenet_v2(rows):
    """torchvision mobilenet_v2 keys -> timm mobilenetv2_100 keys (same tensors)."""
    out = rename(rows, 'features.0.0.', 'conv_stem.') + rename(rows, 'features.0.1.', 'bn1.')
    positions = [(s, b) for s, n in enumerate([1, 2, 3, 4, 3, 3, 1]) for b in range(n)]
    for idx, (s, b) in zip(range(1, 18), positions):
        pre = f'features.{idx}.conv.'
        dst = f'blocks.{s}.{b}.'
        if idx == 1:
            out += rename(rows, pre + '0.0.', dst + 'conv_dw.') + rename(rows, pre + '0.1.', dst + 'bn1.')
            out += rename(rows, pre + '1.', dst + 'conv_pw.') + rename(rows, pre + '2.', dst + 'bn2.')
        else:
            out += rename(rows, pre + '0.0.', dst + 'conv_pw.') + rename(rows, pre + '0.1.', dst + 'bn1.')
            out += rename(rows, pre + '1.0.', dst + 'conv_dw.') + rename(rows, pre + '1.1.', dst + 'bn2.')
            out += rename(rows, pre + '2.', dst + 'conv_pwl.') + rename(rows, pre + '3.', dst + 'bn3.')
    out += rename(rows, 'features.18.0.', 'conv_head.') + rename(rows, 'features.18.1.', 'bn2.')
    out += rename(rows, 'classifier.1.', 'classifier.')
    return out


def tonylins_mobilenet_v2(rows):
    """torchvision mobilenet_v2 keys -> the tonylins/pytorch-mobilenet-v2 keys AdaFocusV2's global CNN uses."""
    out = rename(rows, 'features.0.', 'features.0.')
    for idx in range(1, 18):
        pre = f'features.{idx}.conv.'
        if idx == 1:
            pairs = [('0.0.', '0.'), ('0.1.', '1.'), ('1.', '3.'), ('2.', '4.')]
        else:
            pairs = [('0.0.', '0.'), ('0.1.', '1.'), ('1.0.', '3.'), ('1.1.', '4.'), ('2.', '6.'), ('3.', '7.')]
        for a, b in pairs:
            out += rename(rows, pre + a, pre + b)
    out += rename(rows, 'features.18.', 'features.18.')
    out += rename(rows, 'classifier.1.', 'classifier.')
    return out


def check_same_tensors(torchvision_rows, other_rows):
    a = sorted((r[3], int(np.prod(r[2])) if r[2] else 1) for r in torchvision_rows)
    b = sorted((r[3], int(np.prod(r[2])) if r[2] else 1) for r in other_rows)
    assert a == b, 'renamed layout lost or duplicated tensors'
    assert len({r[0] for r in other_rows}) == len(other_rows), 'duplicate keys'


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    clips = torch.from_numpy(values(INPUT_SEED, 1.0, 0.0, (FRAMES, 3, SIZE, SIZE)))
    expected = {}
    models = {
        'resnet50': torchvision.models.resnet50,
        'resnet101': torchvision.models.resnet101,
        'mobilenet_v2': torchvision.models.mobilenet_v2,
        'mobilenet_v3_large': torchvision.models.mobilenet_v3_large,
        'mobilenet_v3_small': torchvision.models.mobilenet_v3_small,
    }
    for name, make in models.items():
        model = make().eval()
        rows = fill(model)
        write_keys(os.path.join(out_dir, f'{name}.keys.txt.gz'), rows)
        with torch.no_grad():
            logits = model(clips).numpy().astype(np.float32)
        expected[name] = logits
        print(f'{name}: {len(rows)} keys, logits std {logits.std():.4g}, max |.| {np.abs(logits).max():.4g}')
        if name.startswith('mobilenet_v3'):
            stages = [1, 2, 3, 4, 2, 3] if name.endswith('large') else [1, 2, 3, 2, 3]
            timm_rows = timm_mobilenet_v3(rows, stages)
            check_same_tensors(rows, timm_rows)
            write_keys(os.path.join(out_dir, f'{name}.timm.keys.txt.gz'), timm_rows)
            for m in model.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.eps = 1e-5
            with torch.no_grad():
                expected[name + '_eps1e-5'] = model(clips).numpy().astype(np.float32)
            d = np.abs(expected[name + '_eps1e-5'] - logits).max()
            print(f'  timm layout: {len(timm_rows)} keys; eps 1e-5 moves the logits by {d:.3g}')
        if name == 'mobilenet_v2':
            for label, renamed in (('timm', timm_mobilenet_v2(rows)), ('tonylins', tonylins_mobilenet_v2(rows))):
                check_same_tensors(rows, renamed)
                write_keys(os.path.join(out_dir, f'{name}.{label}.keys.txt.gz'), renamed)
                print(f'  {label} layout: {len(renamed)} keys')
    np.savez(os.path.join(out_dir, 'expected.npz'), **expected)


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'generated-examples/src/test/resources/pretrained')
