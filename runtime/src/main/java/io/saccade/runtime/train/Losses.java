package io.saccade.runtime.train;

import io.saccade.runtime.model.ModelOutputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * Training losses and accuracy ops, built into a graph.
 *
 * <pre>{@code
 * Operand<TFloat32> ce = Losses.crossEntropy(tf, out.logits(), labels);            // mean over the batch, nats
 * Operand<TFloat32> ratio = Losses.ratioLoss(tf, out.masks(), targetRatio, 0.5f);  // AFNet's λ = 0.5
 * Operand<TFloat32> loss = tf.math.add(ce, ratio);
 * Operand<TFloat32> top1 = Losses.topKAccuracy(tf, out.logits(), labels, 1);       // fraction in [0, 1]
 * }</pre>
 */
public final class Losses {

  private Losses() {}

  /**
   * Softmax cross-entropy of integer labels, averaged over the batch: {@code mean_n(logsumexp(z_n) − z_n[y_n])}.
   *
   * <p>Built from a one-hot encoding and {@code SoftmaxCrossEntropyWithLogits} because the sparse op has
   * no gradient in TensorFlow Java. A label outside {@code [0, classes)} gives an all-zero one-hot row
   * and so a loss of 0 for that example: check labels where the data is read.
   *
   * @param logits {@code [N, classes]} with a static class count
   * @param labels {@code [N]} int32 or int64 class indices
   * @return the scalar mean loss
   */
  public static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, Operand<? extends TNumber> labels) {
    int classes = classCount(logits);
    requireLabels(labels);
    Ops s = tf.withSubScope("cross_entropy");
    Operand<TFloat32> oneHot = s.oneHot(labels, s.constant(classes), s.constant(1f), s.constant(0f));
    Operand<TFloat32> perExample = s.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss();
    return s.math.mean(perExample, s.constant(0));
  }

  /**
   * The classification loss of a network's outputs, as {@link Trainer} minimises it:
   * {@code Σ w·CE} over the clip logits ({@link ModelOutputs#CLIP}) and every auxiliary head, each weight
   * {@link ModelOutputs#lossWeight}, terms of weight 0 left out. Each CE is the mean over the valid clips of
   * the clip's cross-entropy; a rank-3 head {@code [N, T, classes]} contributes the mean over its T frames
   * of the per-frame cross-entropy against the clip's label.
   *
   * @param labels {@code [N]} int32 or int64 class indices
   * @param valid {@code [N]}: 1 for a real clip, 0 for padding (a row of weight 0); the mean divides by
   *     {@code max(Σ valid, 1)}
   * @return the scalar loss
   */
  public static Operand<TFloat32> outputsLoss(
      Ops tf, ModelOutputs out, Operand<? extends TNumber> labels, Operand<TFloat32> valid) {
    Objects.requireNonNull(out, "out");
    requireLabels(labels);
    Ops s = tf.withSubScope("classification_loss");
    Map<String, Operand<TFloat32>> terms = new LinkedHashMap<>();
    terms.put(ModelOutputs.CLIP, out.clipLogits());
    terms.putAll(out.auxiliaryLogits());
    Operand<TFloat32> total = null;
    for (Map.Entry<String, Operand<TFloat32>> e : terms.entrySet()) {
      float w = out.lossWeight(e.getKey());
      if (w == 0f) {
        continue;
      }
      Operand<TFloat32> mean = validMean(s, crossEntropyPerClip(s, e.getValue(), labels, e.getKey()), valid);
      Operand<TFloat32> term = w == 1f ? mean : s.math.mul(mean, s.constant(w));
      total = total == null ? term : s.math.add(total, term);
    }
    return total == null ? s.constant(0f) : total;
  }

  /**
   * The cross-entropy of the clip logits alone ({@link ModelOutputs#CLIP}), the mean over the valid clips:
   * the number to compare with chance, {@code ln(classes)}, whatever auxiliary terms the loss adds.
   */
  public static Operand<TFloat32> clipCrossEntropy(
      Ops tf, ModelOutputs out, Operand<? extends TNumber> labels, Operand<TFloat32> valid) {
    Objects.requireNonNull(out, "out");
    requireLabels(labels);
    Ops s = tf.withSubScope("clip_cross_entropy");
    return validMean(s, crossEntropyPerClip(s, out.clipLogits(), labels, ModelOutputs.CLIP), valid);
  }

  /** The mean of {@code perClip} over the rows where {@code valid} is 1, divided by {@code max(Σ valid, 1)}. */
  private static Operand<TFloat32> validMean(Ops s, Operand<TFloat32> perClip, Operand<TFloat32> valid) {
    Operand<TFloat32> count = s.math.maximum(s.reduceSum(valid, s.constant(0)), s.constant(1f));
    return s.math.div(s.reduceSum(s.math.mul(perClip, valid), s.constant(0)), count);
  }

  /** {@code [N]}: CE of {@code [N, k]} logits, or the mean over frames of the CE of {@code [N, T, k]} logits. */
  private static Operand<TFloat32> crossEntropyPerClip(
      Ops tf, Operand<TFloat32> logits, Operand<? extends TNumber> labels, String name) {
    Shape shape = logits.shape();
    int rank = shape.isUnknown() ? -1 : shape.numDimensions();
    if ((rank != 2 && rank != 3) || shape.size(rank - 1) <= 0 || (rank == 3 && shape.size(1) <= 0)) {
      throw new IllegalArgumentException(
          "logits '" + name + "' must be [N, classes] or [N, T, classes] with static T and classes, got shape " + shape);
    }
    int classes = (int) shape.size(rank - 1);
    Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    if (rank == 2) {
      return tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss();
    }
    int frames = (int) shape.size(1);
    Operand<TFloat32> flat = tf.reshape(logits, tf.constant(new int[] {-1, classes}));
    Operand<TFloat32> perFrameLabels =
        tf.reshape(
            tf.tile(tf.expandDims(oneHot, tf.constant(1)), tf.constant(new int[] {1, frames, 1})),
            tf.constant(new int[] {-1, classes}));
    Operand<TFloat32> perFrame = tf.nn.softmaxCrossEntropyWithLogits(flat, perFrameLabels).loss();
    return tf.math.mean(tf.reshape(perFrame, tf.constant(new int[] {-1, frames})), tf.constant(1));
  }

  /**
   * AFNet's ratio loss {@code λ·(1/L)·Σ_l (rt − mean(mask_l))²}: each mask's mean over all its elements
   * (the whole batch of frames) is pulled towards the target ratio rt.
   *
   * @param masks one selection mask per navigation layer (any shape, values in [0, 1], e.g. {@code [N, T]})
   * @param targetRatio scalar rt, usually fed from a {@link RatioCurriculum}
   * @param lambda the loss weight λ &gt;= 0 (0.5 in AFNet's released scripts)
   */
  public static Operand<TFloat32> ratioLoss(
      Ops tf, List<? extends Operand<TFloat32>> masks, Operand<TFloat32> targetRatio, float lambda) {
    Objects.requireNonNull(masks, "masks");
    if (masks.isEmpty()) {
      throw new IllegalArgumentException("ratioLoss needs at least one mask");
    }
    if (!(lambda >= 0f) || Float.isInfinite(lambda)) {
      throw new IllegalArgumentException("ratio loss weight lambda must be finite and >= 0, got " + lambda);
    }
    Shape rt = targetRatio.shape();
    if (!rt.isUnknown() && rt.numDimensions() != 0) {
      throw new IllegalArgumentException("targetRatio must be a scalar, got shape " + rt);
    }
    Ops s = tf.withSubScope("ratio_loss");
    List<Operand<TFloat32>> terms = new ArrayList<>();
    for (Operand<TFloat32> mask : masks) {
      Operand<TFloat32> mean = s.math.mean(s.reshape(mask, s.constant(new long[] {-1})), s.constant(0));
      Operand<TFloat32> gap = s.math.sub(targetRatio, mean);
      terms.add(s.math.mul(gap, gap));
    }
    return s.math.mul(s.math.addN(terms), s.constant(lambda / masks.size()));
  }

  /**
   * 1 where the label is among the {@code k} largest logits, else 0, per example ({@code [N]} float).
   * Ties at the k-th place count as hits (TensorFlow's {@code InTopK}); a non-finite logit row counts as a miss.
   */
  public static Operand<TFloat32> topKCorrect(Ops tf, Operand<TFloat32> logits, Operand<? extends TNumber> labels, int k) {
    int classes = classCount(logits);
    if (k < 1 || k > classes) {
      throw new IllegalArgumentException("top-k needs 1 <= k <= classes (" + classes + "), got k = " + k);
    }
    requireLabels(labels);
    Ops s = tf.withSubScope("top" + k);
    Operand<TFloat32> hits;
    if (labels.type() == TInt64.class) {
      @SuppressWarnings("unchecked")
      Operand<TInt64> l = (Operand<TInt64>) labels;
      hits = s.dtypes.cast(s.nn.inTopK(logits, l, s.constant((long) k)), TFloat32.class);
    } else {
      @SuppressWarnings("unchecked")
      Operand<TInt32> l = (Operand<TInt32>) labels;
      hits = s.dtypes.cast(s.nn.inTopK(logits, l, s.constant(k)), TFloat32.class);
    }
    return hits;
  }

  /** Fraction of examples whose label is among the {@code k} largest logits (scalar in [0, 1]). */
  public static Operand<TFloat32> topKAccuracy(Ops tf, Operand<TFloat32> logits, Operand<? extends TNumber> labels, int k) {
    Operand<TFloat32> hits = topKCorrect(tf, logits, labels, k);
    return tf.math.mean(hits, tf.constant(0));
  }

  private static int classCount(Operand<TFloat32> logits) {
    Shape shape = logits.shape();
    if (shape.isUnknown() || shape.numDimensions() != 2 || shape.size(1) <= 0) {
      throw new IllegalArgumentException("logits must be [N, classes] with a known class count, got shape " + shape);
    }
    return (int) shape.size(1);
  }

  private static void requireLabels(Operand<? extends TNumber> labels) {
    if (labels.type() != TInt32.class && labels.type() != TInt64.class) {
      throw new IllegalArgumentException("labels must be int32 or int64, got " + labels.type().getSimpleName());
    }
    Shape shape = labels.shape();
    if (!shape.isUnknown() && shape.numDimensions() != 1) {
      throw new IllegalArgumentException("labels must be [N], got shape " + shape);
    }
  }
}
