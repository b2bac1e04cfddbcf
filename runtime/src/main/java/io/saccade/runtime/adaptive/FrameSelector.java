package io.saccade.runtime.adaptive;

import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Runs a sub-graph only on the frames a binary mask selects: gather the selected rows into a smaller
 * batch, compute, scatter the results back. This is where adaptive networks really save compute; a
 * mask multiplication computes every frame and saves nothing.
 *
 * <p>The batch given to the sub-graph is never empty (Conv2D on an empty batch returns a wrongly shaped
 * result with oneDNN): when no row is selected, row 0 is computed as a dummy and discarded.
 *
 * <pre>{@code
 * FrameSelector.Selected s = FrameSelector.gathered(tf, x, mask, rows -> block(rows), fZero);
 * Operand<TFloat32> y = s.output();             // [M, H', W', C']
 * Operand<TInt32> computed = s.computedFrames(); // rows the block really ran on
 * }</pre>
 */
public final class FrameSelector {

  private FrameSelector() {}

  /**
   * What {@link #gathered} returns.
   *
   * @param output {@code [M, …]}: the sub-graph's result on selected rows, {@code skippedValue} elsewhere
   * @param computedFrames scalar: rows the sub-graph ran on (the selected count, at least 1)
   */
  public record Selected(Operand<TFloat32> output, Operand<TInt32> computedFrames) {}

  /**
   * Gather → compute → scatter.
   *
   * @param x {@code [M, …]} rows (frames)
   * @param mask {@code [M]}, 1 where a row is computed, 0 where it is skipped
   * @param subgraph the computation; must map {@code [k, …]} to {@code [k, …']} row by row with a static
   *     row shape
   * @param skippedValue {@code [1, …']} given to every skipped row, or null for zeros
   */
  public static Selected gathered(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> mask,
      Function<Operand<TFloat32>, Operand<TFloat32>> subgraph,
      Operand<TFloat32> skippedValue) {
    if (mask.shape().numDimensions() != 1) {
      throw new IllegalArgumentException("frame mask must be [M], got shape " + mask.shape());
    }
    Operand<TBool> keep = tf.math.greater(mask, tf.constant(0.5f));
    Operand<TInt64> selected = tf.where(keep); // [k, 1]
    Operand<TInt32> k = tf.reshape(tf.slice(tf.shape(selected), tf.constant(new int[] {0}), tf.constant(new int[] {1})), tf.constant(new int[0]));
    Operand<TInt32> n = tf.math.maximum(k, tf.constant(1));
    // Row 0 stands in when nothing is selected; it is discarded below by the mask.
    Operand<TInt64> padded = tf.concat(List.of(selected, tf.constant(new long[][] {{0L}})), tf.constant(0));
    Operand<TInt64> indices =
        tf.slice(padded, tf.constant(new int[] {0, 0}), tf.stack(List.of(n, tf.constant(1))));
    Operand<TFloat32> rows = tf.gatherNd(x, indices);
    Operand<TFloat32> computed = subgraph.apply(rows);
    Shape rowShape = computed.shape();
    long[] target = rowShape.asArray();
    for (int i = 1; i < target.length; i++) {
      if (target[i] < 0) {
        throw new IllegalArgumentException("frame-selected sub-graph must give a static row shape, got " + rowShape);
      }
    }
    Operand<TInt64> outShape =
        tf.concat(
            List.of(
                tf.slice(tf.shape(x, TInt64.class), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
                tf.constant(java.util.Arrays.copyOfRange(target, 1, target.length))),
            tf.constant(0));
    Operand<TFloat32> scattered = tf.scatterNd(indices, computed, outShape);
    target[0] = -1;
    scattered = tf.reshape(scattered, tf.constant(target));
    long[] maskShape = new long[target.length];
    java.util.Arrays.fill(maskShape, 1);
    maskShape[0] = -1;
    Operand<TFloat32> m = tf.reshape(mask, tf.constant(maskShape));
    Operand<TFloat32> out = tf.math.mul(scattered, m);
    if (skippedValue != null) {
      out = tf.math.add(out, tf.math.mul(tf.math.sub(tf.constant(1f), m), skippedValue));
    }
    return new Selected(out, n);
  }

  /**
   * The dense reference: {@code subgraph(x · mask)} on every row (what the official AFNet computes). Use
   * it where the mask's own gradient is needed in training.
   */
  public static Operand<TFloat32> masked(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> mask, Function<Operand<TFloat32>, Operand<TFloat32>> subgraph) {
    long[] maskShape = new long[x.shape().numDimensions()];
    java.util.Arrays.fill(maskShape, 1);
    maskShape[0] = -1;
    return subgraph.apply(tf.math.mul(x, tf.reshape(mask, tf.constant(maskShape))));
  }
}
