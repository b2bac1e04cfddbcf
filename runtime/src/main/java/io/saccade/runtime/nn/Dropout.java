package io.saccade.runtime.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code rate} and the rest
 * scaled by {@code 1/(1 − rate)}; at inference the identity.
 *
 * <p>The noise comes from {@link BuildContext#uniformNoise}: reproducible when the context carries a
 * noise seed, and shaped behind a stop-gradient so a dynamic batch size works.
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
    Ops tf = ctx.tf();
    Operand<TFloat32> u = ctx.uniformNoise(tf.shape(x));
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant(rate)), TFloat32.class);
    return tf.math.mul(x, tf.math.mul(keep, tf.constant(1f / (1f - rate))));
  }
}
