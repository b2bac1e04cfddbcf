package io.saccade.runtime.adaptive;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The temporal shift of TSM (Lin et al., ICCV 2019): part of the channels of every frame are
 * exchanged with its neighbours in the clip, for free temporal modelling inside a 2-D CNN.
 *
 * <p>For frames folded into the batch ({@code [N·T, H, W, C]}) and {@code fold = C / foldDiv}:
 * channels {@code [0, fold)} of frame t take frame t+1's values (the last frame gets zeros), channels
 * {@code [fold, 2·fold)} take frame t−1's (the first frame gets zeros), the rest stay. Shifts never
 * cross from one clip into the next. This is the official TSM direction, which AFNet uses.
 *
 * <pre>{@code
 * Operand<TFloat32> y = TemporalShift.apply(tf, x, 8);   // T = 8 frames per clip, 1/8 shifted each way
 * }</pre>
 */
public final class TemporalShift {

  /** The official fold divisor: 1/8 of the channels each way. */
  public static final int DEFAULT_FOLD_DIV = 8;

  private TemporalShift() {}

  /** Shift with the default 1/8 fold. */
  public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int frames) {
    return apply(tf, x, frames, DEFAULT_FOLD_DIV);
  }

  /**
   * Shifts {@code x} ({@code [N·T, H, W, C]}, H, W, C static) along time.
   *
   * @param frames frames per clip T ≥ 1
   * @param foldDiv 1/foldDiv of the channels move each way; C must be at least foldDiv
   */
  public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int frames, int foldDiv) {
    Shape s = x.shape();
    if (s.isUnknown() || s.numDimensions() != 4 || s.get(1) < 0 || s.get(2) < 0 || s.get(3) < 0) {
      throw new IllegalArgumentException("temporal shift needs [N·T, H, W, C] with static H, W, C, got " + s);
    }
    if (frames < 1) {
      throw new IllegalArgumentException("temporal shift needs frames >= 1, got " + frames);
    }
    if (foldDiv < 1 || s.get(3) < foldDiv) {
      throw new IllegalArgumentException(
          "temporal shift fold divisor " + foldDiv + " must be >= 1 and <= the channels (" + s.get(3) + ")");
    }
    if (s.get(0) >= 0 && s.get(0) % frames != 0) {
      throw new IllegalArgumentException(
          "temporal shift: batch of " + s.get(0) + " frames is not a multiple of " + frames + " frames per clip");
    }
    long h = s.get(1);
    long w = s.get(2);
    long c = s.get(3);
    long fold = c / foldDiv;
    Operand<TFloat32> clips = tf.reshape(x, tf.constant(new long[] {-1, frames, h, w, c}));
    Operand<TFloat32> fromNext =
        tf.pad(
            tf.stridedSlice(clips, Indices.all(), Indices.sliceFrom(1), Indices.all(), Indices.all(), Indices.slice(0, fold)),
            tf.constant(new int[][] {{0, 0}, {0, 1}, {0, 0}, {0, 0}, {0, 0}}),
            tf.constant(0f));
    Operand<TFloat32> fromPrevious =
        tf.pad(
            tf.stridedSlice(
                clips, Indices.all(), Indices.sliceTo(frames - 1), Indices.all(), Indices.all(), Indices.slice(fold, 2 * fold)),
            tf.constant(new int[][] {{0, 0}, {1, 0}, {0, 0}, {0, 0}, {0, 0}}),
            tf.constant(0f));
    Operand<TFloat32> rest =
        tf.stridedSlice(clips, Indices.all(), Indices.all(), Indices.all(), Indices.all(), Indices.sliceFrom(2 * fold));
    Operand<TFloat32> shifted = tf.concat(java.util.List.of(fromNext, fromPrevious, rest), tf.constant(4));
    return tf.reshape(shifted, tf.constant(new long[] {-1, h, w, c}));
  }
}
