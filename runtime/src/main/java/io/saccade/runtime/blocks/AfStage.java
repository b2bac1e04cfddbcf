package io.saccade.runtime.blocks;

import io.saccade.architecture.AfNetLayout;
import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.Cost;
import io.saccade.architecture.CostModel;
import io.saccade.runtime.adaptive.FrameSelector;
import io.saccade.runtime.adaptive.TemporalShift;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.nn.Activations;
import io.saccade.runtime.nn.BatchNorm;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Conv2d;
import io.saccade.runtime.nn.Initializer;
import io.saccade.runtime.nn.Linear;
import io.saccade.runtime.nn.Pooling;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds an AFNet stage (see {@link AfStageSpec}).
 *
 * <p>In training the focal blocks run on every frame with their input multiplied by the
 * straight-through mask (the official form, which carries the mask's gradient). At inference they
 * gather the selected frames, compute only those, and give skipped frames {@code shortcut + f(0)}, with
 * f(0) — the residual branch applied to a zero frame — computed once per block (on a frame of at most
 * 3×3, see {@link #zeroFrameBranch}), which is exactly what the official masked computation gives a
 * dropped frame. When navigation keeps every frame, the focal blocks run on the input as it is, with no
 * gather or scatter ({@link FrameSelector#selectedForInference}).
 *
 * <p>Parameter paths: {@code nav<i>/…}, {@code ample/block<i>/…}, {@code focal/block<i>/…},
 * {@code fusion/project/{conv,bn}}, {@code fusion/attention/{fc1,fc2}}, {@code fusion/block/…}.
 *
 * <pre>{@code
 * AfStage.Result r = AfStage.build(ctx.child("stage1"), x, spec, temperature);
 * }</pre>
 */
public final class AfStage {

  private AfStage() {}

  /**
   * What a stage returns.
   *
   * @param output {@code [N·T, H/stride, W/stride, out]}
   * @param selections the navigation masks of this stage, in forward order
   * @param gflops {@code [N]}: GFLOPs this stage actually spent per clip
   * @param computedFocalFrames scalar: frames the focal blocks really computed over the batch, summed
   *     over blocks (at inference the selected ones, at least one per block; in training every frame)
   */
  public record Result(
      Operand<TFloat32> output,
      List<ModelOutputs.Selection> selections,
      Operand<TFloat32> gflops,
      Operand<TInt32> computedFocalFrames) {}

  /** The i-th ample block's spec: the shared layout's ample block (out/α wide, the first strided 2). */
  public static BottleneckSpec ampleSpec(AfStageSpec spec, int i) {
    BottleneckSpec b = spec(spec.layout().ample(i)).withFinalRelu(i != spec.blocks() - 2);
    return spec.temporalShift() ? b.withTemporalShift(spec.frames(), spec.shiftDivisor()) : b;
  }

  /** The i-th focal block's spec (the shift is applied by the stage, before the mask). */
  public static BottleneckSpec focalSpec(AfStageSpec spec, int i) {
    return spec(spec.layout().focal(i)).withGroups(spec.groups()).withFinalRelu(i != spec.blocks() - 2);
  }

  /** The fusion block's spec: full width, the stage's stride. */
  public static BottleneckSpec fusionSpec(AfStageSpec spec) {
    BottleneckSpec b = spec(spec.layout().fusion());
    return spec.temporalShift() ? b.withTemporalShift(spec.frames(), spec.shiftDivisor()) : b;
  }

  /** A shared layout's bottleneck with AFNet's average-pool shortcut. */
  private static BottleneckSpec spec(Block b) {
    return BottleneckSpec.of(b.mid(), b.out()).withShortcut(BottleneckSpec.Shortcut.AVG_POOL_CONV).withStride(b.stride());
  }

  /** Builds the stage on {@code x} ({@code [N·T, H, W, inChannels]}, H and W static). */
  public static Result build(BuildContext ctx, Operand<TFloat32> x, AfStageSpec spec, Operand<TFloat32> temperature) {
    Ops tf = ctx.tf();
    int in = Shapes.channels(x, "AF stage");
    if (in != spec.inChannels()) {
      throw new IllegalArgumentException(
          "AF stage " + ctx.path() + " declared " + spec.inChannels() + " input channels but got " + in);
    }
    int size = Shapes.dim(x, 1, "AF stage");
    int width = Shapes.dim(x, 2, "AF stage");
    if (size != width) {
      throw new IllegalArgumentException("AF stage " + ctx.path() + " needs square frames, got " + size + "×" + width);
    }
    int frames = spec.frames();
    List<ModelOutputs.Selection> selections = new ArrayList<>();
    Operand<TFloat32> little = x;
    Operand<TFloat32> big = x;
    AfNetLayout.Stage layout = spec.layout();
    // per clip: everything but the focal branches, which count per kept frame (× kept positions) below
    Cost constant = new Cost();
    CostModel.afStage(constant, layout, size, frames, 0, spec.navigation().mixFrames(), spec.navigation().spatial());
    Operand<TFloat32> keptFocalFlops = tf.constant(0f); // [N] once a mask is added
    Operand<TInt32> computed = tf.constant(0);
    int littleSize = size;
    for (int i = 0; i < spec.blocks() - 1; i++) {
      Operand<TFloat32> mask =
          Navigation.mask(ctx.child("nav" + i), little, frames, spec.navigation(), temperature);
      selections.add(
          new ModelOutputs.Selection(ctx.path() + "/nav" + i, mask, spec.navigation().targetRatio(), false));
      Operand<TFloat32> spatial = null; // [N·T, size, size, 1]
      Operand<TFloat32> keptFraction = null; // [N·T]: fraction of positions kept in each frame
      if (spec.navigation().spatial()) {
        Operand<TFloat32> s = Navigation.spatialMask(ctx.child("nav" + i), little, temperature);
        selections.add(
            new ModelOutputs.Selection(
                ctx.path() + "/nav" + i + "/spatial",
                tf.reshape(s, tf.constant(new long[] {-1, (long) frames * littleSize * littleSize})),
                spec.navigation().spatialTargetRatio(),
                true));
        spatial =
            littleSize == size
                ? s
                : tf.image.resizeNearestNeighbor(
                    s,
                    tf.constant(new int[] {size, size}),
                    ResizeNearestNeighbor.alignCorners(false),
                    ResizeNearestNeighbor.halfPixelCenters(false));
        keptFraction = tf.math.mean(s, tf.constant(new int[] {1, 2, 3}));
      }

      BottleneckSpec ample = ampleSpec(spec, i);
      little = ResNet.bottleneck(ctx.child("ample").child("block" + i), little, ample);
      littleSize = ResNet.outputSize(littleSize, ample.stride());

      BottleneckSpec focal = focalSpec(spec, i);
      FocalOutput f = focal(ctx.child("focal").child("block" + i), big, mask, spatial, focal, spec);
      big = f.output();
      computed = tf.math.add(computed, f.computedFrames());
      // Frames computed per clip, each weighted by the fraction of its positions kept (spatial masks
      // are counted, as the paper does; the convolution itself stays dense over the kept frames).
      Operand<TFloat32> perFrame =
          keptFraction == null
              ? mask
              : tf.math.mul(mask, tf.reshape(keptFraction, tf.constant(new long[] {-1, frames})));
      Operand<TFloat32> keptFrames = tf.reduceSum(perFrame, tf.constant(1));
      keptFocalFlops =
          tf.math.add(keptFocalFlops, tf.math.mul(keptFrames, tf.constant((float) CostModel.focalBranch(layout, i, size))));
    }

    BuildContext fusion = ctx.child("fusion");
    if (spec.alpha() != 1) {
      little = Conv2d.builder(spec.out()).kernel(1).padding(0).build(fusion.child("project").child("conv"), little);
      little = BatchNorm.builder().build(fusion.child("project").child("bn"), little);
    }
    // Nearest-neighbour upsampling: source index floor(dst · in / out), as PyTorch's default.
    little =
        tf.image.resizeNearestNeighbor(
            little,
            tf.constant(new int[] {size, size}),
            ResizeNearestNeighbor.alignCorners(false),
            ResizeNearestNeighbor.halfPixelCenters(false));
    Operand<TFloat32> attention = attention(fusion.child("attention"), tf.math.add(little, big), spec.out());
    Operand<TFloat32> mixed =
        Activations.relu(
            tf,
            tf.math.add(
                tf.math.mul(attention, little),
                tf.math.mul(tf.math.sub(tf.constant(1f), attention), big)));
    BottleneckSpec fusionBlock = fusionSpec(spec);
    Operand<TFloat32> out = ResNet.bottleneck(fusion.child("block"), mixed, fusionBlock);

    Operand<TFloat32> gflops =
        tf.math.div(tf.math.add(keptFocalFlops, tf.constant((float) constant.multiplyAdds())), tf.constant(1e9f));
    return new Result(out, selections, gflops, computed);
  }

  /** Multiply-adds of the fusion attention for one frame of {@code c × size²} (official terms). */
  public static long attentionFlops(int c, int size) {
    Cost cost = new Cost();
    CostModel.fusionAttention(cost, BackboneLayout.Kind.RESNET, c, size, 1);
    return cost.multiplyAdds();
  }

  private record FocalOutput(Operand<TFloat32> output, Operand<TInt32> computedFrames) {}

  /** One focal block: shortcut before the mask, shift before the mask, branch on selected frames. */
  private static FocalOutput focal(
      BuildContext ctx,
      Operand<TFloat32> x,
      Operand<TFloat32> mask,
      Operand<TFloat32> spatial,
      BottleneckSpec block,
      AfStageSpec spec) {
    Ops tf = ctx.tf();
    Operand<TFloat32> residual = ResNet.shortcut(ctx, x, block);
    Operand<TFloat32> shifted = spec.temporalShift() ? TemporalShift.apply(tf, x, spec.frames(), spec.shiftDivisor()) : x;
    if (spatial != null) {
      // Positions the spatial mask drops enter the focal branch as zeros, like dropped frames.
      shifted = tf.math.mul(shifted, spatial);
    }
    Operand<TFloat32> frameMask = tf.reshape(mask, tf.constant(new long[] {-1}));
    Operand<TFloat32> y;
    Operand<TInt32> computed;
    if (ctx.training() || !AfOptions.of(ctx).skipFrames()) {
      // Official form: every frame computed, the input multiplied by the straight-through mask.
      Operand<TFloat32> masked = tf.math.mul(shifted, tf.reshape(frameMask, tf.constant(new long[] {-1, 1, 1, 1})));
      y = ResNet.branch(ctx, masked, block);
      computed = tf.size(frameMask, TInt32.class);
    } else {
      FrameSelector.Selected sel =
          FrameSelector.selectedForInference(
              tf, shifted, frameMask, frames -> ResNet.branch(ctx, frames, block), partial -> zeroFrameBranch(ctx, partial, block));
      y = sel.output();
      computed = sel.computedFrames();
    }
    y = tf.math.add(y, residual);
    return new FocalOutput(block.finalRelu() ? Activations.relu(tf, y) : y, computed);
  }

  /**
   * f(0), the residual branch on a zero frame, as {@code [1, H, W, C']}: what a dropped frame gets. A
   * stride-1 bottleneck (1×1, 3×3 with padding 1, 1×1) maps a zero frame to a map with only nine distinct
   * columns (corner, edge, interior: the 3×3 conv sees padding only at the border), so it is computed
   * on a frame of at most 3×3 and expanded — the same numbers at a tiny fraction of the cost.
   *
   * @param like a tensor {@code [M, H, W, C]} with the frames' shape; only its shape is used
   */
  static Operand<TFloat32> zeroFrameBranch(BuildContext ctx, Operand<TFloat32> like, BottleneckSpec block) {
    Ops tf = ctx.tf();
    Operand<TFloat32> zero = reducedZeroFrame(tf, like, block.stride() == 1, 3);
    return expandReduced(tf, ResNet.branch(ctx, zero, block), (int) like.shape().get(1), (int) like.shape().get(2));
  }

  /**
   * A zero frame {@code [1, h, w, C]} shaped like one frame of {@code like} {@code [M, H, W, C]}: {@code h × w} at
   * most {@code window × window} when the branch it feeds is {@code reducible} (stride 1), else {@code H × W}.
   */
  static Operand<TFloat32> reducedZeroFrame(Ops tf, Operand<TFloat32> like, boolean reducible, int window) {
    int h = (int) like.shape().get(1);
    int w = (int) like.shape().get(2);
    int sh = reducible ? Math.min(h, window) : h;
    int sw = reducible ? Math.min(w, window) : w;
    return tf.zerosLike(
        tf.slice(like, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {1, sh, sw, (int) like.shape().get(3)})));
  }

  /**
   * For each of {@code n} positions, the position of a reduced map of {@code reduced = 2p + 1} positions
   * holding its value, for a window reaching {@code p} positions each way (a k×k convolution with padding
   * (k − 1)/2): the first p positions and the last p keep their own, every interior one maps to the middle.
   * For a 3×3 window: first, last, or interior.
   */
  static int[] borderIndex(int n, int reduced) {
    int p = reduced / 2;
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i < p ? i : i >= n - p ? reduced - (n - i) : p;
    }
    return index;
  }

  /**
   * Expands a {@code [1, sh, sw, C]} map computed on a reduced frame to {@code [1, h, w, C]} (see
   * {@link #borderIndex}); the map itself when nothing was reduced.
   */
  static Operand<TFloat32> expandReduced(Ops tf, Operand<TFloat32> small, int h, int w) {
    int sh = (int) small.shape().get(1);
    int sw = (int) small.shape().get(2);
    if (sh == h && sw == w) {
      return small;
    }
    Ops e = tf.withSubScope("expand_zero_frame");
    Operand<TFloat32> rows = sh == h ? small : e.gather(small, e.constant(borderIndex(h, sh)), e.constant(1));
    return sw == w ? rows : e.gather(rows, e.constant(borderIndex(w, sw)), e.constant(2));
  }

  /** sigmoid(FC(C/16 → C)(ReLU(FC(C → C/16)(GAP(x))))) as {@code [M, 1, 1, C]}; FCs without bias, N(0, 0.01). */
  private static Operand<TFloat32> attention(BuildContext ctx, Operand<TFloat32> x, int channels) {
    Ops tf = ctx.tf();
    Operand<TFloat32> y = Pooling.globalAvgPool(tf, x);
    y = Linear.builder(channels / AfNetLayout.ATTENTION_REDUCTION).bias(false).initializer(Initializer.normal(0.01f))
        .build(ctx.child("fc1"), y);
    y = Activations.relu(tf, y);
    y = Linear.builder(channels).bias(false).initializer(Initializer.normal(0.01f)).build(ctx.child("fc2"), y);
    return tf.reshape(Activations.sigmoid(tf, y), tf.constant(new long[] {-1, 1, 1, channels}));
  }
}
