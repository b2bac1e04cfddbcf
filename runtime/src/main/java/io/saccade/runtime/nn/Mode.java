package io.saccade.runtime.nn;

/**
 * Whether a graph is built for training or for inference.
 *
 * <p>The mode is fixed when the graph is built, not fed at run time: batch norm uses batch statistics
 * and updates its moving averages only in {@link #TRAINING}; Gumbel noise is sampled only in training;
 * and {@link #INFERENCE} is deterministic and really skips the frames a navigation module drops.
 */
public enum Mode {
  /** Batch statistics, moving-average updates, dropout and Gumbel noise on. */
  TRAINING,
  /** Moving statistics, no dropout, no noise: argmax decisions, the same output every run. */
  INFERENCE;

  /** True for {@link #TRAINING}. */
  public boolean isTraining() {
    return this == TRAINING;
  }
}
