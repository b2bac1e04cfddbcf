package io.saccade.runtime.nn;

import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A depthwise 2-D convolution (channel multiplier 1), PyTorch's {@code Conv2d(C, C, k, groups=C)}, over
 * NHWC frames with symmetric zero padding; kernel {@code [k, k, C, 1]}.
 *
 * <pre>{@code
 * // depthwise 5×5 / 2 of MobileNetV3; parameter "block3/dw/kernel" [5, 5, 72, 1]
 * Operand<TFloat32> y = DepthwiseConv2d.builder().kernel(5).stride(2).build(ctx.child("dw"), x);
 * }</pre>
 *
 * <p>Sizes in pixels; the output size is {@link Conv2d#outputSize}.
 */
public final class DepthwiseConv2d {

  private DepthwiseConv2d() {}

  /** A layer with kernel 3, stride 1, padding {@code dilation·(k−1)/2}, no bias until set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The depthwise convolution itself: {@code x} {@code [M, H, W, C]} with {@code kernel} {@code [kh, kw, C, m]}
   * gives {@code [M, H', W', C·m]}.
   *
   * @param stride step in pixels, {@code >= 1}
   * @param padding zero pixels on every side of height and width, {@code >= 0}
   * @param dilation spacing of kernel taps in pixels, {@code >= 1}
   * @throws IllegalArgumentException for bad sizes, a kernel of non-static or non-rank-4 shape, or kernel
   *     channels different from the input's
   */
  public static Operand<TFloat32> apply(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int stride, int padding, int dilation) {
    Windows.atLeast("DepthwiseConv2d stride", stride, 1);
    Windows.atLeast("DepthwiseConv2d padding", padding, 0);
    Windows.atLeast("DepthwiseConv2d dilation", dilation, 1);
    Windows.rank("DepthwiseConv2d", x, 4, "[M, H, W, C]");
    Shape ks = Conv2d.staticKernel("DepthwiseConv2d", kernel);
    long in = x.shape().size(3);
    if (in >= 0 && in != ks.size(2)) {
      throw new IllegalArgumentException(
          "DepthwiseConv2d kernel channels (" + ks.size(2) + ") must equal the input channels (" + in + ")");
    }
    // Never explicit padding: oneDNN's fused depthwise kernel aborts the process on it (tensor_format.h CHECK).
    return Conv2d.slide(tf, x, kernel, ks, stride, padding, dilation, true, false);
  }

  /** Configures and builds a {@link DepthwiseConv2d}; parameters {@code kernel} and optionally {@code bias}. */
  public static final class Builder {
    private int kernel = 3;
    private int stride = 1;
    private int padding = -1;
    private int dilation = 1;
    private boolean bias;
    private Initializer initializer;
    private Initializer biasInitializer = Initializer.zeros();

    private Builder() {}

    /** Square kernel size in pixels (default 3). */
    public Builder kernel(int k) {
      this.kernel = Windows.atLeast("DepthwiseConv2d kernel", k, 1);
      return this;
    }

    /** Stride in pixels (default 1). */
    public Builder stride(int s) {
      this.stride = Windows.atLeast("DepthwiseConv2d stride", s, 1);
      return this;
    }

    /** Zero pixels on each side (default {@code dilation·(kernel−1)/2}). */
    public Builder padding(int p) {
      this.padding = Windows.atLeast("DepthwiseConv2d padding", p, 0);
      return this;
    }

    /** Spacing of kernel taps in pixels (default 1). */
    public Builder dilation(int d) {
      this.dilation = Windows.atLeast("DepthwiseConv2d dilation", d, 1);
      return this;
    }

    /** Whether to add a bias (default false). */
    public Builder bias(boolean b) {
      this.bias = b;
      return this;
    }

    /**
     * Kernel initializer (default He normal fan-out as PyTorch computes it for a {@code [C, 1, k, k]}
     * weight: {@code std = sqrt(2 / (k·k·C))}).
     */
    public Builder initializer(Initializer init) {
      this.initializer = Objects.requireNonNull(init, "initializer");
      return this;
    }

    /** Bias initializer (default zeros). */
    public Builder biasInitializer(Initializer init) {
      this.biasInitializer = Objects.requireNonNull(init, "biasInitializer");
      return this;
    }

    /**
     * This layer (under {@code ctx}) followed by {@code bn} (under {@code bnCtx}), the same parameters as
     * {@code bn.build(bnCtx, build(ctx, x))}. At inference the batch norm is folded: one depthwise
     * convolution with the kernel times the batch norm's scale, then a bias add — which oneDNN fuses with the
     * convolution (and a following ReLU/ReLU6) instead of running a separate batch-norm pass over the
     * activations. In training it is the plain pair.
     */
    public Operand<TFloat32> buildWithBatchNorm(BuildContext ctx, BatchNorm.Builder bn, BuildContext bnCtx, Operand<TFloat32> x) {
      if (ctx.training()) {
        return bn.build(bnCtx, build(ctx, x));
      }
      int p = checkedPadding(x);
      long c = Windows.channels("DepthwiseConv2d", x);
      Parameter k = kernel(ctx, c);
      BatchNorm.Builder.Folded f = bn.folded(bnCtx, c);
      Ops tf = ctx.tf();
      Operand<TFloat32> kernelScaled = tf.math.mul(k.variable(), tf.reshape(f.scale(), tf.constant(new int[] {1, 1, (int) c, 1})));
      Operand<TFloat32> shift = f.shift();
      if (bias) {
        Parameter b = ctx.parameter("bias", Parameter.Role.BIAS, Shape.of(c), biasInitializer);
        shift = tf.math.add(shift, tf.math.mul(b.variable(), f.scale()));
      }
      return tf.nn.biasAdd(apply(tf, x, kernelScaled, stride, p, dilation), shift);
    }

    /** Builds the layer on {@code x} {@code [M, H, W, C]}, giving {@code [M, H', W', C]}. */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x) {
      int p = checkedPadding(x);
      long c = Windows.channels("DepthwiseConv2d", x);
      Operand<TFloat32> y = apply(ctx.tf(), x, kernel(ctx, c).variable(), stride, p, dilation);
      if (bias) {
        Parameter b = ctx.parameter("bias", Parameter.Role.BIAS, Shape.of(c), biasInitializer);
        y = ctx.tf().nn.biasAdd(y, b.variable());
      }
      return y;
    }

    /** The padding of {@code x} {@code [M, H, W, C]}, after checking its rank and that the window fits. */
    private int checkedPadding(Operand<TFloat32> x) {
      Windows.rank("DepthwiseConv2d", x, 4, "[M, H, W, C]");
      int p = padding >= 0 ? padding : dilation * (kernel - 1) / 2;
      Windows.fits("DepthwiseConv2d", x, dilation * (kernel - 1) + 1, p);
      return p;
    }

    /** The {@code [k, k, C, 1]} kernel, created on first use. */
    private Parameter kernel(BuildContext ctx, long c) {
      Initializer init = initializer != null ? initializer : Initializer.heNormalFanOut((long) kernel * kernel * c);
      return ctx.parameter("kernel", Parameter.Role.WEIGHT, Shape.of(kernel, kernel, c, 1), init);
    }
  }
}
