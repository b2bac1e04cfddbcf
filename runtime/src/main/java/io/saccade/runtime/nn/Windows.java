package io.saccade.runtime.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Shared argument checks and PyTorch-style symmetric padding for the sliding-window layers. */
final class Windows {

  private Windows() {}

  static int atLeast(String what, int value, int limit) {
    if (value < limit) {
      throw new IllegalArgumentException(what + " must be >= " + limit + ", got " + value);
    }
    return value;
  }

  /** The static size of {@code x}'s last axis (channels), or an IAE naming the layer and the shape. */
  static long channels(String layer, Operand<?> x) {
    Shape s = x.shape();
    if (s.isUnknown() || s.numDimensions() < 1 || s.size(s.numDimensions() - 1) < 0) {
      throw new IllegalArgumentException(
          layer + " needs a statically known channel (last) dimension, got input shape " + s);
    }
    return s.size(s.numDimensions() - 1);
  }

  /** Throws unless {@code x} has a known rank equal to {@code rank}. */
  static void rank(String layer, Operand<?> x, int rank, String layout) {
    Shape s = x.shape();
    if (s.isUnknown() || s.numDimensions() != rank) {
      throw new IllegalArgumentException(
          layer + " needs a rank-" + rank + " input " + layout + ", got shape " + s);
    }
  }

  /**
   * Checks that a window of {@code extent} pixels fits the padded input where the height and width are
   * static (PyTorch's output size {@code floor((in + 2p - extent) / s) + 1} must be at least 1).
   */
  static void fits(String layer, Operand<?> x, int extent, int padding) {
    Shape s = x.shape();
    for (int axis = 1; axis <= 2; axis++) {
      long in = s.size(axis);
      if (in >= 0 && in + 2L * padding < extent) {
        throw new IllegalArgumentException(
            layer + " window of " + extent + " pixels exceeds the padded input of " + (in + 2L * padding)
                + " pixels (input " + in + ", padding " + padding + " per side)");
      }
    }
  }

  /**
   * True when TensorFlow's "SAME" padding equals PyTorch's symmetric padding: stride 1 and
   * {@code 2p = extent - 1}, so SAME splits its {@code extent - 1} padding evenly.
   */
  static boolean sameIsSymmetric(int stride, int extent, int padding) {
    return stride == 1 && 2 * padding == extent - 1;
  }

  /** Pads height and width by {@code padding} on each side with {@code value} (NHWC). */
  static Operand<TFloat32> padSpatial(Ops tf, Operand<TFloat32> x, int padding, float value) {
    // int32: the C++ gradients of Pad/Slice build int32 index math and fail on int64 paddings.
    Operand<TInt32> paddings =
        tf.constant(new int[][] {{0, 0}, {padding, padding}, {padding, padding}, {0, 0}});
    return tf.pad(x, paddings, tf.constant(value));
  }

  /** The four-element NHWC list {@code [1, v, v, 1]} that strides and window sizes take. */
  static List<Long> hw(int v) {
    return List.of(1L, (long) v, (long) v, 1L);
  }
}
