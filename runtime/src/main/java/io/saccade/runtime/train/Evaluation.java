package io.saccade.runtime.train;

import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.metrics.ExitCurve;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link Evaluator} measured: the metrics, one typed record per video and, for a model with a
 * conditional exit, its accuracy-versus-expected-GFLOPs curve.
 *
 * <pre>{@code
 * Evaluation e = trainer.evaluateWithExit(val, 1, 1);
 * double top1 = e.metrics().top1();
 * if (e.hasExitCurve()) e.exitCurve().points().forEach(p -> System.out.println(p.line()));
 * }</pre>
 *
 * @param metrics every frame processed: top-1/5, confusion, selection ratios, GFLOPs
 * @param exitCurve the conditional-exit curve (its last point equals {@code metrics}' top-1 and GFLOPs),
 *     or null for a model without an exit or without calibration data
 * @param videos one record per video, in dataset order
 */
public record Evaluation(ClassificationMetrics metrics, ExitCurve exitCurve, List<VideoResult> videos) {

  public Evaluation {
    Objects.requireNonNull(metrics, "metrics");
    videos = List.copyOf(videos);
  }

  /** This evaluation with {@code curve} as its exit curve. */
  public Evaluation withExitCurve(ExitCurve curve) {
    return new Evaluation(metrics, curve, videos);
  }

  /** Whether {@link #exitCurve()} is present. */
  public boolean hasExitCurve() {
    return exitCurve != null;
  }

  /** Whether the videos carry per-step logits (a model with a conditional exit, collected for its curve). */
  public boolean hasStepLogits() {
    return !videos.isEmpty() && videos.get(0).stepLogits() != null;
  }

  /** The mean cross-entropy of the videos' mean logits (NaN without videos). */
  public double crossEntropy() {
    return videos.stream().mapToDouble(VideoResult::crossEntropy).average().orElse(Double.NaN);
  }
}
