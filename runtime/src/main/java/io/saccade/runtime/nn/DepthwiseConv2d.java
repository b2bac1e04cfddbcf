package io.saccade.runtime.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A depthwise convolution (one k×k filter per channel, MobileNet's spatial convolution) with
 * symmetric zero padding as PyTorch's {@code Conv2d(C, C, k, groups=C)}.
 *
 * <pre>{@code
 * Operand<TFloat32> y = DepthwiseConv2d.builder().kernel(5).stride(2).build(ctx.child("dw"), x);
 * }</pre>
 *
 * <p>Parameter: {@code kernel} {@code [k, k, C, 1]}.
 */
public final class DepthwiseConv2d {

  private DepthwiseConv2d() {}

  /** Starts a depthwise convolution (kernel 3, stride 1). */
  public static Builder builder() {
    return new Builder();
  }

  /** Convolves every channel of {@code x} with its own filter of {@code kernel} ({@code [k, k, C, 1]}). */
  public static Operand<TFloat32> apply(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int stride, int padding, int dilation) {
    if (stride < 1 || dilation < 1 || padding < 0) {
      throw new IllegalArgumentException(
          "depthwise conv needs stride >= 1, dilation >= 1 and padding >= 0, got stride=" + stride + ", dilation="
              + dilation + ", padding=" + padding);
    }
    Operand<TFloat32> in = padding == 0 ? x : Conv2d.pad(tf, x, padding);
    return tf.nn.depthwiseConv2dNative(
        in,
        kernel,
        List.of(1L, (long) stride, (long) stride, 1L),
        "VALID",
        org.tensorflow.op.nn.DepthwiseConv2dNative.dilations(List.of(1L, (long) dilation, (long) dilation, 1L)));
  }

  /** Settings of one depthwise convolution. */
  public static final class Builder {
    private int kernel = 3;
    private int stride = 1;
    private Integer padding;
    private int dilation = 1;
    private Initializer initializer;

    private Builder() {}

    public Builder kernel(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("kernel size must be >= 1, got " + k);
      }
      this.kernel = k;
      return this;
    }

    public Builder stride(int s) {
      if (s < 1) {
        throw new IllegalArgumentException("stride must be >= 1, got " + s);
      }
      this.stride = s;
      return this;
    }

    /** Symmetric zero padding (default {@code dilation·(k − 1)/2}). */
    public Builder padding(int p) {
      if (p < 0) {
        throw new IllegalArgumentException("padding must be >= 0, got " + p);
      }
      this.padding = p;
      return this;
    }

    public Builder dilation(int d) {
      if (d < 1) {
        throw new IllegalArgumentException("dilation must be >= 1, got " + d);
      }
      this.dilation = d;
      return this;
    }

    public Builder initializer(Initializer i) {
      this.initializer = i;
      return this;
    }

    /** Creates (or reuses) the kernel under {@code ctx} and convolves {@code x}. */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x) {
      Shape s = x.shape();
      if (s.isUnknown() || s.numDimensions() != 4 || s.get(3) < 0) {
        throw new IllegalArgumentException(
            "depthwise conv " + ctx.path() + " needs an NHWC input with known channels, got shape " + s);
      }
      int c = (int) s.get(3);
      Initializer init = initializer != null ? initializer : Initializer.heNormalFanOut((long) c * kernel * kernel);
      Parameter k = ctx.parameter("kernel", Parameter.Role.WEIGHT, Shape.of(kernel, kernel, c, 1), init);
      int pad = padding != null ? padding : dilation * (kernel - 1) / 2;
      return apply(ctx.tf(), x, k.variable(), stride, pad, dilation);
    }
  }
}
