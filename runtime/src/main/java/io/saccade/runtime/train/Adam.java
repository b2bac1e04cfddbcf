package io.saccade.runtime.train;

import io.saccade.runtime.nn.Parameter;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam with bias correction, as TensorFlow's {@code ApplyAdam}: at step t (from 1)
 * {@code m = β1·m + (1−β1)·g}, {@code v = β2·v + (1−β2)·g²},
 * {@code p -= lr·mult·sqrt(1−β2^t)/(1−β1^t) · m / (sqrt(v) + ε)}. Weight decay is L2 added to the
 * gradient of decayed parameters ({@code g += wd·p}, as {@code torch.optim.Adam}, not AdamW); optional
 * global-norm clipping of the raw gradients first.
 *
 * <p>Note ε sits outside the bias correction of v, so it differs from PyTorch's Adam by a factor
 * {@code sqrt(1−β2^t)} on ε only.
 *
 * <pre>{@code
 * Optimizer adam = Adam.builder().beta1(0.9f).beta2(0.999f).epsilon(1e-8f).weightDecay(1e-4f).build();
 * }</pre>
 *
 * <p>State: {@code optimizer/adam_m/<parameter>}, {@code optimizer/adam_v/<parameter>},
 * {@code optimizer/beta1_power}, {@code optimizer/beta2_power} (β^t of the next step), all {@code VariableV2}.
 */
public final class Adam implements Optimizer {

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final Minimizer.Settings settings;

  private Adam(Builder b) {
    this.beta1 = b.beta1;
    this.beta2 = b.beta2;
    this.epsilon = b.epsilon;
    this.settings = new Minimizer.Settings(b.stateScope, b.weightDecay, b.clipNorm);
    requireBeta("beta1", beta1);
    requireBeta("beta2", beta2);
    if (!(epsilon >= 0f) || Float.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
    }
  }

  private static void requireBeta(String name, float beta) {
    if (!(beta >= 0f && beta < 1f)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + beta);
    }
  }

  /** A builder: β1 0.9, β2 0.999, ε 1e-8, no weight decay, no clipping. */
  public static Builder builder() {
    return new Builder();
  }

  public float beta1() {
    return beta1;
  }

  public float beta2() {
    return beta2;
  }

  public float epsilon() {
    return epsilon;
  }

  public float weightDecay() {
    return settings.weightDecay();
  }

  /** The global-norm clipping threshold, 0 when clipping is off. */
  public float clipNorm() {
    return settings.clipNorm();
  }

  @Override
  public TrainOp minimize(
      Ops tf, Operand<TFloat32> loss, List<Parameter> parameters, List<Op> extraUpdates, Operand<TFloat32> learningRate) {
    return Minimizer.minimize(tf, loss, parameters, extraUpdates, learningRate, settings, new Rule());
  }

  @Override
  public TrainOp applyGradients(
      Ops tf,
      Operand<TFloat32> loss,
      List<Parameter> parameters,
      List<? extends Operand<TFloat32>> gradients,
      List<Op> extraUpdates,
      Operand<TFloat32> learningRate) {
    Objects.requireNonNull(gradients, "gradients");
    return Minimizer.minimize(tf, loss, parameters, gradients, extraUpdates, learningRate, settings, new Rule());
  }

  @Override
  public String toString() {
    return "Adam{beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ", weightDecay="
        + settings.weightDecay() + ", clipNorm=" + settings.clipNorm() + "}";
  }

  /** One build's state: the β powers shared by every parameter. */
  private final class Rule implements Minimizer.UpdateRule {
    private Variable<TFloat32> beta1Power;
    private Variable<TFloat32> beta2Power;

    @Override
    public void createSharedState(OptimizerState state) {
      beta1Power = state.scalar("beta1_power", beta1);
      beta2Power = state.scalar("beta2_power", beta2);
    }

    @Override
    public Op update(Ops tf, OptimizerState state, Parameter p, Operand<TFloat32> gradient, Operand<TFloat32> rate) {
      var m = state.zeros("adam_m/" + p.name(), p.shape());
      var v = state.zeros("adam_v/" + p.name(), p.shape());
      return tf.train.applyAdam(
          p.variable(), m, v, beta1Power, beta2Power, rate,
          tf.constant(beta1), tf.constant(beta2), tf.constant(epsilon), gradient);
    }

    @Override
    public List<Op> afterUpdates(Ops tf, OptimizerState state) {
      // β^t advances only after every ApplyAdam has read it.
      return List.of(
          tf.assign(beta1Power, tf.math.mul(beta1Power, tf.constant(beta1))),
          tf.assign(beta2Power, tf.math.mul(beta2Power, tf.constant(beta2))));
    }
  }

  /** Builds an {@link Adam}; every value is checked by {@link #build()}. */
  public static final class Builder {
    private float beta1 = 0.9f;
    private float beta2 = 0.999f;
    private float epsilon = 1e-8f;
    private float weightDecay = 0f;
    private float clipNorm = 0f;
    private String stateScope = "optimizer";

    private Builder() {}

    /** Decay of the first moment, in [0, 1). */
    public Builder beta1(float beta1) {
      this.beta1 = beta1;
      return this;
    }

    /** Decay of the second moment, in [0, 1). */
    public Builder beta2(float beta2) {
      this.beta2 = beta2;
      return this;
    }

    /** Added to sqrt(v) in the denominator, &gt;= 0. */
    public Builder epsilon(float epsilon) {
      this.epsilon = epsilon;
      return this;
    }

    /** L2 weight decay added to the gradient of parameters whose {@code weightDecay()} is set. */
    public Builder weightDecay(float weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** Rescale all gradients together when their global L2 norm exceeds this; 0 turns it off. */
    public Builder clipNorm(float clipNorm) {
      this.clipNorm = clipNorm;
      return this;
    }

    /** Name of the variable scope holding the state, {@code optimizer} by default. */
    public Builder stateScope(String stateScope) {
      this.stateScope = stateScope;
      return this;
    }

    public Adam build() {
      return new Adam(this);
    }
  }
}
