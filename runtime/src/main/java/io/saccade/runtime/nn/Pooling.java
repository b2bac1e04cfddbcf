package io.saccade.runtime.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Pooling over NHWC frames with PyTorch semantics: square windows, symmetric padding, floor output size
 * {@code floor((in + 2·padding − k) / stride) + 1}. Sizes in pixels.
 *
 * <pre>{@code
 * Operand<TFloat32> y = Pooling.maxPool(tf, x, 3, 2, 1);               // ResNet stem: 112 → 56
 * Operand<TFloat32> s = Pooling.avgPool(tf, x, 3, 2, 1, true);         // AFNet strided shortcut
 * Operand<TFloat32> v = Pooling.globalAvgPool(tf, x);                  // [M, C]
 * }</pre>
 */
public final class Pooling {

  private Pooling() {}

  /**
   * Max pooling; padded pixels count as −∞ (never chosen), as in PyTorch's {@code MaxPool2d}.
   *
   * @param padding pixels per side, {@code 0 <= padding <= k/2} (PyTorch's limit)
   */
  public static Operand<TFloat32> maxPool(Ops tf, Operand<TFloat32> x, int k, int stride, int padding) {
    check("maxPool", x, k, stride, padding);
    Operand<TFloat32> input = x;
    String mode = "VALID";
    if (padding > 0) {
      if (Windows.sameIsSymmetric(stride, k, padding)) {
        mode = "SAME"; // TF's SAME max pool ignores padding, like −∞ padding
      } else {
        input = Windows.padSpatial(tf, x, padding, Float.NEGATIVE_INFINITY);
      }
    }
    return tf.nn.maxPool(input, tf.constant(new int[] {1, k, k, 1}), tf.constant(new int[] {1, stride, stride, 1}), mode);
  }

  /**
   * Average pooling.
   *
   * @param padding zero pixels per side, {@code 0 <= padding <= k/2}
   * @param countIncludePad PyTorch's {@code count_include_pad} (its default is true): divide by
   *     {@code k·k} including padded zeros; when false, divide by the number of real pixels in the window
   *     (needs static height and width when padding is used with a stride above 1)
   */
  public static Operand<TFloat32> avgPool(
      Ops tf, Operand<TFloat32> x, int k, int stride, int padding, boolean countIncludePad) {
    check("avgPool", x, k, stride, padding);
    if (padding == 0) {
      return tf.nn.avgPool(x, Windows.hw(k), Windows.hw(stride), "VALID");
    }
    if (!countIncludePad && Windows.sameIsSymmetric(stride, k, padding)) {
      return tf.nn.avgPool(x, Windows.hw(k), Windows.hw(stride), "SAME"); // TF's SAME excludes padding
    }
    Operand<TFloat32> pooled =
        tf.nn.avgPool(Windows.padSpatial(tf, x, padding, 0f), Windows.hw(k), Windows.hw(stride), "VALID");
    if (countIncludePad) {
      return pooled;
    }
    long h = x.shape().size(1);
    long w = x.shape().size(2);
    if (h < 0 || w < 0) {
      throw new IllegalArgumentException(
          "avgPool with countIncludePad=false and padding " + padding + " needs static height and width, got " + x.shape());
    }
    float[] rows = realCounts((int) h, k, stride, padding);
    float[] cols = realCounts((int) w, k, stride, padding);
    float[] scale = new float[rows.length * cols.length];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < cols.length; j++) {
        scale[i * cols.length + j] = (float) k * k / (rows[i] * cols[j]);
      }
    }
    return tf.math.mul(pooled, tf.constant(Shape.of(1, rows.length, cols.length, 1), DataBuffers.of(scale)));
  }

  /** Mean over height and width: {@code [M, H, W, C]} → {@code [M, C]}. */
  public static Operand<TFloat32> globalAvgPool(Ops tf, Operand<TFloat32> x) {
    return globalAvgPool(tf, x, false);
  }

  /** Mean over height and width: {@code [M, H, W, C]} → {@code [M, C]}, or {@code [M, 1, 1, C]} with keepDims. */
  public static Operand<TFloat32> globalAvgPool(Ops tf, Operand<TFloat32> x, boolean keepDims) {
    Windows.rank("globalAvgPool", x, 4, "[M, H, W, C]");
    return tf.math.mean(x, tf.constant(new int[] {1, 2}), Mean.keepDims(keepDims));
  }

  private static void check(String layer, Operand<TFloat32> x, int k, int stride, int padding) {
    Windows.atLeast(layer + " kernel", k, 1);
    Windows.atLeast(layer + " stride", stride, 1);
    Windows.atLeast(layer + " padding", padding, 0);
    if (padding > k / 2) {
      throw new IllegalArgumentException(
          layer + " padding must be <= kernel/2 = " + (k / 2) + " (PyTorch's limit), got " + padding);
    }
    Windows.rank(layer, x, 4, "[M, H, W, C]");
    Windows.fits(layer, x, k, padding);
  }

  /** Number of real (unpadded) pixels under each output window along one axis. */
  private static float[] realCounts(int in, int k, int stride, int padding) {
    int out = (in + 2 * padding - k) / stride + 1;
    float[] counts = new float[out];
    for (int o = 0; o < out; o++) {
      int start = o * stride - padding;
      counts[o] = Math.min(start + k, in) - Math.max(start, 0);
    }
    return counts;
  }
}
