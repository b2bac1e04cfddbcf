package io.saccade.runtime.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Inverted dropout with PyTorch's semantics: in training each element is kept with probability
 * {@code 1 − rate} and kept elements are scaled by {@code 1/(1 − rate)}; at inference it is the identity.
 *
 * <p>The keep-mask is drawn from a {@code RandomUniform} seeded by the store's seed and the op's unique
 * name (reproducible run to run, different in every place it is built) and sits behind a
 * {@code StopGradient}, so the gradient {@code mask/(1 − rate)} reaches {@code x} whether its shape is
 * static or has an unknown batch dimension.
 *
 * <pre>{@code
 * Operand<TFloat32> h = Dropout.apply(ctx.child("dropout"), features, 0.5f);
 * }</pre>
 */
public final class Dropout {

  private Dropout() {}

  /**
   * Drops elements of {@code x} with probability {@code rate} in training; returns {@code x} at inference
   * or when rate is 0.
   *
   * @param rate drop probability in [0, 1)
   */
  public static Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> x, float rate) {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
    }
    if (!ctx.training() || rate == 0f) {
      return x;
    }
    Ops tf = ctx.tf();
    Operand<TFloat32> uniform = ctx.uniformNoise(tf.shape(x));
    float keep = 1f - rate;
    Operand<TBool> kept = tf.math.less(uniform, tf.constant(keep));
    // PyTorch's noise = bernoulli(keep)/keep, then x·noise; the noise takes no gradient.
    Operand<TFloat32> noise =
        tf.stopGradient(tf.math.realDiv(tf.dtypes.cast(kept, TFloat32.class), tf.constant(keep)));
    return tf.math.mul(x, noise);
  }


}
