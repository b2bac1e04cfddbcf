package io.saccade.runtime.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves the run's checkpoints: after every epoch (with the loss of its last step and, with validation data,
 * the validation top-1 that picks the best checkpoint) and, when asked, every {@code every} steps. A
 * checkpoint is written atomically and only when every weight is finite ({@link Trainer#saveCheckpoint}).
 *
 * <p>A default listener of every trainer with a run directory ({@link TrainerBuilder#checkpointEvery} sets
 * {@code every}); without it nothing is saved, though {@link Trainer#resume()} still reads the folder.
 */
public final class CheckpointListener implements TrainingListener {

  private final long every;
  private Trainer trainer;
  private double lastLoss = Double.NaN;

  /** Saves at every epoch's end and, when {@code every > 0}, every {@code every} steps. */
  public CheckpointListener(long every) {
    if (every < 0) {
      throw new IllegalArgumentException("checkpoint interval must be >= 0 steps (0: epoch ends only), got " + every);
    }
    this.every = every;
  }

  @Override
  public String toString() {
    return "CheckpointListener[epoch ends" + (every > 0 ? ", every " + every + " steps" : "") + "]";
  }

  @Override
  public void onTrainingStart(Trainer trainer) {
    this.trainer = trainer;
  }

  @Override
  public void onStep(Progress p, Trainer.Step step) {
    lastLoss = step.loss();
    if (every > 0 && step.step() % every == 0) {
      trainer.saveCheckpoint(Map.of("loss", step.loss()));
    }
  }

  @Override
  public void onEpochResult(Progress p, EpochResult r) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", lastLoss);
    if (r.validation() != null) {
      metrics.put("top1", r.validation().metrics().top1());
    }
    trainer.saveCheckpoint(metrics);
  }
}
