package io.saccade.runtime.train;

import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.metrics.ExitCurve;
import java.util.Objects;

/**
 * What {@link Trainer#evaluateWithExit} measured: the plain evaluation and, for a model with a
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
 */
public record Evaluation(ClassificationMetrics metrics, ExitCurve exitCurve) {

  public Evaluation {
    Objects.requireNonNull(metrics, "metrics");
  }

  /** Whether {@link #exitCurve()} is present. */
  public boolean hasExitCurve() {
    return exitCurve != null;
  }
}
