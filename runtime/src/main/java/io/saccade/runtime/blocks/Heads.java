package io.saccade.runtime.blocks;

import io.saccade.architecture.Cost;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Dropout;
import io.saccade.runtime.nn.Initializer;
import io.saccade.runtime.nn.Linear;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.Pooling;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Inputs and classifier heads shared by the generated networks.
 *
 * <pre>{@code
 * Operand<TFloat32> frames = Heads.foldFrames(tf, clips);                  // [N·T, H, W, 3]
 * Heads.Logits logits = Heads.tsn(ctx.child("head"), features, 8, 174, 0.5f);
 * }</pre>
 */
public final class Heads {

  /** Standard deviation of the TSN classifier's initial weights (the official TSN/AFNet value). */
  public static final float CLASSIFIER_INIT_STD = 0.001f;

  /** Learning-rate multiplier of the classifier's weight (official {@code fc_lr5}: 5). */
  public static final float WEIGHT_LEARNING_RATE_MULTIPLIER = 5f;

  /** Learning-rate multiplier of the classifier's bias (official: 10). */
  public static final float BIAS_LEARNING_RATE_MULTIPLIER = 10f;

  private Heads() {}

  /**
   * Logits of a clip classifier.
   *
   * @param frameLogits {@code [N, T, classes]}
   * @param clipLogits {@code [N, classes]}, the mean over frames (TSN consensus)
   */
  public record Logits(Operand<TFloat32> frameLogits, Operand<TFloat32> clipLogits) {}

  /** {@code [N, T, H, W, C]} → {@code [N·T, H, W, C]}; H, W and C must be static. */
  public static Operand<TFloat32> foldFrames(Ops tf, Operand<TFloat32> clips) {
    Shape s = clips.shape();
    if (s.isUnknown() || s.numDimensions() != 5) {
      throw new IllegalArgumentException("clips must be [N, T, H, W, C], got shape " + s);
    }
    for (int axis = 2; axis < 5; axis++) {
      Shapes.dim(clips, axis, "foldFrames");
    }
    return tf.reshape(clips, tf.constant(new long[] {-1, s.get(2), s.get(3), s.get(4)}));
  }

  /** {@code [N·T, …]} → {@code [N, T, …]}. */
  public static Operand<TFloat32> unfoldFrames(Ops tf, Operand<TFloat32> x, int frames) {
    long[] dims = x.shape().asArray();
    long[] target = new long[dims.length + 1];
    target[0] = -1;
    target[1] = frames;
    System.arraycopy(dims, 1, target, 2, dims.length - 1);
    return tf.reshape(x, tf.constant(target));
  }

  /**
   * TSN head: global average pool → dropout (training) → linear → per-frame logits, averaged over the
   * clip's frames. Parameters {@code fc/weight}, {@code fc/bias}, trained at 5× / 10× the base rate as
   * the official recipe does ({@code fc_lr5}).
   */
  public static Logits tsn(BuildContext ctx, Operand<TFloat32> features, int frames, int classes, float dropout) {
    if (frames < 1 || classes < 1) {
      throw new IllegalArgumentException("frames and classes must be >= 1, got " + frames + " and " + classes);
    }
    Ops tf = ctx.tf();
    Operand<TFloat32> pooled = Pooling.globalAvgPool(tf, features);
    pooled = Dropout.apply(ctx, pooled, dropout);
    int inFeatures = Shapes.channels(features, "TSN head");
    BuildContext fc = ctx.child("fc");
    // The official recipe (fc_lr5): the new classifier's weight at 5×, its bias at 10× the base rate.
    Parameter weight =
        fc.withLearningRateMultiplier(WEIGHT_LEARNING_RATE_MULTIPLIER)
            .parameter("weight", Parameter.Role.WEIGHT, Shape.of(inFeatures, classes), Initializer.normal(CLASSIFIER_INIT_STD));
    Parameter bias =
        fc.withLearningRateMultiplier(BIAS_LEARNING_RATE_MULTIPLIER)
            .parameter("bias", Parameter.Role.BIAS, Shape.of(classes), Initializer.zeros());
    Operand<TFloat32> logits = Linear.apply(fc.tf(), pooled, weight.variable(), bias.variable());
    Operand<TFloat32> perFrame = tf.reshape(logits, tf.constant(new long[] {-1, frames, classes}));
    Operand<TFloat32> clip = tf.math.mean(perFrame, tf.constant(1));
    return new Logits(perFrame, clip);
  }

  /** Multiply-adds of {@link #tsn} for one frame's {@code c × h × w} features. */
  public static long tsnFlops(int c, int h, int w, int classes) {
    return new Cost().globalPool(c, h, w, 1).linear(c, classes, true, 1).multiplyAdds();
  }
}
