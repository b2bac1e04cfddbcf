package io.saccade.processor;

import io.saccade.processor.BackboneLayout.Block;
import io.saccade.processor.BackboneLayout.Kind;
import io.saccade.processor.BackboneLayout.Stem;
import io.saccade.processor.NetworkPlan.AfStagePlan;
import io.saccade.processor.NetworkPlan.CnnPlan;
import io.saccade.processor.NetworkPlan.DenseStagePlan;
import io.saccade.processor.NetworkPlan.FocusPlan;
import io.saccade.processor.NetworkPlan.Shortcut;
import io.saccade.processor.NetworkPlan.StagePlan;
import io.saccade.processor.Sizing.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Infers every stage's output shape, trainable parameters and multiply-adds from a {@link NetworkPlan},
 * in plain Java, by the conventions of {@link Cost}. Convolutions pad to keep {@code ceil(h / stride)}.
 * AFNet stages are counted as the official FLOPs counter does: ample branch, navigation, fusion and the
 * focal shortcuts on every frame; the focal convolutions on the selected fraction RT (× RS with a spatial
 * mask) of the frames.
 *
 * <p>Published figures it reproduces (see the tests): ResNet-50 25,557,032 parameters and 4.1 GFLOPs per
 * 224² frame; ResNet-101 44,549,160; MobileNetV3-Large 5,483,032; MobileNetV3-Small 2,542,856;
 * MobileNetV2 3,504,872 (1000 classes).
 *
 * <pre>{@code
 * Sizing s = new Sizer().size(plan);
 * Sizing allKept = new Sizer().size(plan, 1.0);    // every AF stage at RT = 1
 * }</pre>
 */
final class Sizer {

  /** Fusion attention reduction of the official AFNet code. */
  static final int FUSION_REDUCTION = 16;
  /** Width of the 1×1 conv that opens AdaFocusV2's policy. */
  static final int POLICY_CHANNELS = 64;

  /** Sizes {@code plan} at its declared target ratios. */
  Sizing size(NetworkPlan plan) {
    return size(plan, OptionalDouble.empty());
  }

  /** Sizes {@code plan} with every AFNet stage's target ratio replaced by {@code keepRatio}. */
  Sizing size(NetworkPlan plan, double keepRatio) {
    return size(plan, OptionalDouble.of(keepRatio));
  }

  private Sizing size(NetworkPlan plan, OptionalDouble keepRatio) {
    List<Row> rows = new ArrayList<>();
    int t = plan.frames();
    if (plan.cnn().isPresent()) {
      CnnPlan cnn = plan.cnn().get();
      Feature f = encoder(cnn, t, keepRatio, rows);
      Cost head = new Cost();
      int features = headFeatures(cnn.layout(), f, head, t);
      BackboneLayout.Head h = cnn.layout().head();
      if (h.hidden() > 0) {
        head.linear(features, h.hidden(), true, t);
        features = h.hidden();
      }
      head.linear(features, plan.classes(), true, t);
      rows.add(new Row("head", 1, 1, plan.classes(), head.parameters(), head.gflops(), false));
    } else {
      adaFocus(plan, plan.focus().orElseThrow(), rows);
    }
    return new Sizing(rows);
  }

  /** A feature map's side and channels. */
  private record Feature(int side, int channels) {}

  /** Stem and stages of {@code cnn}, one row each; returns the last stage's output. */
  private Feature encoder(CnnPlan cnn, int t, OptionalDouble keepRatio, List<Row> rows) {
    Cost stem = new Cost();
    Feature f = stem(cnn, stem, t);
    rows.add(new Row("stem", f.side(), f.side(), f.channels(), stem.parameters(), stem.gflops(), false));
    for (StagePlan s : cnn.stages()) {
      Cost c = new Cost();
      if (s instanceof DenseStagePlan d) {
        for (Block b : d.blocks()) {
          f = block(cnn, c, b, f.side(), 1, t, t);
        }
        rows.add(new Row(s.name(), f.side(), f.side(), f.channels(), c.parameters(), c.gflops(), false));
      } else {
        AfStagePlan a = (AfStagePlan) s;
        f = afStage(cnn, a, c, f.side(), t, keepRatio.orElse(a.navigation().targetRatio()));
        rows.add(new Row(s.name(), f.side(), f.side(), f.channels(), c.parameters(), c.gflops(), true));
      }
    }
    return f;
  }

  private Feature stem(CnnPlan cnn, Cost c, int t) {
    Stem stem = cnn.layout().stem();
    int h = ceil(cnn.inputSize(), 2);
    c.conv(3, stem.channels(), stem.kernel(), h, h, 1, false, t).bn(stem.channels());
    if (stem.maxPool()) {
      h = ceil(h, 2);
      c.pool(3, stem.channels(), h, h, t);
    }
    if (stem.block().isPresent()) {
      return block(cnn, c, stem.block().get(), h, 1, t, t);
    }
    return new Feature(h, stem.channels());
  }

  /** The head's optional last conv and the global pool; returns the pooled width. */
  private int headFeatures(BackboneLayout layout, Feature f, Cost c, int t) {
    int channels = f.channels();
    if (layout.head().lastConv() > 0) {
      c.conv(channels, layout.head().lastConv(), 1, f.side(), f.side(), 1, false, t).bn(layout.head().lastConv());
      channels = layout.head().lastConv();
    }
    c.globalPool(channels, f.side(), f.side(), t);
    return channels;
  }

  /** A dense block of the backbone's kind on {@code frames} frames. */
  private Feature block(CnnPlan cnn, Cost c, Block b, int h, int groups, double convTimes, double shortcutTimes) {
    return cnn.layout().kind() == Kind.RESNET
        ? bottleneck(c, b, h, groups, convTimes, cnn.shortcut(), shortcutTimes)
        : invertedResidual(c, b, h, groups, convTimes, false, shortcutTimes);
  }

  /** conv1 1×1 → conv2 3×3 (stride) → conv3 1×1, each + BN; projection shortcut as {@code shortcut} says. */
  static Feature bottleneck(Cost c, Block b, int h, int groups, double convTimes, Shortcut shortcut, double shortcutTimes) {
    int ho = ceil(h, b.stride());
    c.conv(b.in(), b.mid(), 1, h, h, groups, false, convTimes).bn(b.mid());
    c.conv(b.mid(), b.mid(), 3, ho, ho, groups, false, convTimes).bn(b.mid());
    c.conv(b.mid(), b.out(), 1, ho, ho, groups, false, convTimes).bn(b.out());
    boolean reshape = b.stride() != 1 || b.in() != b.out();
    if (reshape && shortcut == Shortcut.STRIDED_CONV) {
      c.conv(b.in(), b.out(), 1, ho, ho, 1, false, shortcutTimes).bn(b.out());
    } else if (reshape) {
      if (b.stride() != 1) {
        c.pool(3, b.in(), ho, ho, shortcutTimes);
      }
      if (b.in() != b.out()) {
        c.conv(b.in(), b.out(), 1, ho, ho, 1, false, shortcutTimes).bn(b.out());
      }
    }
    return new Feature(ho, b.out());
  }

  /**
   * [1×1 expand] → k×k depthwise (stride) → [squeeze-excite] → 1×1 project, each conv + BN; the
   * pointwise convs use {@code groups}. With {@code projectShortcut} (AFNet's focal blocks) a reshaping
   * block gets a grouped 1×1 conv + BN shortcut; otherwise the residual exists only when shapes match.
   */
  static Feature invertedResidual(
      Cost c, Block b, int h, int groups, double convTimes, boolean projectShortcut, double shortcutTimes) {
    int ho = ceil(h, b.stride());
    if (b.mid() != b.in()) {
      c.conv(b.in(), b.mid(), 1, h, h, groups, false, convTimes).bn(b.mid());
    }
    c.conv(b.mid(), b.mid(), b.kernel(), ho, ho, b.mid(), false, convTimes).bn(b.mid());
    if (b.se()) {
      // two 1×1 convs with bias through the squeeze width; multiply-adds as the official AFNet counter
      // (forward_calc_flops) counts them whatever the squeeze width: pool C·h·w, then 2·⌊C²/4⌋ + C
      int squeeze = BackboneLayout.squeezeChannels(b.mid());
      c.parameters(2L * b.mid() * squeeze + squeeze + b.mid());
      c.globalPool(b.mid(), ho, ho, convTimes).macs(convTimes * (2.0 * ((long) b.mid() * b.mid() / 4) + b.mid()));
    }
    c.conv(b.mid(), b.out(), 1, ho, ho, groups, false, convTimes).bn(b.out());
    if (projectShortcut && (b.stride() != 1 || b.in() != b.out())) {
      c.conv(b.in(), b.out(), 1, ho, ho, groups, false, shortcutTimes).bn(b.out());
    }
    return new Feature(ho, b.out());
  }

  /**
   * An AFNet stage on {@code t} frames of side {@code h}, with a fraction {@code ratio} of the frames
   * selected for the focal branch.
   */
  private Feature afStage(CnnPlan cnn, AfStagePlan a, Cost c, int h, int t, double ratio) {
    boolean resnet = cnn.layout().kind() == Kind.RESNET;
    int ha = ceil(h, a.ampleStride());
    double spatial = a.navigation().spatialRatio();
    double focalTimes = t * ratio * (spatial > 0 ? spatial : 1);
    int n = a.blocks().size();
    for (int j = 0; j < n - 1; j++) {
      Block dense = a.blocks().get(j);
      // navigation j reads the ample branch's input: the stage input for j = 0, else ample features
      int navChannels = j == 0 ? a.in() : dense.in() / (resnet ? a.alpha() : 1);
      navigation(c, navChannels, j == 0 ? h : ha, t, a.navigation(), cnn.layout().kind());
      if (resnet) {
        Block ample = new Block(j == 0 ? a.in() : dense.in() / a.alpha(), dense.mid() / a.alpha(), dense.out() / a.alpha(), 3,
            j == 0 ? a.ampleStride() : 1, false, dense.activation());
        bottleneck(c, ample, j == 0 ? h : ha, 1, t, Shortcut.AVG_POOL_CONV, t);
        Block focal = dense.withStride(1);
        bottleneck(c, focal, h, a.groups(), focalTimes, Shortcut.STRIDED_CONV, t);
      } else {
        invertedResidual(c, dense.withStride(j == 0 ? a.ampleStride() : 1), j == 0 ? h : ha, 1, t, false, t);
        invertedResidual(c, dense.withStride(1), h, a.groups(), focalTimes, true, t);
      }
    }
    int out = a.out();
    if (resnet && a.alpha() != 1) {
      c.conv(out / a.alpha(), out, 1, ha, ha, 1, false, t).bn(out); // ample → focal width
    }
    // fusion attention: GAP(ample + focal) → FC C→C/16 → ReLU → FC → sigmoid (biases only in MobileNet's);
    // the official counter adds C for the gate (forward_calc_flops: c·h·w + 2·c·c/16 + c)
    int reduced = out / FUSION_REDUCTION;
    c.globalPool(out, h, h, t);
    if (resnet) {
      c.linear(out, reduced, false, t).linear(reduced, out, false, t).macs((double) t * out);
    } else {
      // the official MobileNet counter: 2·⌊C²/16⌋ + C, whatever C/16 rounds to
      c.parameters(2L * out * reduced + reduced + out).macs(t * (2.0 * ((long) out * out / FUSION_REDUCTION) + out));
    }
    Block fusion = a.blocks().get(n - 1);
    if (resnet) {
      return bottleneck(c, new Block(out, out / 4, out, 3, a.fusionStride(), false, fusion.activation()), h, 1, t, Shortcut.AVG_POOL_CONV, t);
    }
    return invertedResidual(c, fusion.withStride(a.fusionStride()), h, 1, t, false, t);
  }

  /**
   * One navigation module on a {@code side × side × channels} input: GAP → 1×1 conv C→2 (no bias) → BN
   * → ReLU → 2T→2T 1×1 conv with bias (groups T unless frames are mixed), per clip (the MobileNet counter
   * charges it per frame, {@code 4T²/groups} each, as the runtime's MobileNet stage does); with a spatial mask
   * also 3×3 conv C→2 (no bias) → BN → ReLU → 1×1 conv 2→2 with bias on the map.
   */
  static void navigation(Cost c, int channels, int side, int t, NetworkPlan.NavigationPlan nav, Kind kind) {
    c.globalPool(channels, side, side, t);
    c.conv(channels, 2, 1, 1, 1, 1, false, t).bn(2);
    int groups = nav.mixFrames() ? 1 : t;
    if (kind == Kind.RESNET) {
      c.conv(Math.multiplyExact(2, t), 2 * t, 1, 1, 1, groups, true, 1);
    } else {
      // the official MobileNet counter charges the 2T conv once per frame: T · 2·2T/groups per frame
      c.conv(Math.multiplyExact(2, t), 2 * t, 1, 1, 1, groups, true, 0).macs((double) t * 4L * t * t / groups);
    }
    if (nav.spatialRatio() > 0) {
      c.conv(channels, 2, 3, side, side, 1, false, t).bn(2);
      c.conv(2, 2, 1, side, side, 1, true, t);
    }
  }

  private void adaFocus(NetworkPlan plan, FocusPlan focus, List<Row> rows) {
    int t = plan.frames();
    int k = plan.classes();
    Feature g = encoderRow("global", focus.global(), t, rows);
    Cost policy = new Cost();
    int cells = Math.multiplyExact(g.side(), g.side());
    if (focus.recurrent()) {
      // conv C→64 → BN → tanh → linear(64·h·w → H) → BN → tanh → GRU(H) → linear(H → 2) → sigmoid, per frame
      policy.conv(g.channels(), POLICY_CHANNELS, 1, g.side(), g.side(), 1, false, t).bn(POLICY_CHANNELS);
      int hidden = focus.policyHidden();
      policy.linear(Math.multiplyExact(POLICY_CHANNELS, cells), hidden, true, t).bn(hidden);
      long gru = Math.multiplyExact(6L * hidden, (long) hidden);
      policy.parameters(Math.addExact(gru, 6L * hidden)).macs((double) t * gru);
      policy.linear(hidden, 2, true, t);
    } else {
      // all frames' maps stacked as channels: conv T·C→64 → BN → tanh → 1024 → BN → 512 → BN → 2, per clip
      policy.conv(Math.multiplyExact(t, g.channels()), POLICY_CHANNELS, 1, g.side(), g.side(), 1, false, 1).bn(POLICY_CHANNELS);
      int hidden = focus.policyHidden();
      policy.linear(Math.multiplyExact(POLICY_CHANNELS, cells), hidden, true, 1).bn(hidden);
      policy.linear(hidden, hidden / 2, true, 1).bn(hidden / 2);
      policy.linear(hidden / 2, 2, true, 1);
    }
    rows.add(new Row("policy", 1, 1, 2, policy.parameters(), policy.gflops(), false));
    // the local CNN runs on the patches of its Tf frames (per clip: int(1.5·T) sampled apart by default)
    int tf = focus.focusFrames();
    Feature l = encoderRow("local", focus.local(), tf, rows);
    Cost head = new Cost();
    head.globalPool(g.channels(), g.side(), g.side(), t).globalPool(l.channels(), l.side(), l.side(), tf);
    // auxiliary per-frame heads of each encoder
    head.linear(g.channels(), k, true, t).linear(l.channels(), k, true, tf);
    if (focus.recurrent()) {
      // concat → linear → BN → ReLU → running max over time → one linear head per step
      head.linear(g.channels() + l.channels(), focus.hidden(), true, t).bn(focus.hidden());
      head.linear(focus.hidden(), k, true, 1);
      head.parameters(Math.multiplyExact((long) (t - 1), Math.addExact(Math.multiplyExact((long) focus.hidden(), (long) k), k))).macs((double) (t - 1) * focus.hidden() * k);
    } else {
      // global + local TSN logits, each with its own main head beside the auxiliary one
      head.linear(g.channels(), k, true, t).linear(l.channels(), k, true, tf);
    }
    rows.add(new Row("classifier", 1, 1, k, head.parameters(), head.gflops(), false));
  }

  /** One row for a whole encoder (stem, stages and the head's last conv, no classifier). */
  private Feature encoderRow(String name, CnnPlan cnn, int t, List<Row> rows) {
    List<Row> parts = new ArrayList<>();
    Feature f = encoder(cnn, t, OptionalDouble.empty(), parts);
    Cost last = new Cost();
    int channels = f.channels();
    if (cnn.layout().head().lastConv() > 0) {
      channels = cnn.layout().head().lastConv();
      last.conv(f.channels(), channels, 1, f.side(), f.side(), 1, false, t).bn(channels);
    }
    long params = last.parameters() + parts.stream().mapToLong(Row::parameters).sum();
    double gflops = last.gflops() + parts.stream().mapToDouble(Row::gflopsPerClip).sum();
    rows.add(new Row(name, f.side(), f.side(), channels, params, gflops, false));
    return new Feature(f.side(), channels);
  }

  static int ceil(int size, int stride) {
    return (size + stride - 1) / stride;
  }
}
