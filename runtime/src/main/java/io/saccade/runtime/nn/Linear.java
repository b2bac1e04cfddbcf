package io.saccade.runtime.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A fully connected layer {@code y = x·W + b} on {@code [N, in]} inputs.
 *
 * <pre>{@code
 * Operand<TFloat32> logits = Linear.builder(174).build(ctx.child("fc"), features);
 * }</pre>
 *
 * <p>Parameters: {@code weight} {@code [in, out]} (PyTorch's {@code [out, in]} transposed) and
 * {@code bias} {@code [out]}; both start uniform in ±1/√in, PyTorch's default.
 */
public final class Linear {

  private Linear() {}

  public static Builder builder(int outFeatures) {
    return new Builder(outFeatures);
  }

  /** {@code x·weight + bias}; {@code bias} may be null. */
  public static Operand<TFloat32> apply(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> weight, Operand<TFloat32> bias) {
    Operand<TFloat32> y = tf.linalg.matMul(x, weight);
    return bias == null ? y : tf.nn.biasAdd(y, bias);
  }

  /** Settings of one linear layer. */
  public static final class Builder {
    private final int out;
    private boolean bias = true;
    private Initializer initializer;
    private Initializer biasInitializer;

    private Builder(int out) {
      if (out < 1) {
        throw new IllegalArgumentException("output features must be >= 1, got " + out);
      }
      this.out = out;
    }

    /** Whether to add a bias (default true). */
    public Builder bias(boolean b) {
      this.bias = b;
      return this;
    }

    /** Weight initialiser (default uniform ±1/√in). The bias then starts at zero unless set. */
    public Builder initializer(Initializer i) {
      this.initializer = i;
      return this;
    }

    /** Bias initialiser. */
    public Builder biasInitializer(Initializer i) {
      this.biasInitializer = i;
      return this;
    }

    /** Creates (or reuses) the parameters under {@code ctx} and applies the layer to {@code x}. */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x) {
      Shape s = x.shape();
      if (s.isUnknown() || s.numDimensions() != 2 || s.get(1) < 0) {
        throw new IllegalArgumentException(
            "linear " + ctx.path() + " needs an [N, in] input with known in, got shape " + s);
      }
      long in = s.get(1);
      float limit = (float) (1 / Math.sqrt(in));
      Initializer w = initializer != null ? initializer : Initializer.uniform(limit);
      Initializer b =
          biasInitializer != null ? biasInitializer : initializer != null ? Initializer.zeros() : Initializer.uniform(limit);
      Parameter weight = ctx.parameter("weight", Parameter.Role.WEIGHT, Shape.of(in, out), w);
      Parameter biasParam = bias ? ctx.parameter("bias", Parameter.Role.BIAS, Shape.of(out), b) : null;
      return apply(ctx.tf(), x, weight.variable(), biasParam == null ? null : biasParam.variable());
    }
  }
}
