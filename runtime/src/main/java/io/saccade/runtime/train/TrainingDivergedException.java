package io.saccade.runtime.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Training stopped because the loss (or a weight) stopped being a finite number — a poisoned batch, a
 * learning rate too high. Thrown by {@link Trainer#fit()} at the step it happened; no checkpoint is written
 * after it, so every checkpoint on disk holds finite weights and {@link #lastGoodCheckpoint()} is where to
 * resume from (with a lower learning rate, or without the bad data).
 *
 * <pre>{@code
 * try {
 *   trainer.fit();
 * } catch (TrainingDivergedException e) {
 *   System.err.println("diverged at step " + e.step() + "; resume from " + e.lastGoodCheckpoint().orElse(null));
 * }
 * }</pre>
 */
public final class TrainingDivergedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final long step;
  private final double loss;
  private final transient Path lastGoodCheckpoint;

  /**
   * @param step the optimizer step whose loss was not finite (1-based: the step counter after it)
   * @param loss that loss (NaN or ±∞)
   * @param lastGoodCheckpoint the newest checkpoint on disk, all finite, or null if none was written yet
   * @param network the network's name, for the message
   * @param batch what the batch held, for the message
   */
  public TrainingDivergedException(long step, double loss, Path lastGoodCheckpoint, String network, String batch) {
    super(
        network + ": the loss became " + loss + " at step " + step + " (batch of " + batch + "); training stopped"
            + " and wrote no checkpoint after it. "
            + (lastGoodCheckpoint == null
                ? "No checkpoint was written before it."
                : "Last good checkpoint: " + lastGoodCheckpoint + " (resume from it with a lower learning rate, or"
                    + " check those videos)."));
    this.step = step;
    this.loss = loss;
    this.lastGoodCheckpoint = lastGoodCheckpoint;
  }

  /** The step whose loss was not finite. */
  public long step() {
    return step;
  }

  /** The loss at that step. */
  public double loss() {
    return loss;
  }

  /** The newest checkpoint written before, if any; its weights are finite. */
  public Optional<Path> lastGoodCheckpoint() {
    return Optional.ofNullable(lastGoodCheckpoint);
  }
}
