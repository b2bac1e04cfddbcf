package io.saccade.runtime.train;

import io.saccade.runtime.metrics.ClassificationMetrics;
import java.util.Locale;
import java.util.Map;

/**
 * One epoch's line in the log: the training loss, accuracy and kept fraction averaged over the epoch's
 * steps, then, with validation data, top-1/top-5, the fraction of frames each navigation layer kept and the
 * dynamic GFLOPs per clip. When the loss adds terms to the clip cross-entropy (AFNet's ratio term, auxiliary
 * heads), {@code ce} gives the cross-entropy alone, the number to compare with chance, ln(classes). One line per epoch, written through the log (so it survives {@code --quiet} and
 * redirection), for example:
 *
 * <pre>
 * AfDemo epoch 3/12: train loss 0.4120 ce 0.3986 top1 0.871 kept 0.62 | val top1 0.9531 top5 1.0000 kept stage1/nav0 0.58
 *   stage1/nav1 0.55 stage2/nav0 0.49 … | 0.0311 GFLOPs/clip | 145 clips/s
 * </pre>
 */
final class EpochReport {
  private double loss;
  private double accuracy;
  private double kept;
  private double crossEntropy;
  private boolean otherTerms;
  private long steps;

  void add(Trainer.Step step) {
    loss += step.loss();
    accuracy += step.accuracy();
    kept += step.selectionRatio();
    crossEntropy += step.classificationLoss();
    otherTerms |= Math.abs(step.loss() - step.classificationLoss()) > 1e-6;
    steps++;
  }

  double meanLoss() {
    return steps == 0 ? Double.NaN : loss / steps;
  }

  String line(String network, int epoch, int epochs, double clipsPerSecond, ClassificationMetrics validation) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s epoch %d/%d:", network, epoch + 1, epochs));
    if (steps > 0) {
      b.append(String.format(Locale.ROOT, " train loss %.4f", loss / steps));
      if (otherTerms) {
        // The loss adds auxiliary or ratio terms: the cross-entropy alone is what compares with ln(classes).
        b.append(String.format(Locale.ROOT, " ce %.4f", crossEntropy / steps));
      }
      b.append(String.format(Locale.ROOT, " top1 %.3f kept %.2f", accuracy / steps, kept / steps));
    }
    if (validation != null) {
      b.append(String.format(Locale.ROOT, " | val top1 %.4f top5 %.4f", validation.top1(), validation.top5()));
      Map<String, Double> layers = validation.selectionRatios();
      if (!layers.isEmpty()) {
        b.append(" kept");
        for (Map.Entry<String, Double> e : layers.entrySet()) {
          b.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue()));
        }
      }
      b.append(String.format(Locale.ROOT, " | %.5f GFLOPs/clip", validation.gflopsPerClip()));
    }
    if (clipsPerSecond > 0) {
      b.append(String.format(Locale.ROOT, " | %.1f clips/s", clipsPerSecond));
    }
    return b.toString();
  }
}
