package io.saccade.runtime.train;

import io.saccade.runtime.metrics.ExitCurve;
import io.saccade.runtime.metrics.TensorBoardWriter;
import java.util.Optional;

/**
 * Measures a conditional-exit model's accuracy-versus-expected-GFLOPs curve ({@link Evaluator#exitCurve}) on
 * the validation data once the run is over: after its last epoch, or after the epoch a listener
 * {@linkplain Trainer#stop stopped} it at. The thresholds are fitted on the trainer's calibration clips
 * ({@link TrainerBuilder#exitCalibration}), one more pass of the inference build. The curve goes to
 * {@link Trainer.Summary#exitCurve()}, to {@link #curve()} and, with a {@link TensorBoardListener}, to its
 * {@code validation/} run as {@code exit/all_frames_top1}, {@code exit/p1_top1}, {@code exit/p1_gflops},
 * {@code exit/cheapest_top1} and {@code exit/cheapest_gflops}.
 *
 * <p>A default listener of every trainer; without an exit (or without calibration clips) it does nothing.
 */
public final class ExitCurveListener implements TrainingListener {

  private Trainer trainer;
  private ExitCurve curve;

  @Override
  public String toString() {
    return "ExitCurveListener";
  }

  @Override
  public void onTrainingStart(Trainer trainer) {
    this.trainer = trainer;
    curve = null;
  }

  @Override
  public void onEpochResult(Progress p, EpochResult r) {
    if (r.validation() == null || !(p.lastEpoch() || trainer.stopReason().isPresent())) {
      return;
    }
    curve = trainer.evaluator().exitCurve(r.validation(), trainer.exitCalibration());
    if (curve != null) {
      trainer.listener(TensorBoardListener.class)
          .map(TensorBoardListener::validation)
          .ifPresent(tb -> write(tb, p.step(), curve));
    }
  }

  /** The curve of the last finished run, if it had one. */
  public Optional<ExitCurve> curve() {
    return Optional.ofNullable(curve);
  }

  /**
   * The curve as TensorBoard scalars at the step: the all-frames top-1, the cheapest point's top-1 and GFLOPs,
   * and those of p = 1 (equal exit fractions per step). The whole curve goes to the table and the plot;
   * TensorBoard's step axis cannot carry it (a step going backwards purges the run's events).
   */
  private static void write(TensorBoardWriter tb, long step, ExitCurve curve) {
    tb.scalar("exit/all_frames_top1", step, curve.allFrames().accuracy());
    for (ExitCurve.Point point : curve.sweep()) {
      if (Math.abs(point.p() - 1) < 1e-9) {
        tb.scalar("exit/p1_top1", step, point.accuracy());
        tb.scalar("exit/p1_gflops", step, point.expectedGflops());
      }
    }
    ExitCurve.Point cheapest = curve.cheapest();
    tb.scalar("exit/cheapest_top1", step, cheapest.accuracy());
    tb.scalar("exit/cheapest_gflops", step, cheapest.expectedGflops());
  }
}
