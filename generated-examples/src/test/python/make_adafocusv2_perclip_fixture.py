#!/usr/bin/python3
"""Writes an AdaFocusV2 parity fixture of the official per-clip (Something-Something / Jester) code.

    git clone https://github.com/LeapLabTHU/AdaFocusV2 /tmp/AdaFocusV2   # at e97987c
    /usr/bin/python3 generated-examples/src/test/python/make_adafocusv2_perclip_fixture.py \
        /tmp/AdaFocusV2 ../shared/fixtures/adafocusv2-parity/adafocusv2-mk-s0 \
        generated-examples/src/test/fixtures/adafocusv2-parity/adafocusv2-sth-s0

Needs Debian's python3-torch and python3-torchvision (torch 1.13, torchvision 0.14, CPU); nothing is downloaded.
The model is `AdaFocus(num_class, args)` of the official `Experiments on Sth-Sth and Jester/main.py`, with `args`
from the official `opts.py` parser given the training line of its README (ResNet-50 TSM focus, MobileNetV2 TSM
glance, shift_div 8, blockres, dropout 0.5) with `--num_segments 4 --patch_size 96 --pretrain none`, 10 classes,
run on the CPU in evaluation mode. The same format as the shared `adafocusv2-mk-s0` fixture (see its README):
weights under the official keys, `input.npz` (`clips` float16 [N, T, 3, 224, 224] normalised), `expected.npz`
(float32) and `meta.json` with end-to-end and stage tolerances (10x the largest |float32 - float64|).

The model is the official one as constructed: the glance TSN on T = 4 frames, the focus TSN on its own
int(1.5 T) = 6 frames, fed as the official `main.py` feeds them (`imgs_glance` and `ims_focus`, two inputs; here
independent frames, as `ops/dataset.py` samples the two sets apart). `input.npz` holds both: `clips` (the glance's)
and `focus_clips`; Saccade's network takes them as one clip of T + Tf frames, the glance's first.

One thing is not the official default, said in meta.json:
- To keep the fixture at a few MB, the backbones' weights are the shared mk fixture's (`weights_from`: the
  tonylins MobileNetV2 and torchvision ResNet-50 layouts are the same modules under `base_model.`), and the
  policy's three large matrices are quantised to 15 levels (compressed well); only the policy and the four
  heads are stored here.
"""
import json
import math
import os
import sys
import types

import numpy as np
import torch

SEED = 0
CLIPS = 2
FRAMES = 4
FOCUS_FRAMES = int(FRAMES * 1.5)  # num_segments_focuser of the official main.py
CLASSES = 10
SIZE = 224
PATCH = 96
ARGV = ['something', 'RGB', '--arch', 'resnet50', '--num_segments', str(FRAMES), '--consensus_type=avg',
        '--dropout', '0.5', '--shift', '--shift_div=8', '--shift_place=blockres', '--npb',
        '--patch_size', str(PATCH), '--global_lr_ratio', '0.5', '--stn_lr_ratio', '0.01', '--pretrain', 'none',
        '--evaluate']
MK_PREFIXES = {'global_CNN.features.': 'global_CNN.base_model.features.',
               'local_CNN.conv1.': 'local_CNN.base_model.conv1.',
               'local_CNN.bn1.': 'local_CNN.base_model.bn1.',
               'local_CNN.layer': 'local_CNN.base_model.layer'}


def official_model(repo):
    code = os.path.join(repo, 'Experiments on Sth-Sth and Jester')
    sys.path.insert(0, code)
    sys.modules.setdefault('tensorboardX', types.SimpleNamespace(SummaryWriter=None))  # imported by main.py only
    torch.Tensor.cuda = lambda self, *a, **k: self  # the official code calls .cuda(); this runs on the CPU
    import main as official
    sample = torch.nn.functional.grid_sample
    # The official theta is float32 (theta.float()); the float64 reference samples with that grid in float64.
    official.F.grid_sample = lambda x, grid, *a, **k: sample(x, grid.to(x.dtype), *a, **k)
    from opts import parser
    args = parser.parse_args(ARGV)
    official.args = args
    torch.manual_seed(SEED)
    model = official.AdaFocus(CLASSES, args)
    assert model.local_CNN.num_segments == FOCUS_FRAMES
    return official, model, args


def smooth_frames(rng, frames):
    """Independent smooth random RGB frames, uint8 [N, frames, 224, 224, 3]: a bilinear colour field plus soft stripes."""
    out = np.zeros((CLIPS, frames, SIZE, SIZE, 3), np.float64)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE] / SIZE
    for n in range(CLIPS):
        for t in range(frames):
            grid = torch.tensor(rng.uniform(0, 255, (1, 3, 4, 4)))
            field = torch.nn.functional.interpolate(grid, (SIZE, SIZE), mode='bilinear', align_corners=True)[0]
            img = field.permute(1, 2, 0).numpy()
            for _ in range(3):
                cy, cx, r = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8), rng.uniform(0.1, 0.3)
                d = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
                inside = 1 / (1 + np.exp((d - r) * 40))
                stripes = 0.5 + 0.5 * np.sin((yy * rng.uniform(-20, 20) + xx * rng.uniform(-20, 20)))
                img = img * (1 - inside[..., None]) + inside[..., None] * stripes[..., None] * rng.uniform(0, 255, 3)
            out[n, t] = img
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def normalise(frames):
    mean = np.array([0.485, 0.456, 0.406])
    std = np.array([0.229, 0.224, 0.225])
    x = (frames / 255.0 - mean) / std  # [N, T, H, W, 3]
    return np.ascontiguousarray(x.transpose(0, 1, 4, 2, 3)).astype(np.float16)  # [N, T, 3, H, W]


class Probe:
    """Forward hooks that keep what the official modules computed."""

    def __init__(self, model):
        self.v = {}
        g, l, p = model.global_CNN, model.local_CNN, model.policy_stn
        g.base_model.register_forward_hook(lambda m, i, o: self.v.__setitem__('global_feat', o[0]))
        l.base_model.register_forward_pre_hook(lambda m, i: self.v.__setitem__('patches', i[0]))
        l.base_model.fc.register_forward_pre_hook(lambda m, i: self.v.__setitem__('local_feat', i[0]))
        l.register_forward_hook(lambda m, i, o: self.v.update(local_logits=o[0], local_aux_logits=o[1]))
        g.register_forward_hook(lambda m, i, o: self.v.update(global_logits=o[0], global_aux_logits=o[1], featmaps=o[2]))
        p[2].register_forward_hook(lambda m, i, o: self.v.__setitem__('policy_map', o))
        p[6].register_forward_hook(lambda m, i, o: self.v.__setitem__('policy_feat', o))
        p[9].register_forward_hook(lambda m, i, o: self.v.__setitem__('policy_hidden', o))
        p[10].register_forward_hook(lambda m, i, o: self.v.__setitem__('policy_logits', o))
        p[11].register_forward_hook(lambda m, i, o: self.v.__setitem__('actions', o))


def run(model, probe, clips, focus):
    """The official evaluation forward on glance clips [N, T, 3, S, S] and focus clips [N, Tf, 3, S, S]; every
    array the fixture stores, as numpy."""
    x = clips.reshape(CLIPS, FRAMES * 3, SIZE, SIZE)
    f = focus.reshape(CLIPS, FOCUS_FRAMES * 3, SIZE, SIZE)
    with torch.no_grad():
        final, _, _ = model(imgs_glance=x, ims_focus=f)
    v = probe.v
    maps = v['featmaps'].reshape(CLIPS * FRAMES, 1280, 7, 7)
    out = {
        'global_featmap_clip0': maps[:FRAMES],
        'global_feat': v['global_feat'],
        'global_logits': v['global_logits'],
        'global_aux_logits': v['global_aux_logits'],
        'policy_map': v['policy_map'],
        'policy_feat': v['policy_feat'],
        'policy_hidden': v['policy_hidden'],
        'policy_logits': v['policy_logits'],
        'actions': v['actions'],
        'patch_corner': v['actions'] * (SIZE - PATCH),
        'patches_clip0': v['patches'][:FOCUS_FRAMES],
        'local_feat': v['local_feat'],
        'local_logits': v['local_logits'],
        'local_aux_logits': v['local_aux_logits'],
        'final_logits': final,
    }
    return {k: t.detach().double().numpy() for k, t in out.items()}


def stages(official, model, probe, stored, focus):
    """Each stage alone on the stored float32 inputs of that stage (teacher forcing), in the model's dtype."""
    dtype = next(model.parameters()).dtype
    s = {k: torch.tensor(v, dtype=dtype) for k, v in stored.items()}
    out = {}
    with torch.no_grad():
        maps = s['global_featmap_clip0'].reshape(1, FRAMES * 1280, 7, 7)
        out['global_feat'] = s['global_featmap_clip0'].mean(3).mean(2)
        model.policy_stn(maps)
        for k in ('policy_map', 'policy_feat', 'policy_hidden', 'policy_logits', 'actions'):
            out[k] = probe.v[k]
        out['patch_corner'] = s['actions'] * (SIZE - PATCH)
        x = focus.to(dtype).reshape(CLIPS, FOCUS_FRAMES * 3, SIZE, SIZE)
        out['patches_clip0'] = official.get_patch_grid(x, s['actions'], SIZE, PATCH)[:1].reshape(FOCUS_FRAMES, 3, PATCH, PATCH)
        model.local_CNN(s['patches_clip0'])
        out['local_feat'] = probe.v['local_feat']
        g, l = model.global_CNN, model.local_CNN
        heads = {'global_logits': (g.new_fc, 'global_feat'), 'global_aux_logits': (g.new_new_fc, 'global_feat'),
                 'local_logits': (l.new_fc, 'local_feat'), 'local_aux_logits': (l.new_new_fc, 'local_feat')}
        for k, (fc, feat) in heads.items():
            out[k] = fc(s[feat]).reshape(CLIPS, -1, CLASSES).mean(1)  # each TSN over its own frames
        out['final_logits'] = out['global_logits'] + out['local_logits']
    return {k: v.detach().double().numpy() for k, v in out.items()}


def fit_batchnorm(bn, x, rng, last=False):
    """Running statistics around this input's own (as the mk fixture): mean + N(0, 0.1)σ, var σ²·U(0.5, 1.5)."""
    dims = [0, 2, 3] if x.dim() == 4 else [0]
    mu = x.mean(dims).double().numpy()
    var = x.var(dims, unbiased=False).double().numpy()
    # With one row per clip a BatchNorm1d's batch variance is noisy; a floor at the mean square keeps its gain
    # moderate, so float32 rounding is not amplified past what a real checkpoint shows.
    floor = (0.1 if x.dim() == 4 else 1.0) * (x.double() ** 2).mean(dims).numpy()
    var = np.maximum(var, np.maximum(floor, 1e-3))
    c = mu.shape[0]
    bn.running_mean.copy_(torch.tensor(mu + rng.normal(0, 0.1, c) * np.sqrt(var)))
    bn.running_var.copy_(torch.tensor(var * rng.uniform(0.5, 1.5, c)))
    bn.weight.copy_(torch.tensor(rng.uniform(0.2, 0.5, c) if last else rng.uniform(0.6, 1.4, c)))
    bn.bias.copy_(torch.tensor(rng.normal(0, 0.1, c)))


def quantise(w, levels=7):
    """k·(max|w|/levels), k an integer in [-levels, levels]: exact in float16, and a few bits of entropy per value."""
    step = float(w.abs().max()) / levels
    step = float(np.float16(2.0 ** math.floor(math.log2(step))))
    return torch.clamp(torch.round(w / step), -levels, levels) * step


def main():
    repo, mk, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    official, model, args = official_model(repo)
    model.eval()
    rng = np.random.default_rng(SEED)
    mk_weights = np.load(os.path.join(mk, 'weights.npz'))
    sd = model.state_dict()
    from_mk = {}
    for k in sd:
        if k.endswith('num_batches_tracked'):
            continue
        plain = k.replace('.net', '')
        for ours, theirs in MK_PREFIXES.items():
            if plain.startswith(theirs):
                from_mk[k] = ours + plain[len(theirs):]
    with torch.no_grad():
        for k, mk_key in from_mk.items():
            sd[k].copy_(torch.tensor(mk_weights[mk_key].astype(np.float32)))
        p = model.policy_stn
        for i in (0, 4, 7):
            p[i].weight.copy_(quantise(p[i].weight))
        g, l = model.global_CNN, model.local_CNN
        for fc in (g.new_fc, g.new_new_fc, l.new_fc, l.new_new_fc):
            fc.weight.normal_(0, 0.05)
            fc.bias.normal_(0, 0.1)
        frames = smooth_frames(rng, FRAMES + FOCUS_FRAMES)
        clips16 = normalise(frames[:, :FRAMES])
        focus16 = normalise(frames[:, FRAMES:])
        clips = torch.tensor(clips16.astype(np.float32))
        focus = torch.tensor(focus16.astype(np.float32))
        probe = Probe(model)
        # Fit the policy's batch norms to this input, layer by layer, then spread the actions over the frame.
        for bn_index in (1, 5, 8):
            inputs = {}
            hook = p[bn_index].register_forward_pre_hook(lambda m, i: inputs.__setitem__('x', i[0]))
            run(model, probe, clips, focus)
            hook.remove()
            fit_batchnorm(p[bn_index], inputs['x'], rng)
        run(model, probe, clips, focus)
        logits = p[10](probe.v['policy_hidden'])
        scale = 1.5 / max(float(logits.std()), 1e-6)
        target = torch.tensor(rng.normal(0, 0.5, 2), dtype=logits.dtype)
        p[10].weight.mul_(scale)
        p[10].bias.copy_(target - (logits.mean(0) - p[10].bias) * scale)
        # Every value to float16, then used as float32.
        for k, v in sd.items():
            if v.is_floating_point():
                v.copy_(v.half().float())
    f32 = run(model, probe, clips, focus)
    stage32 = stages(official, model, probe, {k: v.astype(np.float32) for k, v in f32.items()}, focus)

    # float64 reruns: the tolerances are 10x the largest |float32 - float64|.
    model64 = model.double()
    probe.v.clear()
    f64 = run(model64, probe, clips.double(), focus.double())
    stage64 = stages(official, model64, probe, {k: v.astype(np.float32) for k, v in f32.items()}, focus)

    def tol(d):
        d = max(10 * d, 1e-6)
        e = math.floor(math.log10(d))
        return float('%.1g' % (math.ceil(d / 10 ** e) * 10 ** e))

    end_to_end = {k: tol(float(np.abs(f32[k] - f64[k]).max())) for k in f32}
    stage = {k: tol(float(np.abs(stage32[k] - stage64[k]).max())) for k in stage32}
    stage['global_featmap_clip0'] = end_to_end['global_featmap_clip0']  # computed from the clips either way

    os.makedirs(out_dir, exist_ok=True)
    state = {k: v.float().numpy().astype(np.float16) for k, v in model.float().state_dict().items()
             if not k.endswith('num_batches_tracked')}
    own = {k: v for k, v in state.items() if k not in from_mk}
    np.savez_compressed(os.path.join(out_dir, 'weights.npz'), **own)
    np.savez_compressed(os.path.join(out_dir, 'input.npz'), clips=clips16, focus_clips=focus16)
    np.savez_compressed(os.path.join(out_dir, 'expected.npz'), **{k: v.astype(np.float32) for k, v in f32.items()})
    mk_rel = os.path.relpath(os.path.join(mk, 'weights.npz'), out_dir)
    meta = {
        'family': 'adafocusv2',
        'variant': 'per_clip',
        'seed': SEED,
        'official_repo': 'github.com/LeapLabTHU/AdaFocusV2',
        'official_commit': 'e97987c225e029162f28605bda5f02b1e1f9dd2c',
        'official_argv': ARGV,
        'generator': 'generated-examples/src/test/python/make_adafocusv2_perclip_fixture.py OFFICIAL_REPO MK_FIXTURE OUT',
        'torch': torch.__version__,
        'device': 'CPU, evaluation mode (model.eval(), torch.no_grad())',
        'model': "AdaFocus(num_class, args) from 'Experiments on Sth-Sth and Jester/main.py' (TSN MobileNetV2-TSM glance,"
                 " TSN ResNet-50-TSM focus, MLP policy: one patch per clip), args from its opts.py",
        'departures': [
            'backbone weights from weights_from (the mk fixture\'s MobileNetV2 and ResNet-50, BatchNorm statistics '
            'fitted to its input); policy matrices policy_stn.0/.4/.7 quantised to 15 levels; heads N(0, 0.05)'],
        'config': {'frames': FRAMES, 'focus_frames': FOCUS_FRAMES, 'clips': CLIPS, 'classes': CLASSES, 'input_size': SIZE, 'patch_size': PATCH,
                   'global_feature_dim': 1280, 'local_feature_dim': 2048, 'policy_hidden': [1024, 512],
                   'shift_div': 8, 'dropout': 0.5},
        'weights_from': {'path': mk_rel, 'prefixes': MK_PREFIXES},
        'layouts': {
            'clips': 'input.npz clips (the glance\'s T frames) float16 [N, T, 3, 224, 224] and focus_clips (the focus '
                     'network\'s Tf = int(1.5 T) frames, sampled apart) [N, Tf, 3, 224, 224], RGB NCHW per frame, '
                     'normalised (x/255 - mean)/std; imgs_glance = clips.reshape(N, T*3, 224, 224), '
                     'ims_focus = focus_clips.reshape(N, Tf*3, 224, 224); Saccade\'s input clip is both, the glance\'s first',
            'rows': 'glance per-frame arrays have N*T rows (row n*T + t), focus ones (local_feat) N*Tf rows; policy '
                    'arrays have N rows (one patch per clip, applied to every focus frame)',
            'weights': 'official state_dict keys (TSM-wrapped convs carry .net), float16; weights.npz holds the keys '
                       'not taken from weights_from; keys lists all of them',
            'maps': 'NCHW float32'},
        'expected': {
            'global_featmap_clip0': 'glance MobileNetV2-TSM features [T, 1280, 7, 7], clip 0',
            'global_feat': 'their spatial mean [N*T, 1280]',
            'global_logits': 'global_CNN.new_fc on the (detached) features, TSN average [N, classes]',
            'global_aux_logits': 'global_CNN.new_new_fc, TSN average [N, classes]',
            'policy_map': 'policy_stn[0:3] on the frame-major stacked maps [N, T*1280, 7, 7] -> [N, 64, 7, 7]',
            'policy_feat': 'policy_stn[3:7]: Flatten (NCHW), Linear 3136->1024, BN1d, tanh [N, 1024]',
            'policy_hidden': 'policy_stn[7:10]: Linear 1024->512, BN1d, tanh [N, 512]',
            'policy_logits': 'policy_stn[10] [N, 2], before the sigmoid',
            'actions': 'sigmoid, (y, x) fractions of S - P [N, 2]',
            'patch_corner': 'actions * (224 - %d) [N, 2] (y, x) pixels' % PATCH,
            'patches_clip0': 'get_patch_grid output on the focus frames, clip 0 [Tf, 3, %d, %d]' % (PATCH, PATCH),
            'local_feat': 'focus ResNet-50-TSM (shifting over Tf frames) pooled features [N*Tf, 2048]',
            'local_logits': 'local_CNN.new_fc, TSN average over the Tf frames [N, classes]',
            'local_aux_logits': 'local_CNN.new_new_fc, TSN average over the Tf frames [N, classes]',
            'final_logits': 'global_logits + local_logits [N, classes] (what validate scores)'},
        'tolerance': {'rule': 'elementwise |ours - expected| <= atol; atol = 10 x the largest |float32 - float64| '
                              '(end to end: the whole model; stage: that stage fed the stored float32 inputs), '
                              'rounded up to one significant digit, at least 1e-6',
                      'end_to_end': end_to_end, 'stage': stage},
        'keys': {k: list(v.shape) for k, v in state.items()},
        'bn_eps': 1e-5,
    }
    with open(os.path.join(out_dir, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    for k in f32:
        print('%-22s max|v| %.3g  e2e atol %.2g  stage atol %s' % (k, np.abs(f32[k]).max(), end_to_end[k], stage.get(k)))
    print('actions', f32['actions'])


if __name__ == '__main__':
    main()
