package io.saccade.runtime.blocks;

import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.Stem;
import io.saccade.architecture.Cost;
import io.saccade.architecture.CostModel;
import io.saccade.dsl.Backbones;
import io.saccade.runtime.adaptive.TemporalShift;
import io.saccade.runtime.nn.Activations;
import io.saccade.runtime.nn.BatchNorm;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Conv2d;
import io.saccade.runtime.nn.Pooling;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * ResNet building blocks as generated networks call them, on frames folded into the batch
 * ({@code [N·T, H, W, C]}). Parameter paths follow the block structure: {@code conv1/kernel},
 * {@code bn1/gamma}, …, {@code shortcut/conv/kernel}, {@code shortcut/bn/gamma}.
 * Layout and multiply-adds come from {@link BackboneLayout} and {@link CostModel}, the definitions the
 * processor sizes with.
 *
 * <pre>{@code
 * Operand<TFloat32> x = ResNet.stem(ctx.child("stem"), frames);               // [N·T, H/4, W/4, 64]
 * x = ResNet.bottleneck(ctx.child("stage4").child("block0"), x, BottleneckSpec.of(512, 2048).withStride(2));
 * }</pre>
 */
public final class ResNet {

  /** The stem of torchvision's ResNets at width 1. */
  private static final Stem STEM = BackboneLayout.of(Backbones.RESNET50).stem();

  /** Output channels of the stem (64). */
  public static final int STEM_CHANNELS = BackboneLayout.RESNET_STEM;

  private ResNet() {}

  /**
   * conv 7×7/2 (pad 3, 64 channels, no bias) → BN → ReLU → max-pool 3×3/2 (pad 1): {@code [M, H, W, 3]}
   * to {@code [M, H/4, W/4, 64]}.
   */
  public static Operand<TFloat32> stem(BuildContext ctx, Operand<TFloat32> frames) {
    return stem(ctx, frames, STEM_CHANNELS);
  }

  /** The stem with {@code channels} output channels (a width-scaled ResNet: 64·width). */
  public static Operand<TFloat32> stem(BuildContext ctx, Operand<TFloat32> frames, int channels) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x =
        Conv2d.builder(channels).kernel(STEM.kernel()).stride(2).padding(STEM.kernel() / 2).build(ctx.child("conv"), frames);
    x = Activations.relu(tf, BatchNorm.builder().build(ctx.child("bn"), x));
    return Pooling.maxPool(tf.withSubScope("pool"), x, 3, 2, 1);
  }

  /** Multiply-adds of {@link #stem} for one frame of {@code size × size}. */
  public static long stemFlops(int size) {
    return stemFlops(size, STEM_CHANNELS);
  }

  /** Multiply-adds of a {@code channels}-wide stem for one frame of {@code size × size}. */
  public static long stemFlops(int size, int channels) {
    Cost c = new Cost();
    CostModel.stem(c, new Stem(channels, STEM.kernel(), STEM.activation(), STEM.maxPool(), STEM.block()), size, 1);
    return c.multiplyAdds();
  }

  /** One bottleneck block as {@code spec} describes; parameters under {@code ctx.path()}. */
  public static Operand<TFloat32> bottleneck(BuildContext ctx, Operand<TFloat32> x, BottleneckSpec spec) {
    Ops tf = ctx.tf();
    Operand<TFloat32> residual = shortcut(ctx, x, spec);
    Operand<TFloat32> y = spec.shiftFrames() > 0 ? TemporalShift.apply(tf, x, spec.shiftFrames(), spec.shiftDivisor()) : x;
    y = tf.math.add(branch(ctx, y, spec), residual);
    return spec.finalRelu() ? Activations.relu(tf, y) : y;
  }

  /**
   * The residual branch alone: 1×1 → BN → ReLU → 3×3 (stride) → BN → ReLU → 1×1 → BN, all with the
   * spec's groups; no shift, no shortcut, no final activation. AFNet's focal blocks run this on the
   * selected frames only.
   */
  public static Operand<TFloat32> branch(BuildContext ctx, Operand<TFloat32> x, BottleneckSpec spec) {
    Ops tf = ctx.tf();
    Operand<TFloat32> y =
        Conv2d.builder(spec.inner()).kernel(1).groups(spec.groups()).build(ctx.child("conv1"), x);
    y = Activations.relu(tf, BatchNorm.builder().build(ctx.child("bn1"), y));
    y = Conv2d.builder(spec.inner()).kernel(3).stride(spec.stride()).padding(1).groups(spec.groups())
        .build(ctx.child("conv2"), y);
    y = Activations.relu(tf, BatchNorm.builder().build(ctx.child("bn2"), y));
    y = Conv2d.builder(spec.out()).kernel(1).groups(spec.groups()).build(ctx.child("conv3"), y);
    return BatchNorm.builder().build(ctx.child("bn3"), y);
  }

  /**
   * The shortcut of a block: the identity when channels and stride are unchanged, else the projection
   * {@link BottleneckSpec#shortcut()} names (parameters under {@code shortcut/}).
   */
  public static Operand<TFloat32> shortcut(BuildContext ctx, Operand<TFloat32> x, BottleneckSpec spec) {
    int in = Shapes.channels(x, "bottleneck shortcut");
    boolean strided = spec.stride() != 1;
    boolean widened = in != spec.out();
    if (!strided && !widened) {
      return x;
    }
    BuildContext sc = ctx.child("shortcut");
    switch (spec.shortcut()) {
      case STRIDED_CONV -> {
        Operand<TFloat32> y =
            Conv2d.builder(spec.out()).kernel(1).stride(spec.stride()).padding(0).build(sc.child("conv"), x);
        return BatchNorm.builder().build(sc.child("bn"), y);
      }
      case AVG_POOL_CONV -> {
        Operand<TFloat32> y = strided ? Pooling.avgPool(sc.tf().withSubScope("pool"), x, 3, 2, 1, true) : x;
        if (widened) {
          y = Conv2d.builder(spec.out()).kernel(1).padding(0).build(sc.child("conv"), y);
          y = BatchNorm.builder().build(sc.child("bn"), y);
        }
        return y;
      }
      default -> throw new IllegalStateException("unknown shortcut " + spec.shortcut());
    }
  }

  /**
   * Multiply-adds of one frame through {@link #branch} (convs only) for an input of {@code in} channels
   * at {@code size × size}.
   */
  public static long branchFlops(int in, int size, BottleneckSpec spec) {
    return flops(in, size, spec, 1, 0);
  }

  /** Multiply-adds of one frame through {@link #shortcut}. */
  public static long shortcutFlops(int in, int size, BottleneckSpec spec) {
    return flops(in, size, spec, 0, 1);
  }

  /** Multiply-adds of one frame through {@link #bottleneck}. */
  public static long bottleneckFlops(int in, int size, BottleneckSpec spec) {
    return flops(in, size, spec, 1, 1);
  }

  /** The block as the shared layouts describe it, on {@code in} input channels. */
  public static Block block(int in, BottleneckSpec spec) {
    return new Block(in, spec.inner(), spec.out(), 3, spec.stride(), false, BackboneLayout.Activation.RELU);
  }

  /** The shared cost model's name for the spec's shortcut. */
  static BackboneLayout.Shortcut shortcut(BottleneckSpec.Shortcut s) {
    return switch (s) {
      case STRIDED_CONV -> BackboneLayout.Shortcut.STRIDED_CONV;
      case AVG_POOL_CONV -> BackboneLayout.Shortcut.AVG_POOL_CONV;
    };
  }

  private static long flops(int in, int size, BottleneckSpec spec, int branch, int shortcut) {
    Cost c = new Cost();
    CostModel.bottleneck(c, block(in, spec), size, spec.groups(), branch, shortcut(spec.shortcut()), shortcut);
    return c.multiplyAdds();
  }

  /** Spatial size after a 3×3 conv with padding 1 (and the matching 3/2/1 pooling). */
  public static int outputSize(int size, int stride) {
    return CostModel.side(size, stride);
  }
}
