package io.saccade.runtime.blocks;

import io.saccade.architecture.AfNetLayout;
import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.Head;
import io.saccade.architecture.BackboneLayout.Stem;
import io.saccade.architecture.Cost;
import io.saccade.architecture.CostModel;
import io.saccade.dsl.Backbones;
import io.saccade.runtime.adaptive.TemporalShift;
import io.saccade.runtime.blocks.MobileNetInvertedResidualSpec.Excitation;
import io.saccade.runtime.nn.Activations;
import io.saccade.runtime.nn.BatchNorm;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Conv2d;
import io.saccade.runtime.nn.DepthwiseConv2d;
import io.saccade.runtime.nn.Dropout;
import io.saccade.runtime.nn.Initializer;
import io.saccade.runtime.nn.Linear;
import io.saccade.runtime.nn.Pooling;
import io.saccade.runtime.nn.SqueezeExcite;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * MobileNetV3 building blocks as generated networks call them, on frames folded into the batch
 * ({@code [N·T, H, W, C]}). Parameter paths: {@code stem/{conv,bn}}; in a block {@code expand/{conv,bn}},
 * {@code depthwise/{conv,bn}}, {@code se/{fc1,fc2}/{kernel,bias}}, {@code project/{conv,bn}},
 * {@code shortcut/{conv,bn}}; {@code conv/kernel} and {@code bn/{gamma,beta,moving_mean,moving_variance}}
 * for {@link #lastConv}; {@code fc1/…}, {@code fc2/…} for {@link #classifier}.
 *
 * <pre>{@code
 * Operand<TFloat32> x = MobileNetV3.stem(ctx.child("stem"), frames);              // [N·T, H/2, W/2, 16]
 * x = MobileNetV3.features(ctx.child("features"), x, MobileNetV3.large(8));        // [N·T, H/32, W/32, 160]
 * x = MobileNetV3.lastConv(ctx.child("last"), x, MobileNetV3.LARGE_LAST_CHANNELS);
 * Heads.Logits logits = MobileNetV3.classifier(ctx.child("head"), x, 8, MobileNetV3.LARGE_HIDDEN, 174, 0.5f);
 * }</pre>
 *
 * <p>FLOPs follow the official AFNet MobileNetV3 counter ({@code forward_calc_flops}): convolutions
 * {@code cin·cout·h·w·k²/groups} (output size), squeeze-and-excite {@code C·h·w + 2·⌊C²/4⌋ + C}, the
 * classifier's two linear layers; BN, activations and the final pooling are not counted. Block tables
 * and formulas come from {@link BackboneLayout} and {@link CostModel}, the definitions the processor sizes with.
 */
public final class MobileNetV3 {

  private static final BackboneLayout LARGE = BackboneLayout.of(Backbones.MOBILENET_V3_LARGE);
  private static final BackboneLayout SMALL = BackboneLayout.of(Backbones.MOBILENET_V3_SMALL);

  /** Output channels of the stem (16). */
  public static final int STEM_CHANNELS = LARGE.stem().channels();
  /** MobileNetV3-Large: channels of the last 1×1 conv (960) and of the classifier's hidden layer (1280). */
  public static final int LARGE_LAST_CHANNELS = LARGE.head().lastConv();
  public static final int LARGE_HIDDEN = LARGE.head().hidden();
  /** MobileNetV3-Small: channels of the last 1×1 conv (576) and of the classifier's hidden layer (1024). */
  public static final int SMALL_LAST_CHANNELS = SMALL.head().lastConv();
  public static final int SMALL_HIDDEN = SMALL.head().hidden();
  /** Standard deviation of the classifier's initial weights (the official AFNet MobileNetV3 value). */
  public static final float CLASSIFIER_INIT_STD = 0.01f;

  private MobileNetV3() {}

  /** conv 3×3/2 (pad 1, 16 channels, no bias) → BN → hard-swish: {@code [M, H, W, 3]} → {@code [M, H/2, W/2, 16]}. */
  public static Operand<TFloat32> stem(BuildContext ctx, Operand<TFloat32> frames) {
    return stem(ctx, frames, STEM_CHANNELS);
  }

  /** The stem with {@code channels} output channels (a width-scaled network). */
  public static Operand<TFloat32> stem(BuildContext ctx, Operand<TFloat32> frames, int channels) {
    return stem(ctx, frames, channels, MobileNetInvertedResidualSpec.Activation.HARD_SWISH);
  }

  /**
   * conv 3×3/2 (pad 1, no bias) → BN → {@code activation}: MobileNetV3's stem with hard-swish, MobileNetV2's
   * (32 channels) with ReLU6.
   */
  public static Operand<TFloat32> stem(
      BuildContext ctx, Operand<TFloat32> frames, int channels, MobileNetInvertedResidualSpec.Activation activation) {
    Operand<TFloat32> x = Conv2d.builder(channels).kernel(3).stride(2).padding(1).build(ctx.child("conv"), frames);
    return activate(ctx.tf(), BatchNorm.builder().build(ctx.child("bn"), x), activation);
  }

  /** Spatial size after the stem for frames of {@code size} pixels. */
  public static int stemOutputSize(int size) {
    return CostModel.side(size, 2);
  }

  /** Multiply-adds of a {@code channels}-wide stem for one frame of {@code size × size}. */
  public static long stemFlops(int size, int channels) {
    Stem stem = LARGE.stem();
    Cost c = new Cost();
    CostModel.stem(c, new Stem(channels, stem.kernel(), stem.activation(), stem.maxPool(), stem.block()), size, 1);
    return c.multiplyAdds();
  }

  /** One inverted residual block as {@code spec} describes; parameters under {@code ctx.path()}. */
  public static Operand<TFloat32> invertedResidual(
      BuildContext ctx, Operand<TFloat32> x, MobileNetInvertedResidualSpec spec) {
    Ops tf = ctx.tf();
    int in = Shapes.channels(x, "inverted residual");
    Operand<TFloat32> y = spec.shiftFrames() > 0 ? TemporalShift.apply(tf, x, spec.shiftFrames(), spec.shiftDivisor()) : x;
    y = branch(ctx, y, spec);
    return hasShortcut(in, spec) ? tf.math.add(y, shortcut(ctx, x, spec)) : y;
  }

  /**
   * The block without shift and residual: [expand 1×1 → BN → act] → depthwise → BN → act (SE where the
   * spec puts it) → project 1×1 → BN. AFNet's focal blocks run this on the selected frames only.
   */
  public static Operand<TFloat32> branch(BuildContext ctx, Operand<TFloat32> x, MobileNetInvertedResidualSpec spec) {
    return branch(ctx, x, spec, null);
  }

  /**
   * {@link #branch(BuildContext, Operand, MobileNetInvertedResidualSpec)} with the squeeze-and-excite's
   * pooling done by {@code sePool} ({@code [M, H, W, C]} → {@code [M, 1, 1, C]}; {@code null}: the mean), for a
   * reduced frame that stands for a larger one ({@link MobileNetAfStage#zeroFrameBranch}).
   */
  static Operand<TFloat32> branch(
      BuildContext ctx, Operand<TFloat32> x, MobileNetInvertedResidualSpec spec, UnaryOperator<Operand<TFloat32>> sePool) {
    Ops tf = ctx.tf();
    int in = Shapes.channels(x, "inverted residual");
    checkGroups(ctx, in, spec);
    boolean expands = in != spec.expanded();
    Operand<TFloat32> y = x;
    if (expands) {
      y = Conv2d.builder(spec.expanded()).kernel(1).padding(0).groups(spec.groups()).build(ctx.child("expand").child("conv"), y);
      y = activate(tf, BatchNorm.builder().build(ctx.child("expand").child("bn"), y), spec.activation());
    }
    y = DepthwiseConv2d.builder().kernel(spec.kernel()).stride(spec.stride()).padding((spec.kernel() - 1) / 2)
        .buildWithBatchNorm(ctx.child("depthwise").child("conv"), BatchNorm.builder(), ctx.child("depthwise").child("bn"), y);
    boolean exciteFirst = spec.excitation() == Excitation.BEFORE_ACTIVATION && expands;
    if (exciteFirst) {
      y = squeezeExcite(ctx, y, spec, sePool);
    }
    y = activate(tf, y, spec.activation());
    if (spec.excitation() != Excitation.NONE && !exciteFirst) {
      y = squeezeExcite(ctx, y, spec, sePool);
    }
    y = Conv2d.builder(spec.out()).kernel(1).padding(0).groups(spec.groups()).build(ctx.child("project").child("conv"), y);
    return BatchNorm.builder().build(ctx.child("project").child("bn"), y);
  }

  /** Whether a block on {@code in} channels adds a residual: the identity, or a projection when the spec asks. */
  public static boolean hasShortcut(int in, MobileNetInvertedResidualSpec spec) {
    return (spec.stride() == 1 && in == spec.out()) || spec.shortcut() == MobileNetInvertedResidualSpec.Shortcut.PROJECT;
  }

  /**
   * The residual: {@code x} when stride 1 and channels unchanged, else 1×1 conv (stride, groups) → BN under
   * {@code shortcut/}.
   *
   * @throws IllegalArgumentException when the block has no residual ({@link #hasShortcut} false)
   */
  public static Operand<TFloat32> shortcut(BuildContext ctx, Operand<TFloat32> x, MobileNetInvertedResidualSpec spec) {
    int in = Shapes.channels(x, "inverted residual shortcut");
    if (!hasShortcut(in, spec)) {
      throw new IllegalArgumentException(
          "block " + ctx.path() + " has no residual: stride " + spec.stride() + ", " + in + " → " + spec.out()
              + " channels, shortcut " + spec.shortcut());
    }
    if (spec.stride() == 1 && in == spec.out()) {
      return x;
    }
    BuildContext sc = ctx.child("shortcut");
    Operand<TFloat32> y =
        Conv2d.builder(spec.out()).kernel(1).stride(spec.stride()).padding(0).groups(spec.groups()).build(sc.child("conv"), x);
    return BatchNorm.builder().build(sc.child("bn"), y);
  }

  /** Blocks in sequence, block i under {@code block<i>}. */
  public static Operand<TFloat32> features(
      BuildContext ctx, Operand<TFloat32> x, List<MobileNetInvertedResidualSpec> blocks) {
    Operand<TFloat32> y = x;
    for (int i = 0; i < blocks.size(); i++) {
      y = invertedResidual(ctx.child("block" + i), y, blocks.get(i));
    }
    return y;
  }

  /** 1×1 conv (no bias) → BN → hard-swish, the layer before the classifier. */
  public static Operand<TFloat32> lastConv(BuildContext ctx, Operand<TFloat32> x, int channels) {
    return lastConv(ctx, x, channels, MobileNetInvertedResidualSpec.Activation.HARD_SWISH);
  }

  /** 1×1 conv (no bias) → BN → {@code activation}: MobileNetV3's last conv (hard-swish), MobileNetV2's (1280, ReLU6). */
  public static Operand<TFloat32> lastConv(
      BuildContext ctx, Operand<TFloat32> x, int channels, MobileNetInvertedResidualSpec.Activation activation) {
    Operand<TFloat32> y = Conv2d.builder(channels).kernel(1).padding(0).build(ctx.child("conv"), x);
    return activate(ctx.tf(), BatchNorm.builder().build(ctx.child("bn"), y), activation);
  }

  /**
   * The official classifier on a TSN consensus: global average pool → linear (hidden, {@code fc1}) →
   * hard-swish → dropout → linear (classes, {@code fc2}); per-frame logits averaged over the clip.
   * Weights N(0, 0.01), biases zero, as the official initialisation.
   */
  public static Heads.Logits classifier(
      BuildContext ctx, Operand<TFloat32> features, int frames, int hidden, int classes, float dropout) {
    if (frames < 1 || hidden < 1 || classes < 1) {
      throw new IllegalArgumentException(
          "frames, hidden and classes must be >= 1, got " + frames + ", " + hidden + " and " + classes);
    }
    Ops tf = ctx.tf();
    Operand<TFloat32> y = Pooling.globalAvgPool(tf, features);
    y = Linear.builder(hidden).initializer(Initializer.normal(CLASSIFIER_INIT_STD)).biasInitializer(Initializer.zeros())
        .build(ctx.child("fc1"), y);
    y = Dropout.apply(ctx, Activations.hardSwish(tf, y), dropout);
    Operand<TFloat32> logits =
        Linear.builder(classes).initializer(Initializer.normal(CLASSIFIER_INIT_STD)).biasInitializer(Initializer.zeros())
            .build(ctx.child("fc2"), y);
    Operand<TFloat32> perFrame = tf.reshape(logits, tf.constant(new long[] {-1, frames, classes}));
    return new Heads.Logits(perFrame, tf.math.mean(perFrame, tf.constant(1)));
  }

  /** Multiply-adds of {@link #branch} for one frame of {@code in} channels at {@code size × size}. */
  public static long branchFlops(int in, int size, MobileNetInvertedResidualSpec spec) {
    return flops(in, size, spec, 1, 0);
  }

  /** Multiply-adds of {@link #shortcut} for one frame (0 for the identity or no residual). */
  public static long shortcutFlops(int in, int size, MobileNetInvertedResidualSpec spec) {
    return flops(in, size, spec, 0, 1);
  }

  /** Multiply-adds of {@link #invertedResidual} for one frame. */
  public static long invertedResidualFlops(int in, int size, MobileNetInvertedResidualSpec spec) {
    return flops(in, size, spec, 1, 1);
  }

  private static long flops(int in, int size, MobileNetInvertedResidualSpec spec, int branch, int shortcut) {
    Cost c = new Cost();
    boolean project = spec.shortcut() == MobileNetInvertedResidualSpec.Shortcut.PROJECT;
    CostModel.invertedResidual(c, spec.block(in), size, spec.groups(), branch, project, shortcut);
    return c.multiplyAdds();
  }

  /** The official counter's squeeze-and-excite on {@code c × size²}: pool {@code c·size²} + {@code 2·⌊c²/4⌋ + c}. */
  public static long squeezeExciteFlops(int c, int size) {
    Cost cost = new Cost();
    CostModel.squeezeExcite(cost, c, size, 1);
    return cost.multiplyAdds();
  }

  /** Multiply-adds of {@link #lastConv} for one frame. */
  public static long lastConvFlops(int in, int channels, int size) {
    Cost c = new Cost();
    CostModel.lastConv(c, new Head(channels, 0, BackboneLayout.Activation.HARD_SWISH), in, size, 1);
    return c.multiplyAdds();
  }

  /** Multiply-adds of {@link #classifier} for one frame (its two linear layers, as the official counter). */
  public static long classifierFlops(int in, int hidden, int classes) {
    return new Cost().linear(in, hidden, true, 1).linear(hidden, classes, true, 1).multiplyAdds();
  }

  /** Spatial size after a sequence of blocks. */
  public static int outputSize(int size, List<MobileNetInvertedResidualSpec> blocks) {
    int s = size;
    for (MobileNetInvertedResidualSpec b : blocks) {
      s = b.outputSize(s);
    }
    return s;
  }

  /** Multiply-adds of {@link #features} for one frame of {@code in} channels at {@code size × size}. */
  public static long featuresFlops(int in, int size, List<MobileNetInvertedResidualSpec> blocks) {
    long flops = 0;
    int c = in;
    int s = size;
    for (MobileNetInvertedResidualSpec b : blocks) {
      flops += invertedResidualFlops(c, s, b);
      c = b.out();
      s = b.outputSize(s);
    }
    return flops;
  }

  /**
   * torchvision's MobileNetV3-Large blocks after the stem (SE after the activation), each shifting its
   * input when {@code shiftFrames > 0} (TSM), 0 for a plain TSN backbone: 16 → 160 channels, total stride 16.
   */
  public static List<MobileNetInvertedResidualSpec> large(int shiftFrames) {
    return dense(LARGE, shiftFrames);
  }

  /** torchvision's MobileNetV3-Small blocks after the stem (see {@link #large}): 16 → 96 channels. */
  public static List<MobileNetInvertedResidualSpec> small(int shiftFrames) {
    return dense(SMALL, shiftFrames);
  }

  /**
   * The dense stages of the official AF-MobileNetV3 (SE before the activation, as that code): stage 0
   * ({@code features_head}: 16 → 16), 1 (→ 24, both blocks strided: stage 2's downsampling moved into it),
   * 4 (→ 112) and 5 (→ 160); stages 2 and 3 are AF stages ({@link MobileNetAfStageSpec#officialStage2}).
   */
  public static List<MobileNetInvertedResidualSpec> afDenseStage(int stage, int shiftFrames) {
    BackboneLayout af = BackboneLayout.afNet(Backbones.MOBILENET_V3_LARGE);
    if (stage < 0 || stage > af.lastStage() || af.defaultAdaptive().contains(stage)) {
      throw new IllegalArgumentException(
          "AF-MobileNetV3 dense stages are 0 and those of 1-" + af.lastStage() + " not in " + af.defaultAdaptive() + ", got " + stage);
    }
    List<Block> blocks = stage == 0 ? List.of(af.stem().block().orElseThrow()) : AfNetLayout.denseBlocks(af, af.defaultAdaptive(), stage);
    return specs(blocks, Excitation.BEFORE_ACTIVATION, shiftFrames);
  }

  /** The stem block and every stage's blocks of {@code layout}, SE after the activation as torchvision. */
  private static List<MobileNetInvertedResidualSpec> dense(BackboneLayout layout, int shiftFrames) {
    List<Block> blocks = new ArrayList<>();
    layout.stem().block().ifPresent(blocks::add);
    layout.stages().forEach(s -> blocks.addAll(s.blocks()));
    return specs(blocks, Excitation.AFTER_ACTIVATION, shiftFrames);
  }

  static List<MobileNetInvertedResidualSpec> specs(List<Block> blocks, Excitation se, int shiftFrames) {
    List<MobileNetInvertedResidualSpec> out = new ArrayList<>();
    for (Block b : blocks) {
      out.add(MobileNetInvertedResidualSpec.of(b, se).withTemporalShift(shiftFrames));
    }
    return List.copyOf(out);
  }

  /** {@code activation} applied to {@code x}. */
  public static Operand<TFloat32> activate(Ops tf, Operand<TFloat32> x, MobileNetInvertedResidualSpec.Activation activation) {
    return switch (activation) {
      case RELU -> Activations.relu(tf, x);
      case RELU6 -> Activations.relu6(tf, x);
      case HARD_SWISH -> Activations.hardSwish(tf, x);
    };
  }

  private static Operand<TFloat32> squeezeExcite(
      BuildContext ctx, Operand<TFloat32> x, MobileNetInvertedResidualSpec spec, UnaryOperator<Operand<TFloat32>> pool) {
    return SqueezeExcite.builder(spec.squeezeChannels()).build(ctx.child("se"), x, pool);
  }

  private static void checkGroups(BuildContext ctx, int in, MobileNetInvertedResidualSpec spec) {
    if (in % spec.groups() != 0) {
      throw new IllegalArgumentException(
          "block " + ctx.path() + ": groups=" + spec.groups() + " must divide the input channels " + in);
    }
  }
}
