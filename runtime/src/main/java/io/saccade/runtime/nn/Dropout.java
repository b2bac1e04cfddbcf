package io.saccade.runtime.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code rate} and the rest
 * scaled by {@code 1/(1 − rate)}; at inference the identity.
 *
 * <p>The noise is drawn with the input's <em>static</em> shape (TensorFlow Java has no gradient through a
 * random op whose shape is computed from the graph), so training graphs need a static batch size.
 *
 * <pre>{@code
 * Operand<TFloat32> y = Dropout.apply(ctx, features, 0.5f);
 * }</pre>
 */
public final class Dropout {

  private Dropout() {}

  /** Dropout of {@code x} at {@code rate} ∈ [0, 1). */
  public static Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> x, float rate) {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
    if (!ctx.training() || rate == 0f) {
      return x;
    }
    long[] shape = x.shape().asArray();
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "dropout " + ctx.path() + " in training needs a static input shape (fix the batch size), got " + x.shape());
      }
    }
    Ops tf = ctx.tf();
    Operand<TFloat32> u = tf.random.randomUniform(tf.constant(shape), TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant(rate)), TFloat32.class);
    return tf.math.mul(x, tf.math.mul(keep, tf.constant(1f / (1f - rate))));
  }
}
