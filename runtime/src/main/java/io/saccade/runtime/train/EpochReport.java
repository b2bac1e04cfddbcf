package io.saccade.runtime.train;

/** Sums an epoch's steps into its {@link TrainingListener.EpochResult}: the means of loss, cross-entropy, top-1 and kept fraction. */
final class EpochReport {
  private double loss;
  private double accuracy;
  private double kept;
  private double crossEntropy;
  private long steps;

  void add(Trainer.Step step) {
    loss += step.loss();
    accuracy += step.accuracy();
    kept += step.selectionRatio();
    crossEntropy += step.classificationLoss();
    steps++;
  }

  TrainingListener.EpochResult result(Evaluation validation, long skippedSamples) {
    double n = Math.max(steps, 1);
    return new TrainingListener.EpochResult(
        steps, steps == 0 ? Double.NaN : loss / n, crossEntropy / n, accuracy / n, kept / n, validation, skippedSamples);
  }
}
