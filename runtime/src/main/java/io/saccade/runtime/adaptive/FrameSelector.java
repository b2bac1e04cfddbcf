package io.saccade.runtime.adaptive;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.SwitchCond;
import org.tensorflow.op.math.Cumsum;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Runs a sub-graph only on the frames a per-frame binary mask selects — gather the selected rows,
 * compute, scatter back — so skipped frames really cost nothing, unlike {@link #masked}, which
 * multiplies by the mask and computes every frame.
 *
 * <p>Frames are rows of {@code x [M, H, W, C]} (M = N·T, frames folded into the batch); {@code mask [M]}
 * holds 1 for a frame to compute and 0 for one to skip (a row counts as selected when its mask value
 * is {@code > 0.5}). The sub-graph maps a batch of frames {@code [k, H, W, C]} to {@code [k, H', W', C']}
 * row by row (convolutions, pooling, batch norm in inference mode).
 *
 * <pre>{@code
 * // AFNet focal branch at inference: compute the block on the frames navigation kept
 * FrameSelector.Selected s = FrameSelector.gathered(tf, x, keep, frames -> block(frames), null);
 * Operand<TFloat32> y = s.output();                // [M, H', W', C'], zeros on skipped frames
 * Operand<TInt32> computed = s.computedFrames();   // how many frames the block really ran on
 * }</pre>
 *
 * <p><b>Never an empty batch.</b> TensorFlow's oneDNN Conv2D returns a wrongly shaped result on a batch
 * of 0 rows, so when no frame is selected the sub-graph runs on one dummy row (frame 0) whose result is
 * discarded; {@code computedFrames} then reports 1.
 *
 * <p><b>Gradients.</b> Gather (GatherV2) and scatter (ScatterNd, weighted by the mask; TensorScatterUpdate
 * has no gradient in TF Java) both differentiate, so gradients reach {@code x}, the sub-graph's
 * variables and {@code mask}. For {@code x} and the variables they equal the dense form's on the
 * selected rows. The mask gets the gradient of a gate, {@code m·f(x) + (1 − m)·skipped}: on a selected
 * row {@code ⟨dy, f(x) − skipped⟩}; on a skipped row {@code ⟨dy, −skipped⟩}, since {@code f(x)} was never
 * computed there. This differs from {@link #masked}, whose mask gradient flows through the sub-graph's
 * input.
 */
public final class FrameSelector {

  /**
   * What {@link #gathered} returns.
   *
   * @param output {@code [M, H', W', C']}: the sub-graph's rows where the mask is 1, {@code skippedValue}
   *     (or zeros) where it is 0
   * @param computedFrames scalar: how many rows the sub-graph really ran on, {@code >= 1}
   */
  public record Selected(Operand<TFloat32> output, Operand<TInt32> computedFrames) {
    public Selected {
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(computedFrames, "computedFrames");
    }
  }

  private FrameSelector() {}

  /**
   * Computes {@code subgraph} on the selected rows of {@code x} only.
   *
   * @param x {@code [M, H, W, C]}; M may be dynamic
   * @param mask {@code [M]}, 0/1 per frame
   * @param subgraph maps {@code [k, H, W, C]} to {@code [k, H', W', C']} row by row; called once
   * @param skippedValue {@code [1, H', W', C']}, the value of unselected rows, or {@code null} for zeros
   */
  public static Selected gathered(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> mask,
      Function<Operand<TFloat32>, Operand<TFloat32>> subgraph,
      Operand<TFloat32> skippedValue) {
    checkInputs(tf, x, mask, subgraph);
    Ops g = tf.withSubScope("gather");
    Rows r = atLeastOneRow(g, selectedRows(g, mask));
    Operand<TInt32> rows = r.count();
    Operand<TInt32> indices = r.indices();
    Operand<TFloat32> computed = subgraph.apply(g.gather(x, indices, g.constant(0)));
    Shape outRow = checkSubgraphOutput(computed, skippedValue);

    Ops s = tf.withSubScope("scatter");
    // Weight each computed row by its mask value: 1 on selected rows, 0 on the dummy row (k = 0).
    Operand<TFloat32> weights = s.gather(mask, indices, s.constant(0));
    Operand<TFloat32> output = scatter(s, x, mask, indices, s.math.mul(computed, column(s, weights)), outRow, skippedValue);
    return new Selected(output, rows);
  }

  /**
   * The inference form of {@link #gathered}, built for speed; no gradient reaches the mask.
   *
   * <ul>
   *   <li>When every frame is selected, the sub-graph runs on {@code x} itself: no gather, no scatter,
   *       and {@code skippedValue} is not computed (a {@code Switch}/{@code Merge} pair, TensorFlow's
   *       graph-mode conditional, so the branch not taken does not run).
   *   <li>Otherwise the selected rows are gathered, computed (at least one row, as in {@link #gathered}),
   *       and the output assembled by one gather from {@code [computed rows; skipped row]}, instead of a
   *       zero-filled scatter plus a mask-weighted sum.
   * </ul>
   *
   * <p>{@code skippedValue} receives the input as the partial path sees it (a tensor that only exists
   * when some frame is skipped: derive the skipped value's inputs from it, e.g. {@code zerosLike} of a
   * slice, so it is not computed when every frame is kept) and returns the value of unselected rows,
   * {@code [1, H', W', C']}.
   *
   * <pre>{@code
   * FrameSelector.Selected s = FrameSelector.selectedForInference(tf, x, keep, frames -> block(frames),
   *     partial -> block(tf.zerosLike(tf.slice(partial, begin, oneFrame))));
   * }</pre>
   */
  public static Selected selectedForInference(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> mask,
      Function<Operand<TFloat32>, Operand<TFloat32>> subgraph,
      Function<Operand<TFloat32>, Operand<TFloat32>> skippedValue) {
    checkInputs(tf, x, mask, subgraph);
    Objects.requireNonNull(skippedValue, "skippedValue");
    Ops c = tf.withSubScope("select");
    Operand<TBool> keep = c.math.greater(mask, c.constant(0.5f));
    Operand<TBool> allKept = c.reduceAll(keep, c.constant(0));
    SwitchCond<TFloat32> xs = c.switchCond(x, allKept);
    SwitchCond<TBool> ks = c.switchCond(keep, allKept);

    // Every frame kept: the sub-graph on x as it is.
    Operand<TFloat32> dense = subgraph.apply(xs.outputTrue());
    Shape outRow = checkSubgraphOutput(dense, null);
    Operand<TInt32> denseRows = c.size(ks.outputTrue(), TInt32.class);

    // Some frame skipped: gather, compute, and assemble from [computed; skipped]. Few kernels, as at
    // batch 1 on small frames each one costs more than its arithmetic: the rows to compute are the top
    // max(k, 1) of a score that ranks selected rows first, in frame order, then row 0 (a dummy row
    // when none is selected, whose result no output row reads).
    Ops g = tf.withSubScope("gather");
    Operand<TFloat32> partialX = xs.outputFalse();
    Operand<TBool> partialKeep = ks.outputFalse();
    Operand<TInt32> isSelected = g.dtypes.cast(partialKeep, TInt32.class);
    Operand<TInt32> k = g.sum(isSelected, g.constant(0));
    Operand<TInt32> rows = g.math.maximum(k, g.constant(1));
    Operand<TInt32> indices = g.nn.topK(rowScore(g, partialKeep, x.shape().get(0)), rows, new TopK.Options[0]).indices();
    Operand<TFloat32> computed = subgraph.apply(g.gather(partialX, indices, g.constant(0)));
    checkSubgraphOutput(computed, null);
    Operand<TFloat32> skipped = skippedValue.apply(partialX);
    checkSubgraphOutput(computed, skipped);

    Ops s = tf.withSubScope("assemble");
    // Row m of the output: its place among the selected rows, or the skipped row (index rows).
    Operand<TInt32> place = s.math.cumsum(isSelected, s.constant(0), Cumsum.exclusive(true));
    Operand<TInt32> source = s.select(partialKeep, place, rows);
    Operand<TFloat32> table = s.concat(List.of(computed, skipped), s.constant(0));
    Operand<TFloat32> partial = s.gather(table, source, s.constant(0));

    Operand<TFloat32> out = c.merge(List.of(dense, partial)).output();
    Operand<TInt32> computedFrames = c.merge(List.of(denseRows, rows)).output();
    return new Selected(pinShape(c, out, x, outRow), computedFrames);
  }

  /**
   * Like {@link #gathered}, with the skipped rows set to what {@link #masked} gives them,
   * {@code subgraph(0)}: the sub-graph runs on the selected rows plus one zero frame (never an empty
   * batch), and that frame's result fills every unselected row. This is the official AFNet focal
   * branch's value ({@code f(x·mask)}) at the price of one extra frame; {@code computedFrames} is
   * {@code k + 1}.
   */
  public static Selected gatheredAsMasked(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> mask, Function<Operand<TFloat32>, Operand<TFloat32>> subgraph) {
    checkInputs(tf, x, mask, subgraph);
    Ops g = tf.withSubScope("gather");
    Operand<TInt32> selected = selectedRows(g, mask);
    Operand<TInt32> k = g.size(selected);
    Operand<TInt32> zeroFrameShape =
        g.concat(
            List.of(g.constant(new int[] {1}), g.slice(g.shape(x), g.constant(new int[] {1}), g.constant(new int[] {3}))),
            g.constant(0));
    Operand<TFloat32> batch =
        g.concat(List.of(g.gather(x, selected, g.constant(0)), g.zeros(zeroFrameShape, TFloat32.class)), g.constant(0));
    Operand<TFloat32> computed = subgraph.apply(batch);
    Shape outRow = checkSubgraphOutput(computed, null);

    Ops s = tf.withSubScope("scatter");
    Operand<TInt32> kVector = s.reshape(k, s.constant(new int[] {1}));
    Operand<TFloat32> rowsOfSelected =
        s.slice(computed, s.concat(List.of(s.constant(new int[] {0}), s.constant(new int[] {0, 0, 0})), s.constant(0)),
            s.concat(List.of(kVector, s.constant(new int[] {-1, -1, -1})), s.constant(0)));
    Operand<TFloat32> zeroFrameResult =
        s.slice(computed, s.concat(List.of(kVector, s.constant(new int[] {0, 0, 0})), s.constant(0)),
            s.constant(new int[] {1, -1, -1, -1}));
    Operand<TFloat32> weights = s.gather(mask, selected, s.constant(0));
    Operand<TFloat32> output =
        scatter(s, x, mask, selected, s.math.mul(rowsOfSelected, column(s, weights)), outRow, zeroFrameResult);
    return new Selected(output, s.math.add(k, s.constant(1)));
  }

  /**
   * The dense form, {@code subgraph(x · mask)}: every frame is computed, unselected ones on zeros. This
   * is what the official AFNet code does; use it as a reference, or to train navigation through the
   * sub-graph's input.
   */
  public static Operand<TFloat32> masked(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> mask, Function<Operand<TFloat32>, Operand<TFloat32>> subgraph) {
    checkInputs(tf, x, mask, subgraph);
    return subgraph.apply(tf.withSubScope("mask").math.mul(x, column(tf, mask)));
  }

  /**
   * {@code [M]}: {@code 2M − 1 − m} for a selected row m, {@code M − 1 − m} for another, so the top k scores are
   * the selected rows in frame order and, when none is selected, the top one is row 0.
   *
   * @param frames M when static, else {@link Shape#UNKNOWN_SIZE}
   */
  private static Operand<TInt32> rowScore(Ops tf, Operand<TBool> keep, long frames) {
    if (frames != Shape.UNKNOWN_SIZE) {
      int m = (int) frames;
      int[] selected = new int[m];
      int[] other = new int[m];
      for (int i = 0; i < m; i++) {
        other[i] = m - 1 - i;
        selected[i] = 2 * m - 1 - i;
      }
      return tf.select(keep, tf.constant(selected), tf.constant(other));
    }
    Operand<TInt32> m = tf.size(keep, TInt32.class);
    Operand<TInt32> other = tf.math.sub(tf.math.sub(m, tf.constant(1)), tf.range(tf.constant(0), m, tf.constant(1)));
    return tf.select(keep, tf.math.add(other, m), other);
  }

  /** Indices of rows with mask > 0.5, int32 {@code [k]}. */
  private static Operand<TInt32> selectedRows(Ops tf, Operand<TFloat32> mask) {
    Operand<TBool> keep = tf.math.greater(mask, tf.constant(0.5f));
    return tf.dtypes.cast(tf.reshape(tf.where(keep), tf.constant(new int[] {-1})), TInt32.class);
  }

  /** {@code [M] → [M, 1, 1, 1]}, to broadcast a per-frame value over a frame. */
  private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> perFrame) {
    return tf.reshape(perFrame, tf.constant(new int[] {-1, 1, 1, 1}));
  }

  /** Scatters {@code rows} to {@code indices} of an {@code [M, H', W', C']} zero tensor, plus (1 − mask)·skipped. */
  private static Operand<TFloat32> scatter(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> mask, Operand<TInt32> indices, Operand<TFloat32> rows,
      Shape outRow, Operand<TFloat32> skippedValue) {
    Operand<TInt32> outShape =
        tf.concat(
            List.of(
                tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
                tf.slice(tf.shape(rows), tf.constant(new int[] {1}), tf.constant(new int[] {3}))),
            tf.constant(0));
    Operand<TFloat32> out = tf.scatterNd(tf.reshape(indices, tf.constant(new int[] {-1, 1})), rows, outShape);
    if (skippedValue != null) {
      Operand<TFloat32> unselected = tf.math.sub(tf.constant(1f), mask);
      out = tf.math.add(out, tf.math.mul(column(tf, unselected), skippedValue));
    }
    return pinShape(tf, out, x, outRow);
  }

  /** Pins {@code out}'s static shape to {@code [x's batch, outRow]} (batch dynamic unless x's is static) so downstream convs know their channels. */
  private static Operand<TFloat32> pinShape(Ops tf, Operand<TFloat32> out, Operand<TFloat32> x, Shape outRow) {
    if (outRow.hasUnknownDimension()) {
      return out;
    }
    long batch = x.shape().get(0);
    return tf.reshape(
        out,
        tf.constant(
            new int[] {batch == Shape.UNKNOWN_SIZE ? -1 : (int) batch, (int) outRow.get(0), (int) outRow.get(1), (int) outRow.get(2)}));
  }

  /** Row indices to compute, and how many: the selected ones, or row 0 alone when none is. */
  private record Rows(Operand<TInt32> indices, Operand<TInt32> count) {}

  /** Appends row 0 and keeps max(k, 1) rows, so the sub-graph never sees an empty batch. */
  private static Rows atLeastOneRow(Ops g, Operand<TInt32> selected) {
    Operand<TInt32> count = g.math.maximum(g.size(selected), g.constant(1));
    Operand<TInt32> indices =
        g.slice(
            g.concat(List.of(selected, g.constant(new int[] {0})), g.constant(0)),
            g.constant(new int[] {0}),
            g.reshape(count, g.constant(new int[] {1})));
    return new Rows(indices, count);
  }

  private static void checkInputs(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> mask, Function<Operand<TFloat32>, Operand<TFloat32>> subgraph) {
    Objects.requireNonNull(tf, "tf");
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(mask, "mask");
    Objects.requireNonNull(subgraph, "subgraph");
    Shape xs = x.shape();
    if (xs.isUnknown() || xs.numDimensions() != 4) {
      throw new IllegalArgumentException("frame selector needs x of rank 4 [M, H, W, C], got shape " + xs);
    }
    Shape ms = mask.shape();
    if (ms.isUnknown() || ms.numDimensions() != 1) {
      throw new IllegalArgumentException("frame selector needs a mask of rank 1 [M], got shape " + ms);
    }
    if (!Shape.isCompatible(xs.get(0), ms.get(0))) {
      throw new IllegalArgumentException(
          "frame selector needs one mask value per frame: x has " + xs.get(0) + " frames, mask has " + ms.get(0));
    }
  }

  /** The sub-graph's per-row shape {@code [H', W', C']} (dims may be unknown), checked against skippedValue. */
  private static Shape checkSubgraphOutput(Operand<TFloat32> computed, Operand<TFloat32> skippedValue) {
    Objects.requireNonNull(computed, "subgraph returned null");
    Shape ys = computed.shape();
    if (ys.isUnknown() || ys.numDimensions() != 4) {
      throw new IllegalArgumentException("frame selector's sub-graph must return rank 4 [k, H', W', C'], got shape " + ys);
    }
    Shape row = ys.subShape(1, 4);
    if (skippedValue != null) {
      Shape ss = skippedValue.shape();
      if (ss.isUnknown() || !ss.isCompatibleWith(Shape.of(1, row.get(0), row.get(1), row.get(2)))) {
        throw new IllegalArgumentException(
            "frame selector's skippedValue must have shape [1, H', W', C'] = [1, " + row.get(0) + ", " + row.get(1) + ", "
                + row.get(2) + "], got " + ss);
      }
    }
    return row;
  }
}
