package io.saccade.runtime.adaptive;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The temporal shift module of TSM (Lin et al., ICCV 2019): moves a fraction of the channels one frame
 * back and another fraction one frame forward in time, at zero FLOPs, so a 2-D CNN sees its neighbours.
 *
 * <p>Frames are folded into the batch dimension, {@code [N·T, H, W, C]}, clip-major (frame {@code t} of
 * clip {@code n} is row {@code n·T + t}). With {@code fold = C / foldDiv}, exactly like the official
 * {@code shift(x, n_segment, fold_div)}:
 * <ul>
 *   <li>channels {@code [0, fold)}: frame {@code t} takes frame {@code t+1}'s values, the last frame gets zeros;
 *   <li>channels {@code [fold, 2·fold)}: frame {@code t} takes frame {@code t−1}'s values, the first frame
 *       gets zeros (this group is cut at {@code C}, so with {@code foldDiv = 1} it is empty);
 *   <li>all other channels are unchanged.
 * </ul>
 * Values never cross from one clip into the next. Built from reshape, slice, pad and concat, so the
 * gradient is the inverse shift.
 *
 * <pre>{@code
 * // 2 clips of 8 frames at 56×56×64: channels 0-7 come from the next frame, 8-15 from the previous one
 * Operand<TFloat32> y = TemporalShift.apply(tf, x, 8);   // x: [16, 56, 56, 64] → y: [16, 56, 56, 64]
 * }</pre>
 */
public final class TemporalShift {

  /** The official TSM default: 1/8 of the channels shift each way. */
  public static final int DEFAULT_FOLD_DIV = 8;

  private TemporalShift() {}

  /** {@link #apply(Ops, Operand, int, int)} with {@code foldDiv = 8}. */
  public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int frames) {
    return apply(tf, x, frames, DEFAULT_FOLD_DIV);
  }

  /**
   * Shifts {@code C / foldDiv} channels one frame back and as many one frame forward.
   *
   * @param x {@code [N·T, H, W, C]} with a static channel count {@code C >= foldDiv}
   * @param frames {@code T}, frames per clip, {@code >= 1}; a static batch must be a multiple of it
   * @param foldDiv {@code >= 1}; the fraction {@code 1/foldDiv} of the channels shifted in each direction
   * @return the shifted tensor, the same shape as {@code x}
   * @throws IllegalArgumentException for a bad rank, an unknown channel count, {@code frames < 1},
   *     {@code foldDiv < 1}, {@code C < foldDiv} (nothing would shift), or a static batch that is not a
   *     multiple of {@code frames}
   */
  public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, int frames, int foldDiv) {
    Objects.requireNonNull(tf, "tf");
    Objects.requireNonNull(x, "x");
    if (frames < 1) {
      throw new IllegalArgumentException("temporal shift needs frames >= 1, got " + frames);
    }
    if (foldDiv < 1) {
      throw new IllegalArgumentException("temporal shift needs foldDiv >= 1, got " + foldDiv);
    }
    Shape s = x.shape();
    if (s.isUnknown() || s.numDimensions() != 4) {
      throw new IllegalArgumentException("temporal shift needs x of rank 4 [N·T, H, W, C], got shape " + s);
    }
    long c = s.get(3);
    if (c == Shape.UNKNOWN_SIZE) {
      throw new IllegalArgumentException("temporal shift needs a static channel count, got shape " + s);
    }
    if (c < foldDiv) {
      throw new IllegalArgumentException(
          "temporal shift needs channels >= foldDiv so that fold = C / foldDiv >= 1, got C = " + c
              + " and foldDiv = " + foldDiv);
    }
    long batch = s.get(0);
    if (batch != Shape.UNKNOWN_SIZE && batch % frames != 0) {
      throw new IllegalArgumentException(
          "temporal shift needs the batch (N·T) to be a multiple of frames = " + frames + ", got batch " + batch);
    }
    int fold = (int) c / foldDiv;
    int backEnd = (int) Math.min(2L * fold, c); // the official slice fold:2*fold is cut at C

    // [N·T, H, W, C] → [N, T, H, W, C]: shifting along axis 1 cannot cross clips.
    Operand<TFloat32> clips = tf.reshape(x, clipShape(tf, x, frames));
    List<Operand<TFloat32>> parts = new ArrayList<>(3);
    parts.add(shiftedChannels(tf, clips, 0, fold, frames, true));
    if (backEnd > fold) {
      parts.add(shiftedChannels(tf, clips, fold, backEnd - fold, frames, false));
    }
    if (c > backEnd) {
      parts.add(channels(tf, clips, backEnd, (int) c - backEnd));
    }
    Operand<TFloat32> shifted = parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(4));
    return tf.reshape(shifted, foldedShape(tf, x));
  }

  /**
   * Channels {@code [from, from + count)} shifted one frame: {@code towardsPast} means frame t reads
   * frame t+1 (the first group), otherwise frame t reads frame t−1; the vacated frame is zero.
   */
  private static Operand<TFloat32> shiftedChannels(
      Ops tf, Operand<TFloat32> clips, int from, int count, int frames, boolean towardsPast) {
    Operand<TFloat32> group = channels(tf, clips, from, count);
    if (frames == 1) {
      return tf.zerosLike(group); // the only frame has no neighbour on either side
    }
    // Keep T−1 frames (dropping the first or the last), then pad a zero frame on the other side.
    Operand<TFloat32> kept =
        tf.slice(
            group,
            tf.constant(new int[] {0, towardsPast ? 1 : 0, 0, 0, 0}),
            tf.constant(new int[] {-1, frames - 1, -1, -1, -1}));
    int[][] paddings = {{0, 0}, towardsPast ? new int[] {0, 1} : new int[] {1, 0}, {0, 0}, {0, 0}, {0, 0}};
    return tf.pad(kept, tf.constant(paddings), tf.constant(0f));
  }

  // int32 begin/size throughout: TF 2.18's C++ Slice gradient fails on int64 indices.
  private static Operand<TFloat32> channels(Ops tf, Operand<TFloat32> clips, int from, int count) {
    return tf.slice(clips, tf.constant(new int[] {0, 0, 0, 0, from}), tf.constant(new int[] {-1, -1, -1, -1, count}));
  }

  /** {@code [-1, T, H, W, C]}, static where x's shape is static so downstream shapes stay known. */
  private static Operand<TInt32> clipShape(Ops tf, Operand<TFloat32> x, int frames) {
    Shape s = x.shape();
    if (s.get(1) != Shape.UNKNOWN_SIZE && s.get(2) != Shape.UNKNOWN_SIZE) {
      return tf.constant(new int[] {-1, frames, (int) s.get(1), (int) s.get(2), (int) s.get(3)});
    }
    Operand<TInt32> dims = tf.shape(x);
    return tf.concat(
        List.<Operand<TInt32>>of(
            tf.constant(new int[] {-1, frames}),
            tf.slice(dims, tf.constant(new int[] {1}), tf.constant(new int[] {3}))),
        tf.constant(0));
  }

  private static Operand<TInt32> foldedShape(Ops tf, Operand<TFloat32> x) {
    Shape s = x.shape();
    if (s.get(1) != Shape.UNKNOWN_SIZE && s.get(2) != Shape.UNKNOWN_SIZE) {
      return tf.constant(new int[] {-1, (int) s.get(1), (int) s.get(2), (int) s.get(3)});
    }
    return tf.shape(x);
  }
}
