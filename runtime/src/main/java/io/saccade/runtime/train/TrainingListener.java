package io.saccade.runtime.train;

/**
 * Hears a {@link Trainer}'s progress: add one with {@link Trainer.Builder#listener(TrainingListener)}. Every
 * method has an empty default, so a listener overrides only what it needs. Called on the training thread,
 * between steps: a slow listener slows training.
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
   * Where a run is: the network, the epoch (0-based) of {@code epochs}, and the steps of that epoch.
   *
   * @param stepInEpoch steps already done in this epoch (non-zero in the first epoch of a resumed run)
   * @param clipsPerSecond training clips per second in this epoch so far (0 before the first step)
   */
  record Progress(String network, int epoch, int epochs, long stepsPerEpoch, long stepInEpoch, double clipsPerSecond) {}

  /** Before the first step of an epoch (also a resumed one, with {@code stepInEpoch} steps already done). */
  default void onEpochStart(Progress progress) {}

  /** After each optimizer step. */
  default void onStep(Progress progress, Trainer.Step step) {}

  /** After an epoch's last step, before its evaluation and checkpoint. */
  default void onEpochEnd(Progress progress) {}
}
