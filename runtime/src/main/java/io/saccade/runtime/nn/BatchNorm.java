package io.saccade.runtime.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * Batch normalisation over the last (channel) axis with PyTorch's conventions.
 *
 * <p>In {@link Mode#TRAINING} it normalises with the batch statistics (biased variance, as PyTorch) and
 * registers two moving-average updates with {@link ParameterStore#addTrainingUpdate}:
 * {@code moving = (1 − momentum)·moving + momentum·batch}, where the variance fed to the moving average
 * is the <em>unbiased</em> batch variance {@code n/(n−1)·var} (PyTorch's {@code running_var}; it is what
 * TensorFlow's FusedBatchNormV3 returns as {@code batch_variance}). In {@link Mode#INFERENCE} it uses the
 * moving statistics: {@code y = (x − mean)/sqrt(var + ε)·γ + β}. Inputs of any rank ≥ 2 work
 * ({@code [M, H, W, C]}, {@code [N, C]}, {@code [N, T, H, W, C]}).
 *
 * <pre>{@code
 * // parameters bn1/gamma, bn1/beta, bn1/moving_mean, bn1/moving_variance, each [C]
 * Operand<TFloat32> y = BatchNorm.builder().build(ctx.child("bn1"), x);
 * }</pre>
 */
public final class BatchNorm {

  private BatchNorm() {}

  /** PyTorch's default ε. */
  public static final float DEFAULT_EPSILON = 1e-5f;

  /** PyTorch's default momentum (weight of the new batch statistic). */
  public static final float DEFAULT_MOMENTUM = 0.1f;

  /** A layer with ε = 1e-5 and momentum 0.1. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Inference-mode batch norm with given statistics: {@code (x − mean)/sqrt(variance + ε)·γ + β} over the
   * last axis of {@code x} (rank ≥ 2, static channel count C); all four vectors are {@code [C]}. Gradients
   * flow to {@code x}, {@code gamma} and {@code beta}.
   */
  public static Operand<TFloat32> apply(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> gamma,
      Operand<TFloat32> beta,
      Operand<TFloat32> mean,
      Operand<TFloat32> variance,
      float epsilon) {
    checkEpsilon(epsilon);
    long c = channels(x);
    FusedBatchNorm<TFloat32, TFloat32> bn =
        tf.nn.fusedBatchNorm(
            toNhwc(tf, x, c), gamma, beta, mean, variance,
            FusedBatchNorm.isTraining(false), FusedBatchNorm.epsilon(epsilon));
    return fromNhwc(tf, bn.y(), x);
  }

  /**
   * What training-mode batch norm computes.
   *
   * @param output the normalised input, same shape as the input
   * @param batchMean {@code [C]}: mean over every axis but the last
   * @param batchVariance {@code [C]}: the unbiased ({@code n/(n−1)}) variance, what PyTorch's running
   *     variance averages
   */
  public record TrainingResult(Operand<TFloat32> output, Operand<TFloat32> batchMean, Operand<TFloat32> batchVariance) {}

  /**
   * Training-mode batch norm without moving averages: normalises with the batch mean and biased batch
   * variance; gradients flow to {@code x}, {@code gamma} and {@code beta}.
   */
  public static TrainingResult applyTraining(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> gamma, Operand<TFloat32> beta, float epsilon) {
    checkEpsilon(epsilon);
    long c = channels(x);
    checkBatch(x);
    // With is_training the mean/variance inputs are ignored (exponential_avg_factor 1), so pass empty ones.
    Operand<TFloat32> empty = tf.constant(Shape.of(0), DataBuffers.of(new float[0]));
    FusedBatchNorm<TFloat32, TFloat32> bn =
        tf.nn.fusedBatchNorm(
            toNhwc(tf, x, c), gamma, beta, empty, empty,
            FusedBatchNorm.isTraining(true), FusedBatchNorm.epsilon(epsilon));
    return new TrainingResult(fromNhwc(tf, bn.y(), x), bn.batchMean(), bn.batchVariance());
  }

  private static void checkEpsilon(float epsilon) {
    if (!(epsilon > 0f) || Float.isInfinite(epsilon)) {
      throw new IllegalArgumentException("BatchNorm epsilon must be finite and > 0, got " + epsilon);
    }
  }

  /** PyTorch refuses one value per channel in training too: the unbiased variance n/(n−1) divides by zero. */
  private static void checkBatch(Operand<TFloat32> x) {
    long[] dims = x.shape().asArray();
    long perChannel = 1;
    for (int i = 0; i < dims.length - 1 && perChannel > 0; i++) {
      perChannel = dims[i] < 0 ? -1 : perChannel * dims[i];
    }
    if (perChannel == 1) {
      throw new IllegalArgumentException(
          "BatchNorm in training needs more than 1 value per channel, got input shape " + x.shape());
    }
  }

  private static long channels(Operand<TFloat32> x) {
    Shape s = x.shape();
    if (s.isUnknown() || s.numDimensions() < 2) {
      throw new IllegalArgumentException("BatchNorm needs an input of rank >= 2 ([..., C]), got shape " + s);
    }
    return Windows.channels("BatchNorm", x);
  }

  /** Rank 4 stays as is; any other rank becomes {@code [-1, 1, 1, C]} (same per-channel statistics). */
  private static Operand<TFloat32> toNhwc(Ops tf, Operand<TFloat32> x, long c) {
    return x.shape().numDimensions() == 4 ? x : tf.reshape(x, tf.constant(new int[] {-1, 1, 1, (int) c}));
  }

  private static Operand<TFloat32> fromNhwc(Ops tf, Operand<TFloat32> y, Operand<TFloat32> x) {
    Shape s = x.shape();
    if (s.numDimensions() == 4) {
      return y;
    }
    long unknown = Arrays.stream(s.asArray()).filter(d -> d < 0).count();
    // A constant target keeps the static shape known to later layers; tf.shape only when it must.
    return unknown <= 1
        ? tf.reshape(y, tf.constant(Arrays.stream(s.asArray()).mapToInt(d -> (int) d).toArray()))
        : tf.reshape(y, tf.shape(x));
  }

  /** Configures and builds a {@link BatchNorm} layer. */
  public static final class Builder {
    private float epsilon = DEFAULT_EPSILON;
    private float momentum = DEFAULT_MOMENTUM;
    private Initializer gammaInitializer = Initializer.ones();

    private Builder() {}

    /** ε added to the variance (default 1e-5). */
    public Builder epsilon(float eps) {
      checkEpsilon(eps);
      this.epsilon = eps;
      return this;
    }

    /** Weight of the batch statistic in the moving average, in [0, 1] (default 0.1, PyTorch's convention). */
    public Builder momentum(float m) {
      if (!(m >= 0f && m <= 1f)) {
        throw new IllegalArgumentException("BatchNorm momentum must be in [0, 1], got " + m);
      }
      this.momentum = m;
      return this;
    }

    /** Initial γ (default ones; zeros for torchvision's {@code zero_init_residual} last BN of a block). */
    public Builder gammaInitializer(Initializer init) {
      this.gammaInitializer = Objects.requireNonNull(init, "gammaInitializer");
      return this;
    }

    /** The per-channel affine map an inference-mode batch norm applies: {@code y = x·scale + shift}. */
    public record Folded(Operand<TFloat32> scale, Operand<TFloat32> shift) {}

    /**
     * The layer's inference-mode map as {@code scale = γ/sqrt(moving_variance + ε)} and {@code shift = β −
     * moving_mean·scale} ({@code [C]}), from the same parameters {@link #build} creates or reuses under
     * {@code ctx}, so a linear layer before it can absorb it (its weights times {@code scale}, then a bias).
     */
    public Folded folded(BuildContext ctx, long channels) {
      Parameters p = parameters(ctx, channels);
      Ops tf = ctx.tf();
      Operand<TFloat32> scale = tf.math.mul(p.gamma().variable(), tf.math.rsqrt(tf.math.add(p.var().variable(), tf.constant(epsilon))));
      return new Folded(scale, tf.math.sub(p.beta().variable(), tf.math.mul(p.mean().variable(), scale)));
    }

    /** The layer's four parameters over {@code channels}, created on first use under {@code ctx}. */
    private record Parameters(Parameter gamma, Parameter beta, Parameter mean, Parameter var) {}

    private Parameters parameters(BuildContext ctx, long channels) {
      Shape shape = Shape.of(channels);
      return new Parameters(
          ctx.parameter("gamma", Parameter.Role.BN_SCALE, shape, gammaInitializer),
          ctx.parameter("beta", Parameter.Role.BN_OFFSET, shape, Initializer.zeros()),
          ctx.parameter("moving_mean", Parameter.Role.BN_MOVING_MEAN, shape, Initializer.zeros()),
          ctx.parameter("moving_variance", Parameter.Role.BN_MOVING_VARIANCE, shape, Initializer.ones()));
    }

    /**
     * Builds the layer on {@code x} ({@code [..., C]}, C static); creates {@code gamma}, {@code beta},
     * {@code moving_mean} and {@code moving_variance} under the context's path.
     */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x) {
      long c = channels(x);
      if (ctx.training()) {
        checkBatch(x);
      }
      Parameters p = parameters(ctx, c);
      Ops tf = ctx.tf();
      if (!ctx.training()) {
        return apply(tf, x, p.gamma().variable(), p.beta().variable(), p.mean().variable(), p.var().variable(), epsilon);
      }
      TrainingResult r = applyTraining(tf, x, p.gamma().variable(), p.beta().variable(), epsilon);
      Ops update = tf.withSubScope("update");
      ctx.store().addTrainingUpdate(movingAverage(update, ctx.store(), p.mean().variable(), r.batchMean(), "mean"));
      ctx.store().addTrainingUpdate(movingAverage(update, ctx.store(), p.var().variable(), r.batchVariance(), "variance"));
      return r.output();
    }

    /**
     * {@code moving ← (1 − m)·moving + m·batch}. If the same layer was already built in training mode, this
     * update waits for the earlier ones, so two calls in one step apply twice in order, as in PyTorch.
     */
    private Op movingAverage(
        Ops tf, ParameterStore store, Variable<TFloat32> moving, Operand<TFloat32> batch, String name) {
      List<Op> earlier = new ArrayList<>();
      for (Op op : store.trainingUpdates()) {
        Operation o = op.op();
        if (o instanceof GraphOperation g && g.numInputs() > 0 && g.input(0).op().equals(moving.op())) {
          earlier.add(op);
        }
      }
      Ops ordered = earlier.isEmpty() ? tf : tf.withControlDependencies(earlier);
      Operand<TFloat32> next =
          ordered.math.add(
              ordered.math.mul(moving, ordered.constant(1f - momentum)), ordered.math.mul(batch, ordered.constant(momentum)));
      Assign<TFloat32> assign = ordered.withName(name).assign(moving, next);
      return assign;
    }
  }
}
