package io.saccade.runtime.blocks;

import io.saccade.architecture.AfNetLayout;
import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.Cost;
import io.saccade.architecture.CostModel;
import io.saccade.runtime.adaptive.FrameSelector;
import io.saccade.runtime.adaptive.TemporalShift;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.nn.Activations;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Initializer;
import io.saccade.runtime.nn.Linear;
import io.saccade.runtime.nn.Pooling;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds an AFNet stage of a MobileNetV3 (see {@link MobileNetAfStageSpec}), as the official
 * {@code AF_MobileNetv3.py} does: per block, the navigation reads the ample block's input, the ample block
 * runs on every frame (the first strided 2), and the focal block computes
 * {@code branch(shift(x)·mask) + shortcut(x)} at full resolution; then the ample output is upsampled
 * (nearest, PyTorch's {@code floor(dst·in/out)}), {@code a = attention(ample + focal)}, and the fusion block
 * runs on {@code a·ample + (1 − a)·focal} with no activation in between.
 *
 * <p>In training (and when {@link AfOptions#skipFrames()} is false) the focal branch runs on every frame
 * with its input multiplied by the straight-through mask. At inference it gathers the selected frames and
 * gives the dropped ones {@code shortcut + f(0)}, f(0) computed once per block on a frame of at most
 * k×k ({@link #zeroFrameBranch}); when navigation keeps every frame the branch runs on the input as it is,
 * with no gather ({@link FrameSelector#selectedForInference}), as {@link AfStage}'s focal blocks.
 *
 * <p>Parameter paths: {@code nav<i>/…}, {@code ample/block<i>/…}, {@code focal/block<i>/…},
 * {@code fusion/attention/{fc1,fc2}/{weight,bias}}, {@code fusion/block/…}.
 *
 * <p>GFLOPs per clip as the official counter: every term per frame times T, the focal branches (not their
 * shortcuts) times the clip's kept frames, navigation {@code T·(C·h·w + 2C + 4T²/groups)}, attention
 * {@code C·h·w + 2·⌊C²/16⌋ + C}.
 *
 * <pre>{@code
 * AfStage.Result r = MobileNetAfStage.build(ctx.child("stage2"), x, MobileNetAfStageSpec.officialStage2(8, nav), tau);
 * }</pre>
 */
public final class MobileNetAfStage {

  private MobileNetAfStage() {}

  /** The i-th ample block: the dense block, stride 2 for the first, shifted when the stage shifts. */
  public static MobileNetInvertedResidualSpec ampleSpec(MobileNetAfStageSpec spec, int i) {
    MobileNetInvertedResidualSpec b = spec.blocks().get(i).withStride(i == 0 ? 2 : 1);
    return spec.temporalShift() ? b.withTemporalShift(spec.frames(), spec.shiftDivisor()) : b;
  }

  /** The i-th focal block: stride 1, grouped 1×1 convs, projected shortcut (the stage shifts before the mask). */
  public static MobileNetInvertedResidualSpec focalSpec(MobileNetAfStageSpec spec, int i) {
    return spec.blocks().get(i).withGroups(spec.groups()).withShortcut(MobileNetInvertedResidualSpec.Shortcut.PROJECT);
  }

  /** The fusion block, shifted when the stage shifts. */
  public static MobileNetInvertedResidualSpec fusionSpec(MobileNetAfStageSpec spec) {
    return spec.temporalShift() ? spec.fusion().withTemporalShift(spec.frames(), spec.shiftDivisor()) : spec.fusion();
  }

  /** Spatial size of the stage output for an input of {@code size} pixels. */
  public static int outputSize(int size, MobileNetAfStageSpec spec) {
    return spec.fusion().outputSize(size);
  }

  /** Builds the stage on {@code x} ({@code [N·T, H, W, inChannels]}, H = W static). */
  public static AfStage.Result build(
      BuildContext ctx, Operand<TFloat32> x, MobileNetAfStageSpec spec, Operand<TFloat32> temperature) {
    Ops tf = ctx.tf();
    int in = Shapes.channels(x, "MobileNet AF stage");
    if (in != spec.inChannels()) {
      throw new IllegalArgumentException(
          "AF stage " + ctx.path() + " declared " + spec.inChannels() + " input channels but got " + in);
    }
    int size = Shapes.dim(x, 1, "MobileNet AF stage");
    if (size != Shapes.dim(x, 2, "MobileNet AF stage")) {
      throw new IllegalArgumentException(
          "AF stage " + ctx.path() + " needs square frames, got " + size + "×" + Shapes.dim(x, 2, "MobileNet AF stage"));
    }
    int frames = spec.frames();
    List<ModelOutputs.Selection> selections = new ArrayList<>();
    Operand<TFloat32> little = x;
    Operand<TFloat32> big = x;
    AfNetLayout.Stage layout = spec.layout();
    // per clip: everything but the focal branches, which count per kept frame below
    Cost constant = new Cost();
    CostModel.afStage(constant, layout, size, frames, 0, spec.navigation().mixFrames(), false);
    Operand<TFloat32> keptFocalFlops = tf.constant(0f); // [N] once a mask is added: per clip
    Operand<TInt32> computed = tf.constant(0);
    int bigChannels = in;
    for (int i = 0; i < spec.blocks().size(); i++) {
      Operand<TFloat32> mask = Navigation.mask(ctx.child("nav" + i), little, frames, spec.navigation(), temperature);
      selections.add(new ModelOutputs.Selection(ctx.path() + "/nav" + i, mask, spec.navigation().targetRatio(), false));

      MobileNetInvertedResidualSpec ample = ampleSpec(spec, i);
      little = MobileNetV3.invertedResidual(ctx.child("ample").child("block" + i), little, ample);

      MobileNetInvertedResidualSpec focal = focalSpec(spec, i);
      FocalOutput f = focal(ctx.child("focal").child("block" + i), big, mask, focal, spec);
      big = f.output();
      computed = tf.math.add(computed, f.computedFrames());
      Operand<TFloat32> keptFrames = tf.reduceSum(mask, tf.constant(1));
      keptFocalFlops =
          tf.math.add(
              keptFocalFlops,
              tf.math.mul(keptFrames, tf.constant((float) CostModel.focalBranch(layout, i, size))));
      bigChannels = focal.out();
    }

    BuildContext fusion = ctx.child("fusion");
    // Nearest-neighbour upsampling: source index floor(dst · in / out), as PyTorch's default.
    little =
        tf.image.resizeNearestNeighbor(
            little,
            tf.constant(new int[] {size, size}),
            ResizeNearestNeighbor.alignCorners(false),
            ResizeNearestNeighbor.halfPixelCenters(false));
    Operand<TFloat32> attention = attention(fusion.child("attention"), tf.math.add(little, big), bigChannels);
    Operand<TFloat32> mixed =
        tf.math.add(tf.math.mul(attention, little), tf.math.mul(tf.math.sub(tf.constant(1f), attention), big));
    MobileNetInvertedResidualSpec fusionBlock = fusionSpec(spec);
    Operand<TFloat32> out = MobileNetV3.invertedResidual(fusion.child("block"), mixed, fusionBlock);

    Operand<TFloat32> gflops =
        tf.math.div(
            tf.math.add(keptFocalFlops, tf.constant((float) constant.multiplyAdds())), tf.constant(1e9f));
    return new AfStage.Result(out, selections, gflops, computed);
  }

  /**
   * The official MobileNet counter's navigation cost per frame on {@code c × size²}: pool {@code c·size²},
   * conv C→2, and the 2T conv counted as {@code T·2·2T/groups} (groups T, or 1 when frames mix).
   */
  public static long navigationFlopsPerFrame(int c, int size, int frames, boolean mixFrames) {
    Cost cost = new Cost();
    CostModel.navigation(cost, BackboneLayout.Kind.MOBILENET, c, size, frames, mixFrames, false);
    return cost.multiplyAdds() / frames;
  }

  /** The official counter's fusion attention on one frame of {@code c × size²}: {@code c·size² + 2·⌊c²/16⌋ + c}. */
  public static long attentionFlops(int c, int size) {
    Cost cost = new Cost();
    CostModel.fusionAttention(cost, BackboneLayout.Kind.MOBILENET, c, size, 1);
    return cost.multiplyAdds();
  }

  private record FocalOutput(Operand<TFloat32> output, Operand<TInt32> computedFrames) {}

  /** One focal block: shortcut before the mask, shift before the mask, branch on the selected frames. */
  private static FocalOutput focal(
      BuildContext ctx, Operand<TFloat32> x, Operand<TFloat32> mask, MobileNetInvertedResidualSpec block,
      MobileNetAfStageSpec spec) {
    Ops tf = ctx.tf();
    Operand<TFloat32> residual = MobileNetV3.shortcut(ctx, x, block);
    Operand<TFloat32> shifted = spec.temporalShift() ? TemporalShift.apply(tf, x, spec.frames(), spec.shiftDivisor()) : x;
    Operand<TFloat32> frameMask = tf.reshape(mask, tf.constant(new long[] {-1}));
    Operand<TFloat32> y;
    Operand<TInt32> computed;
    if (ctx.training() || !AfOptions.of(ctx).skipFrames()) {
      // Official form: every frame computed, the input multiplied by the straight-through mask.
      Operand<TFloat32> masked = tf.math.mul(shifted, tf.reshape(frameMask, tf.constant(new long[] {-1, 1, 1, 1})));
      y = MobileNetV3.branch(ctx, masked, block);
      computed = tf.size(frameMask, TInt32.class);
    } else {
      // Same parameters as the selected frames' branch: f(0) is what a dropped frame gets.
      FrameSelector.Selected sel =
          FrameSelector.selectedForInference(
              tf, shifted, frameMask, frames -> MobileNetV3.branch(ctx, frames, block),
              partial -> zeroFrameBranch(ctx, partial, block));
      y = sel.output();
      computed = sel.computedFrames();
    }
    return new FocalOutput(tf.math.add(y, residual), computed);
  }

  /**
   * f(0), the block's branch on a zero frame, as {@code [1, H, W, C']}: what a dropped frame gets. On a zero
   * frame the expansion (1×1, BN, activation) gives one value per channel everywhere, so a stride-1 k×k
   * depthwise convolution with padding p = (k − 1)/2 gives a map whose rows (and columns) are the first p,
   * the last p and one interior value; everything after it is per position except the squeeze-and-excite's
   * global mean. So the branch runs on a frame of at most (2p + 1)², the squeeze taking the mean the full
   * frame would have (each reduced position weighted by how many positions of the full frame it stands
   * for), and the result is expanded — the same numbers as the branch on a full zero frame.
   *
   * @param like a tensor {@code [M, H, W, C]} with the frames' shape; only its shape is used
   */
  static Operand<TFloat32> zeroFrameBranch(BuildContext ctx, Operand<TFloat32> like, MobileNetInvertedResidualSpec block) {
    Ops tf = ctx.tf();
    int h = (int) like.shape().get(1);
    int w = (int) like.shape().get(2);
    int window = 2 * ((block.kernel() - 1) / 2) + 1;
    Operand<TFloat32> zero = AfStage.reducedZeroFrame(tf, like, block.stride() == 1, window);
    int sh = (int) zero.shape().get(1);
    int sw = (int) zero.shape().get(2);
    if (sh == h && sw == w) {
      return MobileNetV3.branch(ctx, zero, block);
    }
    float[] weights = poolWeights(h, sh, w, sw);
    Operand<TFloat32> small =
        MobileNetV3.branch(
            ctx,
            zero,
            block,
            y -> tf.reduceSum(
                tf.math.mul(y, tf.constant(Shape.of(1, sh, sw, 1), DataBuffers.of(weights))),
                tf.constant(new int[] {1, 2}),
                ReduceSum.keepDims(true)));
    return AfStage.expandReduced(tf, small, h, w);
  }

  /** {@code [sh·sw]}: the share of an h×w frame's positions each position of its reduced sh×sw map stands for. */
  static float[] poolWeights(int h, int sh, int w, int sw) {
    int[] rows = new int[sh];
    int[] cols = new int[sw];
    for (int i : AfStage.borderIndex(h, sh)) {
      rows[i]++;
    }
    for (int j : AfStage.borderIndex(w, sw)) {
      cols[j]++;
    }
    float[] weights = new float[sh * sw];
    for (int i = 0; i < sh; i++) {
      for (int j = 0; j < sw; j++) {
        weights[i * sw + j] = (float) ((double) rows[i] * cols[j] / ((double) h * w));
      }
    }
    return weights;
  }

  /**
   * sigmoid(FC(C/16 → C)(ReLU(FC(C → C/16)(GAP(x))))) as {@code [M, 1, 1, C]}; both FCs with bias (the
   * official MobileNet's {@code dynamic_fusion}), weights N(0, 0.01), biases zero.
   */
  private static Operand<TFloat32> attention(BuildContext ctx, Operand<TFloat32> x, int channels) {
    Ops tf = ctx.tf();
    Operand<TFloat32> y = Pooling.globalAvgPool(tf, x);
    y = Linear.builder(channels / AfNetLayout.ATTENTION_REDUCTION).initializer(Initializer.normal(0.01f))
        .biasInitializer(Initializer.zeros()).build(ctx.child("fc1"), y);
    y = Activations.relu(tf, y);
    y = Linear.builder(channels).initializer(Initializer.normal(0.01f)).biasInitializer(Initializer.zeros())
        .build(ctx.child("fc2"), y);
    return tf.reshape(Activations.sigmoid(tf, y), tf.constant(new long[] {-1, 1, 1, channels}));
  }
}
