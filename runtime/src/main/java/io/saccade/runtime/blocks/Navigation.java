package io.saccade.runtime.blocks;

import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.Cost;
import io.saccade.architecture.CostModel;
import io.saccade.runtime.adaptive.GumbelSoftmax;
import io.saccade.runtime.nn.Activations;
import io.saccade.runtime.nn.BatchNorm;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Conv2d;
import io.saccade.runtime.nn.Initializer;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.nn.Pooling;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * AFNet's navigation module: decides per frame whether the focal branch computes it.
 *
 * <p>GAP → 1×1 conv C→2 (no bias, {@code conv_pool}) → BN(2) → ReLU → reshape {@code [N, 2T]} → 1×1
 * conv 2T→2T ({@code conv_gs}, groups T in the official code, 1 when frames are mixed) with bias →
 * {@code [N, T, 2]} → Gumbel-softmax (straight-through with noise in training, argmax at inference);
 * the mask is channel 1. The bias starts at (1, 1 + keepMargin), officially (1, 10), per frame so every frame is kept at first. The
 * module trains at 10× the base learning rate, as the official recipe does.
 *
 * <pre>{@code
 * Operand<TFloat32> mask = Navigation.mask(ctx.child("nav0"), x, 8, NavigationSpec.official(0.5f), tau);  // [N, 8]
 * }</pre>
 */
public final class Navigation {

  /** Learning-rate multiplier of the navigation parameters (official: 10). */
  public static final float LEARNING_RATE_MULTIPLIER = 10f;

  private Navigation() {}

  /**
   * The frame mask of a clip batch.
   *
   * @param x {@code [N·T, H, W, C]}
   * @return {@code [N, T]}, 1 where the frame is kept
   */
  public static Operand<TFloat32> mask(
      BuildContext ctx, Operand<TFloat32> x, int frames, NavigationSpec spec, Operand<TFloat32> temperature) {
    BuildContext nav = ctx.withLearningRateMultiplier(LEARNING_RATE_MULTIPLIER);
    Ops tf = nav.tf();
    int channels = Shapes.channels(x, "navigation");
    Operand<TFloat32> pooled = Pooling.globalAvgPool(tf, x, true); // [N·T, 1, 1, C]
    Operand<TFloat32> gates = Conv2d.builder(2).kernel(1).padding(0).build(nav.child("conv_pool"), pooled);
    gates = Activations.relu(tf, BatchNorm.builder().build(nav.child("bn"), gates));
    // [N·T, 1, 1, 2] → [N, 1, 1, 2T]: frame t's two channels sit at 2t, 2t + 1.
    gates = tf.reshape(gates, tf.constant(new long[] {-1, 1, 1, 2L * frames}));
    int groups = spec.mixFrames() ? 1 : frames;
    BuildContext gs = nav.child("conv_gs");
    Parameter kernel =
        gs.parameter(
            "kernel",
            Parameter.Role.WEIGHT,
            Shape.of(1, 1, 2L * frames / groups, 2L * frames),
            Initializer.heNormalFanOut(2L * frames));
    Parameter bias = gs.parameter("bias", Parameter.Role.BIAS, Shape.of(2L * frames), Initializer.values(keepBias(frames, AfOptions.of(ctx).keepMargin(spec.keepMargin()))));
    Operand<TFloat32> logits =
        tf.math.add(Conv2d.apply(gs.tf(), gates, kernel.variable(), 1, 0, 1), bias.variable());
    logits = tf.reshape(logits, tf.constant(new long[] {-1, frames, 2}));
    if (!nav.training()) {
      // Inference: channel 1 of the one-hot of argmax is the argmax itself (0 skip, 1 keep; ties pick
      // skip, as argmax picks the first): two kernels instead of ArgMax, OneHot, Slice and Squeeze.
      return tf.dtypes.cast(tf.math.argMax(logits, tf.constant(2), TInt32.class), TFloat32.class);
    }
    Operand<TFloat32> decision = GumbelSoftmax.sample(nav, logits, temperature);
    Operand<TFloat32> keep =
        tf.squeeze(
            tf.slice(decision, tf.constant(new int[] {0, 0, 1}), tf.constant(new int[] {-1, -1, 1})),
            org.tensorflow.op.core.Squeeze.axis(new Long[] {2L}));
    return keep;
  }

  /**
   * The spatial mask of AFNet's spatial-redundancy extension (paper §3.3): for every frame, which
   * positions the focal branch computes. 3×3 conv C→2 (no bias) → BN → ReLU → 1×1 conv 2→2 with bias
   * (starting at keep) → Gumbel-softmax per position; keep = channel 1. Parameters under {@code spatial/}.
   *
   * @param x the navigation input {@code [N·T, h, w, C]}
   * @return {@code [N·T, h, w, 1]}, 1 where a position is kept
   */
  public static Operand<TFloat32> spatialMask(BuildContext ctx, Operand<TFloat32> x, Operand<TFloat32> temperature) {
    BuildContext nav = ctx.withLearningRateMultiplier(LEARNING_RATE_MULTIPLIER).child("spatial");
    Ops tf = nav.tf();
    Operand<TFloat32> y = Conv2d.builder(2).kernel(3).padding(1).build(nav.child("conv"), x);
    y = Activations.relu(tf, BatchNorm.builder().build(nav.child("bn"), y));
    Operand<TFloat32> logits =
        Conv2d.builder(2)
            .kernel(1)
            .padding(0)
            .bias(true)
            .biasInitializer(Initializer.values(keepBias(1, NavigationSpec.OFFICIAL_KEEP_MARGIN)))
            .build(nav.child("conv_gs"), y);
    Operand<TFloat32> decision = GumbelSoftmax.sample(nav, logits, temperature);
    return tf.slice(decision, tf.constant(new int[] {0, 0, 0, 1}), tf.constant(new int[] {-1, -1, -1, 1}));
  }

  /** Multiply-adds of one frame through {@link #spatialMask} at {@code c × h × w}. */
  public static long spatialFlopsPerFrame(int c, int h, int w) {
    Cost cost = new Cost();
    CostModel.spatialMask(cost, c, square(h, w), 1);
    return cost.multiplyAdds();
  }

  /** Multiply-adds of one clip through {@link #mask} at {@code c × h × w} (the official counter's terms). */
  public static long flopsPerClip(int c, int h, int w, int frames, boolean mixFrames) {
    Cost cost = new Cost();
    CostModel.navigation(cost, BackboneLayout.Kind.RESNET, c, square(h, w), frames, mixFrames, false);
    return cost.multiplyAdds();
  }

  private static int square(int h, int w) {
    if (h != w) {
      throw new IllegalArgumentException("navigation costs are counted on square maps, got " + h + "×" + w);
    }
    return h;
  }

  /**
   * Overwrites the decision bias of every frame-navigation module in {@code store} (not spatial masks) so
   * frame f starts {@code margin} logits towards keep when {@code keep[f]}, towards skip otherwise: with a
   * margin of 10⁴ no input can overturn it (benchmarks and tests steer the selection this way); with all
   * frames kept it restarts training from a chosen keep margin.
   *
   * <pre>{@code
   * Navigation.setDecisions(session, Ops.create(graph), store, new boolean[] {true, false, true, false}, 1e4f);
   * }</pre>
   *
   * @return how many navigation modules were set
   */
  public static int setDecisions(Session session, Ops tf, ParameterStore store, boolean[] keep, float margin) {
    if (!(margin > 0) || Float.isInfinite(margin)) {
      throw new IllegalArgumentException("margin must be finite and > 0, got " + margin);
    }
    int frames = keep.length;
    float[] bias = new float[2 * frames];
    for (int f = 0; f < frames; f++) {
      bias[2 * f] = keep[f] ? 0f : margin;
      bias[2 * f + 1] = keep[f] ? margin : 0f;
    }
    Session.Runner r = session.runner();
    int assigned = 0;
    for (Parameter p : store.all()) {
      if (p.name().endsWith("conv_gs/bias") && !p.name().contains("/spatial/") && p.shape().get(0) == 2L * frames) {
        r.addTarget(tf.assign(p.variable(), tf.constant(Shape.of(2L * frames), DataBuffers.of(bias))));
        assigned++;
      }
    }
    if (assigned > 0) {
      r.run();
    }
    return assigned;
  }

  /** Whether {@code p} is the decision bias of a frame-navigation module (not a spatial mask's). */
  public static boolean isFrameDecisionBias(Parameter p) {
    return p.name().endsWith("conv_gs/bias") && !p.name().contains("/spatial/");
  }

  /**
   * Moves every decision of the given frame-navigation biases to "keep" {@code margin} logits above its
   * current "skip" logit (what the biases alone say; the learned weights still add to it).
   *
   * @param biases parameters for which {@link #isFrameDecisionBias} holds
   */
  public static void restartKeepMargin(Session session, Ops tf, List<Parameter> biases, float margin) {
    if (!(margin > 0) || Float.isInfinite(margin)) {
      throw new IllegalArgumentException("margin must be finite and > 0, got " + margin);
    }
    if (biases.isEmpty()) {
      return;
    }
    // One run reads every bias and one writes them: each distinct run makes TensorFlow prepare the graph anew,
    // which on a training graph costs far more than the reads.
    Session.Runner read = session.runner();
    biases.forEach(p -> read.fetch(p.variable()));
    Session.Runner assign = session.runner();
    try (org.tensorflow.Result r = read.run()) {
      for (int i = 0; i < biases.size(); i++) {
        float[] b = io.saccade.runtime.nn.Tensors.floats((org.tensorflow.types.TFloat32) r.get(i));
        for (int f = 0; f < b.length; f += 2) {
          b[f + 1] = b[f] + margin;
        }
        assign.addTarget(tf.assign(biases.get(i).variable(), tf.constant(Shape.of(b.length), DataBuffers.of(b))));
      }
    }
    assign.run();
  }

  /** Bias of the 2T conv: 1 for "skip" and 1 + margin for "keep" (official 10), so every frame starts selected. */
  private static float[] keepBias(int frames, float margin) {
    float[] b = new float[2 * frames];
    for (int t = 0; t < frames; t++) {
      b[2 * t] = 1f;
      b[2 * t + 1] = 1f + margin;
    }
    return b;
  }
}
