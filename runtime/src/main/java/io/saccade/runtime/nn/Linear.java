package io.saccade.runtime.nn;

import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A fully connected layer {@code y = x·W + b} on {@code [N, in]} inputs, with weight stored
 * {@code [in, out]} (the transpose of PyTorch's {@code [out, in]}).
 *
 * <pre>{@code
 * // the classifier: parameters head/fc/weight [2048, 174] and head/fc/bias [174]
 * Operand<TFloat32> logits = Linear.builder(174).build(ctx.child("fc"), features);
 * }</pre>
 */
public final class Linear {

  private Linear() {}

  /** A layer with {@code outFeatures} outputs, with a bias. */
  public static Builder builder(int outFeatures) {
    return new Builder(Windows.atLeast("Linear output features", outFeatures, 1));
  }

  /** {@code x·weight + bias}: {@code [N, in]·[in, out] + [out]}. */
  public static Operand<TFloat32> apply(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> weight, Operand<TFloat32> bias) {
    return tf.nn.biasAdd(apply(tf, x, weight), bias);
  }

  /** {@code x·weight} without bias: {@code [N, in]·[in, out]}. */
  public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> weight) {
    Windows.rank("Linear", x, 2, "[N, in]");
    Windows.rank("Linear weight", weight, 2, "[in, out]");
    long in = x.shape().size(1);
    long wIn = weight.shape().size(0);
    if (in >= 0 && wIn >= 0 && in != wIn) {
      throw new IllegalArgumentException(
          "Linear input features (" + in + ") must equal the weight's rows (" + wIn + ")");
    }
    return tf.linalg.matMul(x, weight);
  }

  /** Configures and builds a {@link Linear} layer; parameters {@code weight} and optionally {@code bias}. */
  public static final class Builder {
    private final int outFeatures;
    private boolean bias = true;
    private Initializer initializer;
    private Initializer biasInitializer;

    private Builder(int outFeatures) {
      this.outFeatures = outFeatures;
    }

    /** Whether to add a bias (default true). */
    public Builder bias(boolean b) {
      this.bias = b;
      return this;
    }

    /** Weight initializer (default PyTorch's: uniform on ±1/sqrt(in)). */
    public Builder initializer(Initializer init) {
      this.initializer = Objects.requireNonNull(init, "initializer");
      return this;
    }

    /** Bias initializer (default PyTorch's: uniform on ±1/sqrt(in)). */
    public Builder biasInitializer(Initializer init) {
      this.biasInitializer = Objects.requireNonNull(init, "biasInitializer");
      return this;
    }

    /** Builds the layer on {@code x} {@code [N, in]} (in static), giving {@code [N, outFeatures]}. */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x) {
      Windows.rank("Linear", x, 2, "[N, in]");
      long in = Windows.channels("Linear", x);
      Initializer pytorch = Initializer.uniform((float) (1.0 / Math.sqrt(in)));
      Parameter w =
          ctx.parameter(
              "weight", Parameter.Role.WEIGHT, Shape.of(in, outFeatures), initializer != null ? initializer : pytorch);
      if (!bias) {
        return apply(ctx.tf(), x, w.variable());
      }
      Parameter b =
          ctx.parameter(
              "bias", Parameter.Role.BIAS, Shape.of(outFeatures), biasInitializer != null ? biasInitializer : pytorch);
      return apply(ctx.tf(), x, w.variable(), b.variable());
    }
  }
}
