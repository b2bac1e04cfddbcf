package io.saccade.runtime.train;

import io.saccade.runtime.nn.Parameter;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;

/**
 * Stochastic gradient descent with momentum, with PyTorch's {@code torch.optim.SGD} semantics
 * (dampening 0): {@code g += wd·p} (decayed parameters only), {@code buf = m·buf + g},
 * {@code p -= lr·mult·buf} (Nesterov: {@code p -= lr·mult·(g + m·buf)}). Optional clipping of all
 * raw gradients to a global L2 norm first, as {@code clip_grad_norm_}.
 *
 * <p>Official AFNet training: {@code SgdMomentum.builder().momentum(0.9f).weightDecay(5e-4f).clipNorm(20f).build()}
 * with a base learning rate of 0.01 divided by 10 at epochs 25 and 45.
 *
 * <p>Momentum buffers are {@code VariableV2}s named {@code optimizer/momentum/<parameter name>}.
 */
public final class SgdMomentum implements Optimizer {

  private final float momentum;
  private final boolean nesterov;
  private final Minimizer.Settings settings;

  private SgdMomentum(Builder b) {
    this.momentum = b.momentum;
    this.nesterov = b.nesterov;
    this.settings = new Minimizer.Settings(b.stateScope, b.weightDecay, b.clipNorm);
    if (!(momentum >= 0f) || Float.isInfinite(momentum)) {
      throw new IllegalArgumentException("momentum must be finite and >= 0, got " + momentum);
    }
    if (nesterov && momentum == 0f) {
      throw new IllegalArgumentException("Nesterov momentum needs momentum > 0, got " + momentum);
    }
  }

  /** A builder: momentum 0, no weight decay, no Nesterov, no clipping. */
  public static Builder builder() {
    return new Builder();
  }

  public float momentum() {
    return momentum;
  }

  public boolean nesterov() {
    return nesterov;
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
    return Minimizer.minimize(tf, loss, parameters, extraUpdates, learningRate, settings, this::update);
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
    return Minimizer.minimize(tf, loss, parameters, gradients, extraUpdates, learningRate, settings, this::update);
  }

  private Op update(Ops tf, OptimizerState state, Parameter p, Operand<TFloat32> gradient, Operand<TFloat32> rate) {
    if (momentum == 0f) {
      return tf.train.applyGradientDescent(p.variable(), rate, gradient);
    }
    var buffer = state.zeros("momentum/" + p.name(), p.shape());
    return tf.train.applyMomentum(
        p.variable(), buffer, rate, gradient, tf.constant(momentum), ApplyMomentum.useNesterov(nesterov));
  }

  @Override
  public String toString() {
    return "SgdMomentum{momentum=" + momentum + ", nesterov=" + nesterov + ", weightDecay=" + settings.weightDecay()
        + ", clipNorm=" + settings.clipNorm() + "}";
  }

  /** Builds an {@link SgdMomentum}; every value is checked by {@link #build()}. */
  public static final class Builder {
    private float momentum = 0f;
    private boolean nesterov = false;
    private float weightDecay = 0f;
    private float clipNorm = 0f;
    private String stateScope = "optimizer";

    private Builder() {}

    /** Momentum factor m, e.g. 0.9; 0 is plain SGD with no buffer. */
    public Builder momentum(float momentum) {
      this.momentum = momentum;
      return this;
    }

    /** Nesterov momentum (needs momentum &gt; 0). */
    public Builder nesterov(boolean nesterov) {
      this.nesterov = nesterov;
      return this;
    }

    /** L2 weight decay added to the gradient of parameters whose {@code weightDecay()} is set, e.g. 5e-4. */
    public Builder weightDecay(float weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** Rescale all gradients together when their global L2 norm exceeds this, e.g. 20; 0 turns it off. */
    public Builder clipNorm(float clipNorm) {
      this.clipNorm = clipNorm;
      return this;
    }

    /** Name of the variable scope holding the state, {@code optimizer} by default. */
    public Builder stateScope(String stateScope) {
      this.stateScope = stateScope;
      return this;
    }

    public SgdMomentum build() {
      return new SgdMomentum(this);
    }
  }
}
