package io.saccade.runtime.adaptive;

import io.saccade.runtime.nn.BuildContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Gumbel-softmax sampling of discrete decisions (Jang et al., 2017) with a fed temperature τ.
 *
 * <p>Training: {@code soft = softmax((logits + g)/τ)} with Gumbel noise {@code g = −log(ε − log(u + ε))},
 * and the straight-through sample {@code stopGradient(hard − soft) + soft}, exactly one-hot forward and
 * differentiable as the soft sample backward. Inference: the one-hot argmax of the logits, no noise, so
 * the same input always gives the same decision (the official AFNet samples noise even in evaluation).
 *
 * <pre>{@code
 * Operand<TFloat32> decision = GumbelSoftmax.sample(ctx, logits, tau);   // [..., K] one-hot
 * }</pre>
 */
public final class GumbelSoftmax {

  /** ε of the noise, as the official sampler. */
  public static final float EPSILON = 1e-10f;

  private GumbelSoftmax() {}

  /**
   * A scalar temperature constant.
   *
   * @throws IllegalArgumentException when {@code tau} is not a finite positive number
   */
  public static Operand<TFloat32> temperature(Ops tf, float tau) {
    requirePositiveTemperature(tau);
    return tf.constant(tau);
  }

  /** Throws unless {@code tau} is finite and &gt; 0. */
  public static void requirePositiveTemperature(double tau) {
    if (!(tau > 0) || Double.isInfinite(tau)) {
      throw new IllegalArgumentException("Gumbel-softmax temperature must be finite and > 0, got " + tau);
    }
  }

  /**
   * Gumbel(0, 1) noise shaped like {@code like}. The shape is taken from the graph behind a stop-gradient,
   * so the noise works with a dynamic batch and never blocks backpropagation.
   */
  public static Operand<TFloat32> noise(Ops tf, Operand<TFloat32> like) {
    Operand<TInt32> shape = tf.stopGradient(tf.shape(like));
    return gumbel(tf, tf.random.randomUniform(shape, TFloat32.class));
  }

  /** Gumbel(0, 1) noise from uniform noise {@code u}: {@code −log(ε − log(u + ε))}. */
  public static Operand<TFloat32> gumbel(Ops tf, Operand<TFloat32> u) {
    Operand<TFloat32> eps = tf.constant(EPSILON);
    return tf.math.neg(tf.math.log(tf.math.sub(eps, tf.math.log(tf.math.add(u, eps)))));
  }

  /** {@code softmax((logits + noise)/τ)} over the last axis; {@code noise} may be null for none. */
  public static Operand<TFloat32> soft(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> temperature, Operand<TFloat32> noise) {
    Operand<TFloat32> z = noise == null ? logits : tf.math.add(logits, noise);
    return tf.nn.softmax(tf.math.div(z, temperature));
  }

  /** The one-hot argmax over the last axis of {@code x}, as floats. */
  public static Operand<TFloat32> argmaxOneHot(Ops tf, Operand<TFloat32> x) {
    long k = x.shape().get(-1);
    if (k < 1) {
      throw new IllegalArgumentException("Gumbel-softmax needs a static number of categories, got shape " + x.shape());
    }
    Operand<TInt32> index = tf.math.argMax(x, tf.constant(-1), TInt32.class);
    return tf.oneHot(index, tf.constant((int) k), tf.constant(1f), tf.constant(0f));
  }

  /** {@code stopGradient(hard − soft) + soft}: one-hot forward, the soft sample's gradient backward. */
  public static Operand<TFloat32> straightThrough(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> temperature, Operand<TFloat32> noise) {
    Operand<TFloat32> soft = soft(tf, logits, temperature, noise);
    Operand<TFloat32> hard = argmaxOneHot(tf, soft);
    return tf.math.add(tf.stopGradient(tf.math.sub(hard, soft)), soft);
  }

  /** Straight-through with noise in training, the deterministic argmax at inference. */
  public static Operand<TFloat32> sample(BuildContext ctx, Operand<TFloat32> logits, Operand<TFloat32> temperature) {
    Ops tf = ctx.tf();
    if (!ctx.training()) {
      return argmaxOneHot(tf, logits);
    }
    return straightThrough(tf, logits, temperature, gumbel(tf, ctx.uniformNoise(tf.shape(logits))));
  }
}
