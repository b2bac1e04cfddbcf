package io.saccade.runtime.train;

/**
 * Hears a {@link Trainer}'s progress: the epoch log line, TensorBoard, checkpoints, the conditional-exit curve
 * and early stopping are all listeners, and a user adds their own with {@link TrainerBuilder#listener}
 * (called first, in the order added, before the {@linkplain TrainerBuilder#withoutListener defaults}). Every
 * method has an empty default, so a listener overrides only what it needs. Called on the training thread,
 * between steps: a slow listener slows training; an exception stops the run (after
 * {@link #onTrainingFailed}).
 *
 * <pre>{@code
 * Trainer.builder(model)
 *     .trainData(train)
 *     .listener(new TrainingListener() {
 *       @Override public void onStep(Progress p, Trainer.Step step) {
 *         if (step.step() % 100 == 0) System.out.printf("step %d loss %.3f%n", step.step(), step.loss());
 *       }
 *     })
 *     .build();
 * }</pre>
 */
public interface TrainingListener {

  /**
   * Where a run is: the network, the epoch (0-based) of {@code epochs}, the steps of that epoch, and the
   * schedules' values at the step.
   *
   * @param stepInEpoch steps already done in this epoch (non-zero in the first epoch of a resumed run)
   * @param clipsPerSecond training clips per second in this epoch so far (0 before the first step)
   * @param learningRate the learning rate of the last (or, before it, the next) step
   * @param temperature the Gumbel-softmax temperature of that step (AFNet's navigation)
   */
  record Progress(
      String network,
      int epoch,
      int epochs,
      long stepsPerEpoch,
      long stepInEpoch,
      double clipsPerSecond,
      double learningRate,
      double temperature) {

    /** The global step: steps of the earlier epochs plus those of this one. */
    public long step() {
      return (long) epoch * stepsPerEpoch + stepInEpoch;
    }

    /** Whether this is the run's last epoch. */
    public boolean lastEpoch() {
      return epoch == epochs - 1;
    }
  }

  /**
   * One epoch's outcome: the training means over its steps and, with validation data, the evaluation.
   *
   * @param steps optimizer steps in this epoch (this sitting's, for a resumed epoch)
   * @param loss mean total loss of those steps
   * @param crossEntropy mean cross-entropy of the clip logits alone
   * @param top1 mean training-batch top-1
   * @param kept mean kept fraction over the navigation layers (1 for dense networks)
   * @param validation the evaluation after the epoch, or null without validation data
   * @param skippedSamples samples the loader skipped in this epoch (corrupt frames, bad lines)
   */
  record EpochResult(
      long steps, double loss, double crossEntropy, double top1, double kept, Evaluation validation, long skippedSamples) {}

  /** Once, when {@link Trainer#fit} starts (after a resume, so {@code trainer.step()} is where it continues). */
  default void onTrainingStart(Trainer trainer) {}

  /** Before the first step of an epoch (also a resumed one, with {@code stepInEpoch} steps already done). */
  default void onEpochStart(Progress progress) {}

  /** After each optimizer step. */
  default void onStep(Progress progress, Trainer.Step step) {}

  /** After an epoch's last step, before its evaluation. */
  default void onEpochEnd(Progress progress) {}

  /** After the epoch's evaluation (or right after {@link #onEpochEnd} without validation data). */
  default void onEpochResult(Progress progress, EpochResult result) {}

  /** When {@link Trainer#fit} returns: the run ended, was {@linkplain Trainer#stop stopped} or paused by {@code fitUntil}. */
  default void onTrainingEnd(Trainer trainer, Trainer.Summary summary) {}

  /** When training stops on an exception (a diverged loss, a full disk, a listener's): release what you hold. */
  default void onTrainingFailed(Trainer trainer, RuntimeException failure) {}
}
