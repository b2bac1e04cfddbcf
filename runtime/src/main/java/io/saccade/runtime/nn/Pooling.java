package io.saccade.runtime.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Pooling on NHWC frames, with PyTorch's padding semantics.
 *
 * <pre>{@code
 * Operand<TFloat32> y = Pooling.maxPool(tf, x, 3, 2, 1);            // ResNet stem
 * Operand<TFloat32> r = Pooling.avgPool(tf, x, 3, 2, 1, true);      // AFNet shortcut, padding counted
 * Operand<TFloat32> v = Pooling.globalAvgPool(tf, x);               // [M, C]
 * }</pre>
 */
public final class Pooling {

  private Pooling() {}

  /** Max pooling with {@code padding} on every side acting as −∞ (PyTorch's {@code MaxPool2d}). */
  public static Operand<TFloat32> maxPool(Ops tf, Operand<TFloat32> x, int kernel, int stride, int padding) {
    check(kernel, stride, padding);
    Operand<TFloat32> in =
        padding == 0
            ? x
            : tf.pad(
                x,
                tf.constant(new int[][] {{0, 0}, {padding, padding}, {padding, padding}, {0, 0}}),
                tf.constant(Float.NEGATIVE_INFINITY));
    return tf.nn.maxPool(
        in, tf.constant(new int[] {1, kernel, kernel, 1}), tf.constant(new int[] {1, stride, stride, 1}), "VALID");
  }

  /**
   * Average pooling. With {@code countIncludePad} (PyTorch's default) the padded zeros count in the
   * average; without it, only real pixels do.
   */
  public static Operand<TFloat32> avgPool(
      Ops tf, Operand<TFloat32> x, int kernel, int stride, int padding, boolean countIncludePad) {
    check(kernel, stride, padding);
    List<Long> ksize = List.of(1L, (long) kernel, (long) kernel, 1L);
    List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
    if (padding == 0) {
      return tf.nn.avgPool(x, ksize, strides, "VALID");
    }
    Operand<TFloat32> padded = Conv2d.pad(tf, x, padding);
    Operand<TFloat32> sum = tf.math.mul(tf.nn.avgPool(padded, ksize, strides, "VALID"), tf.constant((float) kernel * kernel));
    if (countIncludePad) {
      return tf.math.div(sum, tf.constant((float) kernel * kernel));
    }
    // Count the real pixels under each window by pooling a padded map of ones of one frame's size.
    long[] shape = x.shape().asArray();
    if (shape[1] < 0 || shape[2] < 0) {
      throw new IllegalArgumentException("avgPool without counted padding needs static H and W, got " + x.shape());
    }
    Operand<TFloat32> ones = tf.ones(tf.constant(new long[] {1, shape[1], shape[2], 1}), TFloat32.class);
    Operand<TFloat32> count =
        tf.math.mul(tf.nn.avgPool(Conv2d.pad(tf, ones, padding), ksize, strides, "VALID"), tf.constant((float) kernel * kernel));
    return tf.math.div(sum, count);
  }

  /** Mean over H and W: {@code [M, H, W, C]} → {@code [M, C]}. */
  public static Operand<TFloat32> globalAvgPool(Ops tf, Operand<TFloat32> x) {
    if (x.shape().numDimensions() != 4) {
      throw new IllegalArgumentException("global average pooling needs [M, H, W, C], got shape " + x.shape());
    }
    return tf.math.mean(x, tf.constant(new int[] {1, 2}));
  }

  /** Mean over H and W keeping them: {@code [M, H, W, C]} → {@code [M, 1, 1, C]}. */
  public static Operand<TFloat32> globalAvgPoolKeepDims(Ops tf, Operand<TFloat32> x) {
    if (x.shape().numDimensions() != 4) {
      throw new IllegalArgumentException("global average pooling needs [M, H, W, C], got shape " + x.shape());
    }
    return tf.math.mean(x, tf.constant(new int[] {1, 2}), org.tensorflow.op.math.Mean.keepDims(true));
  }

  private static void check(int kernel, int stride, int padding) {
    if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2) {
      throw new IllegalArgumentException(
          "pooling needs kernel >= 1, stride >= 1 and 0 <= padding <= kernel/2, got kernel=" + kernel + ", stride="
              + stride + ", padding=" + padding);
    }
  }
}
