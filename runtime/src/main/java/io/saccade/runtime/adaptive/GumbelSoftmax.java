package io.saccade.runtime.adaptive;

import io.saccade.runtime.nn.BuildContext;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Gumbel-softmax sampling of discrete decisions (keep / skip a frame) with a temperature that is fed at
 * run time, so a training schedule can anneal it without rebuilding the graph.
 *
 * <p>All functions work on the last axis of {@code logits} ({@code [..., K]}, K static):
 * <ul>
 *   <li>{@link #noise} — Gumbel(0, 1) noise {@code −log(ε − log(u + ε))}, u uniform on [0, 1), ε = 1e-10
 *       (the form of the official AFNet code);
 *   <li>{@link #soft} — {@code softmax((logits + noise) / τ)}, the relaxed sample;
 *   <li>{@link #straightThrough} — the one-hot of {@code argmax(logits + noise)} in the forward pass with
 *       the soft sample's gradient in the backward pass;
 *   <li>{@link #argmaxOneHot} — the deterministic decision for inference (no noise);
 *   <li>{@link #sample} — straight-through with noise in {@code TRAINING}, argmax in {@code INFERENCE}.
 * </ul>
 *
 * <pre>{@code
 * Operand<TFloat32> tau = tf.placeholder(TFloat32.class);          // fed from the schedule, e.g. 1.0 → 0.01
 * Operand<TFloat32> decision = GumbelSoftmax.sample(ctx, logits, tau); // [N·T, 2], exactly one-hot
 * Operand<TFloat32> keep = ...slice channel 1 of decision...;          // 1 = compute this frame
 * }</pre>
 */
public final class GumbelSoftmax {

  /** ε in {@code −log(ε − log(u + ε))}: keeps both logarithms finite for u = 0. */
  public static final float EPSILON = 1e-10f;

  private GumbelSoftmax() {}

  /**
   * Returns {@code tau} if it is a usable temperature (finite and {@code > 0}).
   *
   * @throws IllegalArgumentException naming the value otherwise
   */
  public static float requirePositiveTemperature(float tau) {
    if (!(tau > 0f) || Float.isInfinite(tau)) {
      throw new IllegalArgumentException("Gumbel-softmax temperature must be finite and > 0, got " + tau);
    }
    return tau;
  }

  /** A scalar constant temperature, validated in Java before the graph is built. */
  public static Operand<TFloat32> temperature(Ops tf, float tau) {
    return tf.constant(requirePositiveTemperature(tau));
  }

  /**
   * {@code tau} guarded by a graph-side assertion: a run that feeds a temperature that is not finite and
   * {@code > 0} fails with an {@code InvalidArgument} error naming the value, instead of silently
   * producing NaN or Inf samples. {@link #soft} applies it to every temperature it is given.
   */
  public static Operand<TFloat32> checkedTemperature(Ops tf, Operand<TFloat32> tau) {
    Objects.requireNonNull(tau, "temperature");
    Shape s = tau.shape();
    if (!s.isUnknown() && s.numDimensions() != 0) {
      throw new IllegalArgumentException("Gumbel-softmax temperature must be a scalar, got shape " + s);
    }
    // τ > 0 and τ < +Inf; NaN fails both comparisons.
    Operand<TBool> ok =
        tf.math.logicalAnd(
            tf.math.greater(tau, tf.constant(0f)), tf.math.less(tau, tf.constant(Float.POSITIVE_INFINITY)));
    AssertThat check =
        tf.assertThat(ok, List.of(tf.constant("Gumbel-softmax temperature must be finite and > 0, got"), tau));
    // Reshaped to a scalar so a temperature placeholder of unknown shape keeps the logits' shape static.
    return tf.withControlDependencies(check).reshape(tau, tf.constant(new int[0]));
  }

  /**
   * Gumbel(0, 1) noise of a fully static shape, from a non-deterministic {@code RandomUniform}.
   *
   * <p>The noise is a constant for {@code tf.gradients} (it leaves through a {@code StopGradient}). See
   * {@link #noiseLike} for logits with a dynamic batch.
   */
  public static Operand<TFloat32> noise(Ops tf, Shape staticShape) {
    return gumbel(tf, tf.random.randomUniform(tf.constant(requireStatic(staticShape)), TFloat32.class));
  }

  /** {@link #noise(Ops, Shape)} from a seeded generator: the same graph yields the same sequence of draws. */
  public static Operand<TFloat32> noise(Ops tf, Shape staticShape, long seed) {
    return gumbel(
        tf,
        tf.random.randomUniform(
            tf.constant(requireStatic(staticShape)), TFloat32.class, RandomUniform.seed(seed), RandomUniform.seed2(seed)));
  }

  /**
   * Gumbel noise shaped like {@code logits}: a constant shape when it is static, otherwise
   * {@code tf.shape(logits)} (a dynamic batch). Safe on the gradient path either way: the noise leaves
   * through a {@code StopGradient}, so {@code tf.gradients} never asks RandomUniform for a gradient.
   */
  public static Operand<TFloat32> noiseLike(Ops tf, Operand<TFloat32> logits) {
    Shape s = logits.shape();
    if (!s.isUnknown() && !s.hasUnknownDimension()) {
      return noise(tf, s);
    }
    Operand<TInt64> shape = tf.shape(logits, TInt64.class);
    return gumbel(tf, tf.random.randomUniform(shape, TFloat32.class));
  }

  /**
   * The relaxed sample {@code softmax((logits + noise) / τ)} over the last axis.
   *
   * @param logits {@code [..., K]}, K static
   * @param temperature scalar τ, checked at run time by {@link #checkedTemperature}
   * @param noise the same shape as {@code logits}, or {@code null} for none
   */
  public static Operand<TFloat32> soft(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> temperature, Operand<TFloat32> noise) {
    requireLogits(logits);
    Operand<TFloat32> tau = checkedTemperature(tf, temperature);
    return tf.nn.softmax(tf.math.div(noisy(tf, logits, noise), tau));
  }

  /**
   * The hard straight-through sample: exactly the one-hot of {@code argmax(logits + noise)} in the
   * forward pass, and the gradient of {@link #soft} in the backward pass.
   *
   * <p>Written as {@code stopGradient(hard) + (soft − stopGradient(soft))} rather than the textbook
   * {@code stopGradient(hard − soft) + soft}: the two have the same gradient, but the textbook form
   * rounds {@code (1 − s) + s} in float32 and is not always exactly 1, while {@code s − s} is exactly 0.
   */
  public static Operand<TFloat32> straightThrough(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> temperature, Operand<TFloat32> noise) {
    Operand<TFloat32> soft = soft(tf, logits, temperature, noise);
    Operand<TFloat32> hard = oneHotOfArgmax(tf, noisy(tf, logits, noise), choices(logits));
    return tf.math.add(tf.stopGradient(hard), tf.math.sub(soft, tf.stopGradient(soft)));
  }

  /** The deterministic decision: the one-hot of {@code argmax(logits)} over the last axis, no noise, no gradient. */
  public static Operand<TFloat32> argmaxOneHot(Ops tf, Operand<TFloat32> logits) {
    requireLogits(logits);
    return tf.stopGradient(oneHotOfArgmax(tf, logits, choices(logits)));
  }

  /**
   * The decision a network takes in {@code ctx}'s mode: {@link #straightThrough} with {@link #noiseLike}
   * noise in training, {@link #argmaxOneHot} in inference (where {@code temperature} is unused and may
   * be {@code null}).
   */
  public static Operand<TFloat32> sample(BuildContext ctx, Operand<TFloat32> logits, Operand<TFloat32> temperature) {
    Ops tf = ctx.tf();
    if (!ctx.training()) {
      return argmaxOneHot(tf, logits);
    }
    Objects.requireNonNull(temperature, "temperature (needed in training)");
    requireLogits(logits);
    // The context's noise: reproducible, and keyed by the training step when the trainer feeds one.
    return straightThrough(tf, logits, temperature, gumbel(tf, ctx.uniformNoise(tf.shape(logits))));
  }

  private static Operand<TFloat32> gumbel(Ops tf, Operand<TFloat32> u) {
    Operand<TFloat32> eps = tf.constant(EPSILON);
    // StopGradient sends "no gradient" into RandomUniform, which TF's C++ gradient builder then skips
    // instead of failing for want of a RandomUniform gradient (its shape may depend on the logits).
    return tf.stopGradient(tf.math.neg(tf.math.log(tf.math.sub(eps, tf.math.log(tf.math.add(u, eps))))));
  }

  private static Operand<TFloat32> noisy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> noise) {
    if (noise == null) {
      return logits;
    }
    Shape l = logits.shape();
    Shape n = noise.shape();
    if (!l.isCompatibleWith(n)) {
      throw new IllegalArgumentException("Gumbel noise shape " + n + " does not match logits shape " + l);
    }
    return tf.math.add(logits, noise);
  }

  private static Operand<TFloat32> oneHotOfArgmax(Ops tf, Operand<TFloat32> z, long depth) {
    return tf.oneHot(tf.math.argMax(z, tf.constant(-1)), tf.constant((int) depth), tf.constant(1f), tf.constant(0f));
  }

  private static void requireLogits(Operand<TFloat32> logits) {
    Objects.requireNonNull(logits, "logits");
    Shape s = logits.shape();
    if (s.isUnknown() || s.numDimensions() < 1 || s.get(s.numDimensions() - 1) < 1) {
      throw new IllegalArgumentException(
          "Gumbel-softmax needs logits [..., K] with a static number of choices K >= 1, got shape " + s);
    }
  }

  private static long choices(Operand<TFloat32> logits) {
    Shape s = logits.shape();
    return s.get(s.numDimensions() - 1);
  }

  private static Shape requireStatic(Shape shape) {
    Objects.requireNonNull(shape, "shape");
    if (shape.isUnknown() || shape.hasUnknownDimension()) {
      throw new IllegalArgumentException("Gumbel noise needs a fully static shape, got " + shape);
    }
    return shape;
  }
}
