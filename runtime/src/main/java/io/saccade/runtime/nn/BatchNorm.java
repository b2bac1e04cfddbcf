package io.saccade.runtime.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * Batch normalisation over the last (channel) axis with moving statistics, PyTorch's conventions.
 *
 * <p>In {@link Mode#TRAINING} it normalises with the batch's statistics and registers, with the
 * {@link ParameterStore}, the updates {@code moving = (1 − m)·moving + m·batch} (momentum m = 0.1 as in
 * PyTorch; the variance update uses the unbiased batch variance, as PyTorch does). In
 * {@link Mode#INFERENCE} it uses the moving statistics: {@code y = (x − mean)/sqrt(var + ε)·γ + β}.
 *
 * <pre>{@code
 * Operand<TFloat32> y = BatchNorm.builder().build(ctx.child("bn1"), x);
 * }</pre>
 *
 * <p>Parameters: {@code gamma}, {@code beta} (trained), {@code moving_mean}, {@code moving_variance}.
 */
public final class BatchNorm {

  /** PyTorch's default ε. */
  public static final float DEFAULT_EPSILON = 1e-5f;

  /** PyTorch's default momentum. */
  public static final float DEFAULT_MOMENTUM = 0.1f;

  private BatchNorm() {}

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Inference-mode normalisation with given statistics, for {@code [M, H, W, C]} or {@code [N, C]} inputs.
   */
  public static Operand<TFloat32> apply(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> gamma,
      Operand<TFloat32> beta,
      Operand<TFloat32> mean,
      Operand<TFloat32> variance,
      float epsilon) {
    Operand<TFloat32> in = to4d(tf, x);
    FusedBatchNorm<TFloat32, TFloat32> bn =
        tf.nn.fusedBatchNorm(
            in, gamma, beta, mean, variance, FusedBatchNorm.epsilon(epsilon), FusedBatchNorm.isTraining(false));
    return from4d(tf, bn.y(), x);
  }

  private static Operand<TFloat32> to4d(Ops tf, Operand<TFloat32> x) {
    Shape s = x.shape();
    if (s.numDimensions() == 4) {
      return x;
    }
    if (s.numDimensions() == 2) {
      return tf.reshape(x, tf.constant(new long[] {-1, 1, 1, s.get(1)}));
    }
    throw new IllegalArgumentException("batch norm needs a [M, H, W, C] or [N, C] input, got shape " + s);
  }

  private static Operand<TFloat32> from4d(Ops tf, Operand<TFloat32> y, Operand<TFloat32> x) {
    return x.shape().numDimensions() == 4 ? y : tf.reshape(y, tf.constant(new long[] {-1, x.shape().get(1)}));
  }

  /** Settings of one batch-norm layer. */
  public static final class Builder {
    private float epsilon = DEFAULT_EPSILON;
    private float momentum = DEFAULT_MOMENTUM;

    private Builder() {}

    /** ε added to the variance (default 1e-5). */
    public Builder epsilon(float e) {
      if (!(e > 0f)) {
        throw new IllegalArgumentException("batch-norm epsilon must be > 0, got " + e);
      }
      this.epsilon = e;
      return this;
    }

    /** Weight of the new batch in the moving averages (default 0.1, PyTorch's convention). */
    public Builder momentum(float m) {
      if (!(m >= 0f && m <= 1f)) {
        throw new IllegalArgumentException("batch-norm momentum must be in [0, 1], got " + m);
      }
      this.momentum = m;
      return this;
    }

    /** Creates (or reuses) the parameters under {@code ctx} and normalises {@code x}. */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x) {
      Shape s = x.shape();
      if (s.isUnknown() || (s.numDimensions() != 4 && s.numDimensions() != 2) || s.get(-1) < 0) {
        throw new IllegalArgumentException(
            "batch norm " + ctx.path() + " needs a [M, H, W, C] or [N, C] input with known C, got shape " + s);
      }
      long c = s.get(-1);
      Parameter gamma = ctx.parameter("gamma", Parameter.Role.BN_SCALE, Shape.of(c), Initializer.ones());
      Parameter beta = ctx.parameter("beta", Parameter.Role.BN_OFFSET, Shape.of(c), Initializer.zeros());
      Parameter mean = ctx.parameter("moving_mean", Parameter.Role.BN_MOVING_MEAN, Shape.of(c), Initializer.zeros());
      Parameter var =
          ctx.parameter("moving_variance", Parameter.Role.BN_MOVING_VARIANCE, Shape.of(c), Initializer.ones());
      Ops tf = ctx.tf();
      if (!ctx.training()) {
        return apply(tf, x, gamma.variable(), beta.variable(), mean.variable(), var.variable(), epsilon);
      }
      Operand<TFloat32> empty = tf.constant(Shape.of(0), org.tensorflow.ndarray.buffer.DataBuffers.of(new float[0]));
      FusedBatchNorm<TFloat32, TFloat32> bn =
          tf.nn.fusedBatchNorm(
              to4d(tf, x),
              gamma.variable(),
              beta.variable(),
              empty,
              empty,
              FusedBatchNorm.epsilon(epsilon),
              FusedBatchNorm.isTraining(true));
      // The moving statistics are not differentiated through: their updates read the batch statistics only.
      Operand<TFloat32> m = tf.constant(momentum);
      Operand<TFloat32> keep = tf.constant(1f - momentum);
      Operand<TFloat32> batchMean = tf.stopGradient(bn.batchMean());
      Operand<TFloat32> batchVar = tf.stopGradient(bn.batchVariance());
      ctx.store()
          .addTrainingUpdate(
              tf.assign(mean.variable(), tf.math.add(tf.math.mul(mean.variable(), keep), tf.math.mul(batchMean, m))));
      ctx.store()
          .addTrainingUpdate(
              tf.assign(var.variable(), tf.math.add(tf.math.mul(var.variable(), keep), tf.math.mul(batchVar, m))));
      return from4d(tf, bn.y(), x);
    }
  }
}
