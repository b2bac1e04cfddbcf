package io.saccade.runtime.train;

import java.util.Map;
import java.util.Objects;

/**
 * What evaluation found for one video, its views (temporal clips × spatial crops) averaged.
 *
 * <pre>{@code
 * Evaluation e = trainer.evaluateWithExit(val, 1, 1);
 * for (VideoResult v : e.videos()) {
 *   if (v.predicted() != v.label()) System.out.println(v.id() + " mistaken for class " + v.predicted());
 * }
 * }</pre>
 *
 * @param index the video's index in its dataset
 * @param id the dataset's id of the video (its path or list line for files; the first view's)
 * @param label the true class
 * @param logits the clip logits, mean over the views
 * @param gflops the dynamic GFLOPs of all its views together
 * @param keptFrames per navigation layer, the fraction of each frame computed, mean over the views
 *     ({@code 1} = kept in every view); empty for a network without navigation
 * @param stepLogits {@code [T][classes]} per-step logits of a network with a conditional exit, mean over the
 *     views; null when not collected
 * @param views how many views were evaluated
 */
public record VideoResult(
    int index,
    String id,
    int label,
    float[] logits,
    double gflops,
    Map<String, float[]> keptFrames,
    float[][] stepLogits,
    int views) {

  public VideoResult {
    Objects.requireNonNull(logits, "logits");
    keptFrames = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keptFrames));
  }

  /** The class with the largest logit. */
  public int predicted() {
    int best = 0;
    for (int c = 1; c < logits.length; c++) {
      if (logits[c] > logits[best]) {
        best = c;
      }
    }
    return best;
  }

  /** The fraction of frames the navigation layer {@code layer} computed (mean over frames and views). */
  public double kept(String layer) {
    float[] frames = keptFrames.get(layer);
    if (frames == null) {
      throw new IllegalArgumentException("no navigation layer " + layer + "; the layers are " + keptFrames.keySet());
    }
    double sum = 0;
    for (float f : frames) {
      sum += f;
    }
    return sum / frames.length;
  }

  /** The cross-entropy of the mean logits against the label (natural log), as the training loss measures it. */
  public double crossEntropy() {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    return max + Math.log(sum) - logits[label];
  }
}
