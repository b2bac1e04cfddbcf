package io.saccade.runtime.nn;

import java.util.Objects;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A 2-D convolution over NHWC frames with PyTorch semantics: symmetric zero padding, dilation and
 * groups, kernel stored HWIO {@code [k, k, Cin/groups, Cout]}.
 *
 * <p>TensorFlow's "SAME" pads asymmetrically when the stride is 2 (one pixel at the bottom/right only),
 * which shifts every window against PyTorch's {@code padding=1}; this class pads symmetrically, so a
 * weight imported from PyTorch gives the same output. Groups are TensorFlow's native grouped Conv2D
 * (input channels = groups × kernel in-channels).
 *
 * <pre>{@code
 * // conv 3×3 / 2, 64 → 128 channels, 2 groups, no bias; parameter "stage1/conv2/kernel" [3, 3, 32, 128]
 * Operand<TFloat32> y = Conv2d.builder(128).kernel(3).stride(2).groups(2).build(ctx.child("conv2"), x);
 * }</pre>
 *
 * <p>Sizes are in pixels; output size per axis is {@code floor((in + 2·padding − dilation·(k−1) − 1) / stride) + 1}
 * ({@link #outputSize}).
 */
public final class Conv2d {

  private Conv2d() {}

  /** A layer with {@code outChannels} output channels (kernel 1, stride 1, groups 1, no bias until set). */
  public static Builder builder(int outChannels) {
    return new Builder(Windows.atLeast("Conv2d output channels", outChannels, 1));
  }

  /**
   * The convolution itself: {@code x} {@code [M, H, W, Cin]} with {@code kernel} {@code [kh, kw, Cin/groups, Cout]}
   * gives {@code [M, H', W', Cout]}; groups = {@code Cin / kernel in-channels}.
   *
   * @param stride step in pixels, {@code >= 1}
   * @param padding zero pixels added on every side of height and width, {@code >= 0}
   * @param dilation spacing of kernel taps in pixels, {@code >= 1}
   * @throws IllegalArgumentException for a bad stride, padding or dilation, a kernel that is not rank 4
   *     with a static shape, input channels that are not a multiple of the kernel's in-channels, output
   *     channels not divisible by the groups, or a window larger than the padded input
   */
  public static Operand<TFloat32> apply(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int stride, int padding, int dilation) {
    return apply(tf, x, kernel, stride, padding, dilation, false);
  }

  /**
   * {@link #apply} with, when {@code explicitPadding}, asymmetric-SAME padding done by the convolution itself
   * ({@code EXPLICIT}) instead of a {@code PadV2} copy of the input: for inference only, as TensorFlow's
   * Conv2D gradient ignores explicit paddings.
   */
  static Operand<TFloat32> apply(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, int stride, int padding, int dilation, boolean explicitPadding) {
    Windows.atLeast("Conv2d stride", stride, 1);
    Windows.atLeast("Conv2d padding", padding, 0);
    Windows.atLeast("Conv2d dilation", dilation, 1);
    Windows.rank("Conv2d", x, 4, "[M, H, W, C]");
    Shape ks = staticKernel("Conv2d", kernel);
    long kernelIn = ks.size(2);
    long out = ks.size(3);
    long in = x.shape().size(3);
    if (in >= 0) {
      if (in % kernelIn != 0) {
        throw new IllegalArgumentException(
            "Conv2d input channels (" + in + ") must be a multiple of the kernel's input channels (" + kernelIn + ")");
      }
      long groups = in / kernelIn;
      if (out % groups != 0) {
        throw new IllegalArgumentException(
            "Conv2d groups (" + groups + " = " + in + " input / " + kernelIn + " kernel channels) must divide the output channels ("
                + out + ")");
      }
    }
    return slide(tf, x, kernel, ks, stride, padding, dilation, false, explicitPadding);
  }

  /** PyTorch's output size along one axis: {@code floor((in + 2p − d·(k−1) − 1) / s) + 1}. */
  public static int outputSize(int inputSize, int kernel, int stride, int padding, int dilation) {
    Windows.atLeast("input size", inputSize, 1);
    Windows.atLeast("kernel", kernel, 1);
    Windows.atLeast("stride", stride, 1);
    Windows.atLeast("padding", padding, 0);
    Windows.atLeast("dilation", dilation, 1);
    int span = inputSize + 2 * padding - dilation * (kernel - 1) - 1;
    if (span < 0) {
      throw new IllegalArgumentException(
          "window of " + (dilation * (kernel - 1) + 1) + " pixels exceeds the padded input of "
              + (inputSize + 2 * padding) + " pixels");
    }
    return span / stride + 1;
  }

  /** Shared by Conv2d and DepthwiseConv2d: dilation by an explicit zero-spaced kernel, then symmetric padding. */
  static Operand<TFloat32> slide(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> kernel,
      Shape ks,
      int stride,
      int padding,
      int dilation,
      boolean depthwise,
      boolean explicitPadding) {
    String layer = depthwise ? "DepthwiseConv2d" : "Conv2d";
    int extentH = dilation * ((int) ks.size(0) - 1) + 1;
    int extentW = dilation * ((int) ks.size(1) - 1) + 1;
    Windows.fits(layer, x, Math.max(extentH, extentW), padding);
    // TF's own dilated Conv2D/Depthwise gradients crash the JVM (oneDNN abort), so dilate the kernel instead.
    Operand<TFloat32> k = dilation > 1 ? dilateKernel(tf, kernel, ks, dilation) : kernel;
    Operand<TFloat32> input = x;
    String mode = "VALID";
    List<Long> explicit = null;
    if (padding > 0) {
      if (Windows.sameIsSymmetric(stride, extentH, padding) && Windows.sameIsSymmetric(stride, extentW, padding)) {
        mode = "SAME"; // identical to symmetric padding here, and saves a copy of the input
      } else if (!explicitPadding) {
        input = Windows.padSpatial(tf, x, padding, 0f);
      } else {
        // The convolution pads as it reads (oneDNN), instead of a PadV2 copy of the whole input first.
        mode = "EXPLICIT";
        long p = padding;
        explicit = List.of(0L, 0L, p, p, p, p, 0L, 0L);
      }
    }
    if (depthwise) {
      return explicit == null
          ? tf.nn.depthwiseConv2dNative(input, k, Windows.hw(stride), mode)
          : tf.nn.depthwiseConv2dNative(input, k, Windows.hw(stride), mode, DepthwiseConv2dNative.explicitPaddings(explicit));
    }
    return explicit == null
        ? tf.nn.conv2d(input, k, Windows.hw(stride), mode)
        : tf.nn.conv2d(input, k, Windows.hw(stride), mode, org.tensorflow.op.nn.Conv2d.explicitPaddings(explicit));
  }

  /** {@code [kh, kw, I, O]} → {@code [d(kh−1)+1, d(kw−1)+1, I, O]} with d−1 zeros between taps. */
  static Operand<TFloat32> dilateKernel(Ops tf, Operand<TFloat32> kernel, Shape ks, int d) {
    int kh = (int) ks.size(0);
    int kw = (int) ks.size(1);
    int i = (int) ks.size(2);
    int o = (int) ks.size(3);
    // int32 indices throughout: the C++ gradients of Pad and Slice fail on int64 ones.
    Operand<TFloat32> spaced = tf.reshape(kernel, tf.constant(new int[] {kh, 1, kw, 1, i, o}));
    spaced =
        tf.pad(
            spaced,
            tf.constant(new int[][] {{0, 0}, {0, d - 1}, {0, 0}, {0, d - 1}, {0, 0}, {0, 0}}),
            tf.constant(0f));
    spaced = tf.reshape(spaced, tf.constant(new int[] {kh * d, kw * d, i, o}));
    return tf.slice(
        spaced, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {d * (kh - 1) + 1, d * (kw - 1) + 1, i, o}));
  }

  static Shape staticKernel(String layer, Operand<TFloat32> kernel) {
    Shape ks = kernel.shape();
    if (ks.isUnknown() || ks.numDimensions() != 4 || ks.hasUnknownDimension()) {
      throw new IllegalArgumentException(layer + " needs a rank-4 HWIO kernel of static shape, got " + ks);
    }
    for (long d : ks.asArray()) {
      if (d < 1) {
        throw new IllegalArgumentException(layer + " kernel dimensions must be >= 1, got " + ks);
      }
    }
    return ks;
  }

  /**
   * Configures and builds a {@link Conv2d} layer; parameters {@code kernel} (HWIO, {@link Parameter.Role#WEIGHT})
   * and, with {@link #bias(boolean) bias(true)}, {@code bias} ({@link Parameter.Role#BIAS}) under the context's path.
   */
  public static final class Builder {
    private final int outChannels;
    private int kernel = 1;
    private int stride = 1;
    private int padding = -1;
    private int dilation = 1;
    private int groups = 1;
    private boolean bias;
    private Initializer initializer;
    private Initializer biasInitializer = Initializer.zeros();

    private Builder(int outChannels) {
      this.outChannels = outChannels;
    }

    /** Square kernel size in pixels (default 1). */
    public Builder kernel(int k) {
      this.kernel = Windows.atLeast("Conv2d kernel", k, 1);
      return this;
    }

    /** Stride in pixels (default 1). */
    public Builder stride(int s) {
      this.stride = Windows.atLeast("Conv2d stride", s, 1);
      return this;
    }

    /** Zero pixels on each side (default {@code dilation·(kernel−1)/2}, which keeps the size at stride 1). */
    public Builder padding(int p) {
      this.padding = Windows.atLeast("Conv2d padding", p, 0);
      return this;
    }

    /** Spacing of kernel taps in pixels (default 1). */
    public Builder dilation(int d) {
      this.dilation = Windows.atLeast("Conv2d dilation", d, 1);
      return this;
    }

    /** Number of channel groups; must divide both input and output channels (default 1). */
    public Builder groups(int g) {
      this.groups = Windows.atLeast("Conv2d groups", g, 1);
      return this;
    }

    /** Whether to add a bias (default false: convs followed by batch norm need none). */
    public Builder bias(boolean b) {
      this.bias = b;
      return this;
    }

    /**
     * Kernel initializer (default He normal, fan-out, as PyTorch's {@code kaiming_normal_(mode="fan_out")}
     * computes it: {@code std = sqrt(2 / (k·k·outChannels))}).
     */
    public Builder initializer(Initializer init) {
      this.initializer = Objects.requireNonNull(init, "initializer");
      return this;
    }

    /** Bias initializer (default zeros, as torchvision initialises conv biases). */
    public Builder biasInitializer(Initializer init) {
      this.biasInitializer = Objects.requireNonNull(init, "biasInitializer");
      return this;
    }

    /** Builds the layer on {@code x} {@code [M, H, W, Cin]}, giving {@code [M, H', W', outChannels]}. */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x) {
      Windows.rank("Conv2d", x, 4, "[M, H, W, C]");
      long in = Windows.channels("Conv2d", x);
      if (in % groups != 0) {
        throw new IllegalArgumentException("Conv2d groups (" + groups + ") must divide the input channels (" + in + ")");
      }
      if (outChannels % groups != 0) {
        throw new IllegalArgumentException(
            "Conv2d groups (" + groups + ") must divide the output channels (" + outChannels + ")");
      }
      int p = padding >= 0 ? padding : dilation * (kernel - 1) / 2;
      Windows.fits("Conv2d", x, dilation * (kernel - 1) + 1, p);
      Initializer init =
          initializer != null ? initializer : Initializer.heNormalFanOut((long) kernel * kernel * outChannels);
      Parameter k =
          ctx.parameter("kernel", Parameter.Role.WEIGHT, Shape.of(kernel, kernel, in / groups, outChannels), init);
      Operand<TFloat32> y = apply(ctx.tf(), x, k.variable(), stride, p, dilation, !ctx.training());
      if (bias) {
        Parameter b = ctx.parameter("bias", Parameter.Role.BIAS, Shape.of(outChannels), biasInitializer);
        y = ctx.tf().nn.biasAdd(y, b.variable());
      }
      return y;
    }
  }
}
