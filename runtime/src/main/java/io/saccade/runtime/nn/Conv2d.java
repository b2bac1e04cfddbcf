package io.saccade.runtime.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A 2-D convolution on NHWC frames, grouped when asked, with PyTorch's symmetric zero padding.
 *
 * <p>TensorFlow's {@code SAME} padding puts the extra row at the bottom for stride 2, PyTorch pads both
 * sides equally; weights imported from PyTorch only reproduce its outputs with symmetric padding, so
 * that is what {@link #apply} does. Grouped convolutions use TensorFlow's native grouped Conv2D (input
 * channels = groups × the kernel's input channels), which runs forward and backward on CPU.
 *
 * <pre>{@code
 * Operand<TFloat32> y = Conv2d.builder(64).kernel(3).stride(2).groups(2).build(ctx.child("conv2"), x);
 * }</pre>
 *
 * <p>Parameters: {@code kernel} {@code [k, k, Cin/groups, Cout]} (HWIO) and, with {@link Builder#bias},
 * {@code bias} {@code [Cout]}.
 */
public final class Conv2d {

  private Conv2d() {}

  /** Starts a convolution with {@code outChannels} output channels (kernel 1, stride 1, groups 1, no bias). */
  public static Builder builder(int outChannels) {
    return new Builder(outChannels);
  }

  /**
   * Convolves {@code x} ({@code [M, H, W, Cin]}) with {@code kernel} ({@code [k, k, Cin/groups, Cout]});
   * the groups are {@code Cin / kernel's input channels}.
   *
   * @param padding zero rows/columns added on every side (PyTorch's {@code padding})
   */
  public static Operand<TFloat32> apply(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int stride, int padding, int dilation) {
    if (stride < 1 || dilation < 1 || padding < 0) {
      throw new IllegalArgumentException(
          "conv needs stride >= 1, dilation >= 1 and padding >= 0, got stride=" + stride + ", dilation=" + dilation
              + ", padding=" + padding);
    }
    Operand<TFloat32> in = padding == 0 ? x : pad(tf, x, padding);
    return tf.nn.conv2d(
        in,
        kernel,
        List.of(1L, (long) stride, (long) stride, 1L),
        "VALID",
        org.tensorflow.op.nn.Conv2d.dilations(List.of(1L, (long) dilation, (long) dilation, 1L)));
  }

  /** Zero-pads H and W by {@code p} on both sides. */
  static Operand<TFloat32> pad(Ops tf, Operand<TFloat32> x, int p) {
    return tf.pad(x, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
  }

  /** Output size of a convolution over {@code size} input pixels. */
  public static int outputSize(int size, int kernel, int stride, int padding, int dilation) {
    return (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
  }

  /** Settings of one convolution layer. */
  public static final class Builder {
    private final int outChannels;
    private int kernel = 1;
    private int stride = 1;
    private Integer padding;
    private int dilation = 1;
    private int groups = 1;
    private boolean bias;
    private Initializer initializer;
    private Initializer biasInitializer = Initializer.zeros();

    private Builder(int outChannels) {
      if (outChannels < 1) {
        throw new IllegalArgumentException("output channels must be >= 1, got " + outChannels);
      }
      this.outChannels = outChannels;
    }

    /** Square kernel size k (default 1). */
    public Builder kernel(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("kernel size must be >= 1, got " + k);
      }
      this.kernel = k;
      return this;
    }

    /** Stride (default 1). */
    public Builder stride(int s) {
      if (s < 1) {
        throw new IllegalArgumentException("stride must be >= 1, got " + s);
      }
      this.stride = s;
      return this;
    }

    /** Symmetric zero padding (default {@code dilation·(k − 1)/2}, "same" for odd kernels at stride 1). */
    public Builder padding(int p) {
      if (p < 0) {
        throw new IllegalArgumentException("padding must be >= 0, got " + p);
      }
      this.padding = p;
      return this;
    }

    /** Dilation (default 1). */
    public Builder dilation(int d) {
      if (d < 1) {
        throw new IllegalArgumentException("dilation must be >= 1, got " + d);
      }
      this.dilation = d;
      return this;
    }

    /** Groups (default 1); must divide both the input and the output channels. */
    public Builder groups(int g) {
      if (g < 1) {
        throw new IllegalArgumentException("groups must be >= 1, got " + g);
      }
      this.groups = g;
      return this;
    }

    /** Whether to add a bias (default false: convolutions followed by batch norm need none). */
    public Builder bias(boolean b) {
      this.bias = b;
      return this;
    }

    /** Kernel initialiser (default He normal, fan-out mode, as torchvision). */
    public Builder initializer(Initializer i) {
      this.initializer = i;
      return this;
    }

    /** Bias initialiser (default zeros). */
    public Builder biasInitializer(Initializer i) {
      this.biasInitializer = i;
      return this;
    }

    /** Creates (or reuses) the parameters under {@code ctx} and convolves {@code x}. */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x) {
      Shape s = x.shape();
      if (s.isUnknown() || s.numDimensions() != 4 || s.get(3) < 0) {
        throw new IllegalArgumentException(
            "conv " + ctx.path() + " needs an NHWC input with known channels, got shape " + s);
      }
      int in = (int) s.get(3);
      if (in % groups != 0 || outChannels % groups != 0) {
        throw new IllegalArgumentException(
            "conv " + ctx.path() + ": groups=" + groups + " must divide the input channels (" + in
                + ") and the output channels (" + outChannels + ")");
      }
      int pad = padding != null ? padding : dilation * (kernel - 1) / 2;
      Initializer init =
          initializer != null ? initializer : Initializer.heNormalFanOut((long) outChannels * kernel * kernel);
      Parameter k =
          ctx.parameter("kernel", Parameter.Role.WEIGHT, Shape.of(kernel, kernel, in / groups, outChannels), init);
      Operand<TFloat32> y = apply(ctx.tf(), x, k.variable(), stride, pad, dilation);
      if (bias) {
        Parameter b = ctx.parameter("bias", Parameter.Role.BIAS, Shape.of(outChannels), biasInitializer);
        y = ctx.tf().nn.biasAdd(y, b.variable());
      }
      return y;
    }
  }
}
