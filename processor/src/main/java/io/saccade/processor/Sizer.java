package io.saccade.processor;

import static io.saccade.architecture.AdaFocusV2Layout.POLICY_CHANNELS;

import io.saccade.architecture.AfNetLayout;
import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.Kind;
import io.saccade.architecture.BackboneLayout.Stem;
import io.saccade.architecture.Cost;
import io.saccade.architecture.CostModel;
import io.saccade.processor.NetworkPlan.AfStagePlan;
import io.saccade.processor.NetworkPlan.CnnPlan;
import io.saccade.processor.NetworkPlan.DenseStagePlan;
import io.saccade.processor.NetworkPlan.FocusPlan;
import io.saccade.processor.NetworkPlan.StagePlan;
import io.saccade.processor.Sizing.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Infers every stage's output shape, trainable parameters and multiply-adds from a {@link NetworkPlan},
 * by walking the plan through the shared {@link CostModel} (the formulas the runtime counts its dynamic
 * FLOPs with). AFNet stages are counted as the official FLOPs counter does: ample branch, navigation,
 * fusion and the focal shortcuts on every frame; the focal convolutions on the selected fraction RT
 * (× RS with a spatial mask) of the frames.
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
      Feature features = headFeatures(cnn.layout(), f, head, t);
      CostModel.classifier(head, cnn.layout().head(), features.channels(), features.side(), plan.classes(), t);
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
          f = block(cnn, c, b, f.side(), t);
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
    int h = CostModel.stem(c, stem, cnn.inputSize(), t);
    if (stem.block().isPresent()) {
      return block(cnn, c, stem.block().get(), h, t);
    }
    return new Feature(h, stem.channels());
  }

  /** The head's optional last conv and the global pool; returns the pooled width. */
  private Feature headFeatures(BackboneLayout layout, Feature f, Cost c, int t) {
    return new Feature(f.side(), CostModel.lastConv(c, layout.head(), f.channels(), f.side(), t));
  }

  /** A dense block of the backbone's kind on {@code t} frames. */
  private Feature block(CnnPlan cnn, Cost c, Block b, int h, int t) {
    int side = cnn.layout().kind() == Kind.RESNET
        ? CostModel.bottleneck(c, b, h, 1, t, cnn.shortcut(), t)
        : CostModel.invertedResidual(c, b, h, 1, t, false, t);
    return new Feature(side, b.out());
  }

  /**
   * An AFNet stage on {@code t} frames of side {@code h}, with a fraction {@code ratio} of the frames
   * selected for the focal branch.
   */
  private Feature afStage(CnnPlan cnn, AfStagePlan a, Cost c, int h, int t, double ratio) {
    double spatial = a.navigation().spatialRatio();
    double focalTimes = t * ratio * (spatial > 0 ? spatial : 1);
    AfNetLayout.Stage stage =
        new AfNetLayout.Stage(cnn.layout().kind(), a.blocks(), a.alpha(), a.groups(), a.ampleStride(), a.fusionStride());
    int side = CostModel.afStage(c, stage, h, t, focalTimes, a.navigation().mixFrames(), spatial > 0);
    return new Feature(side, a.out());
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
    int channels = CostModel.lastConv(last, cnn.layout().head(), f.channels(), f.side(), t);
    long params = last.parameters() + parts.stream().mapToLong(Row::parameters).sum();
    double gflops = last.gflops() + parts.stream().mapToDouble(Row::gflopsPerClip).sum();
    rows.add(new Row(name, f.side(), f.side(), channels, params, gflops, false));
    return new Feature(f.side(), channels);
  }

  static int ceil(int size, int stride) {
    return CostModel.side(size, stride);
  }
}
