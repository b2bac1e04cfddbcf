package io.saccade.runtime.nn;

import java.util.Objects;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One persistent tensor of a network: a weight, a bias, a batch-norm scale or a moving statistic.
 *
 * <p>Parameters are TensorFlow {@code VariableV2} ops, the only kind {@code Session.save/restore} and
 * SavedModel export persist. The optimizer reads {@link #trainable()}, {@link #learningRateMultiplier()}
 * and {@link #weightDecay()}; checkpoints and weight import key them by {@link #name()}.
 *
 * @param name full, stable path such as {@code stage1/focal/block0/conv2/kernel}
 * @param role what the tensor is, which decides its defaults (no weight decay on BN and biases)
 * @param shape static shape, e.g. HWIO {@code [3, 3, 64, 64]} for a conv kernel
 * @param variable the graph variable holding the value
 * @param trainable whether gradients update it (moving statistics are not trainable)
 * @param learningRateMultiplier factor on the base learning rate, 1 for most parameters
 * @param weightDecay whether L2 weight decay applies
 */
public record Parameter(
    String name,
    Role role,
    Shape shape,
    Variable<TFloat32> variable,
    boolean trainable,
    float learningRateMultiplier,
    boolean weightDecay) {

  /** What a parameter is. */
  public enum Role {
    /** Convolution or linear weight: trainable, decayed. */
    WEIGHT(true, true),
    /** Additive bias: trainable, not decayed. */
    BIAS(true, false),
    /** Batch-norm scale γ: trainable, not decayed. */
    BN_SCALE(true, false),
    /** Batch-norm offset β: trainable, not decayed. */
    BN_OFFSET(true, false),
    /** Batch-norm moving mean: updated by the forward pass in training, never by gradients. */
    BN_MOVING_MEAN(false, false),
    /** Batch-norm moving variance: updated by the forward pass in training, never by gradients. */
    BN_MOVING_VARIANCE(false, false),
    /** Any other trainable tensor (attention scalars, embeddings): trainable, not decayed. */
    OTHER(true, false);

    private final boolean trainable;
    private final boolean decayed;

    Role(boolean trainable, boolean decayed) {
      this.trainable = trainable;
      this.decayed = decayed;
    }

    /** Whether parameters of this role are trained by gradient descent by default. */
    public boolean trainableByDefault() {
      return trainable;
    }

    /** Whether weight decay applies by default. */
    public boolean decayedByDefault() {
      return decayed;
    }
  }

  public Parameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(variable, "variable");
    if (!(learningRateMultiplier >= 0f) || Float.isInfinite(learningRateMultiplier)) {
      throw new IllegalArgumentException(
          "learningRateMultiplier of " + name + " must be finite and >= 0, got " + learningRateMultiplier);
    }
  }

  /** Number of scalar values, e.g. 36,864 for a {@code [3, 3, 64, 64]} kernel. */
  public long size() {
    return shape.size();
  }
}
