package io.saccade.runtime.train;

import java.util.Locale;

/**
 * Watches for a run that is not learning: the training loss still at chance level, {@code ln(classes)},
 * after {@link #STEPS} steps. Says so once, with what to try.
 */
final class LossPlateau {
  /** Steps after which a loss at chance level is worth a warning. */
  static final int STEPS = 300;
  /** The last steps whose mean loss is compared with chance. */
  static final int WINDOW = 50;

  private final double chance;
  private final double[] recent = new double[WINDOW];
  private long seen;
  private boolean warned;

  LossPlateau(int classes) {
    this.chance = Math.log(classes);
  }

  /**
   * Records step {@code step}'s loss; returns the warning the first time the mean loss of the last
   * {@link #WINDOW} steps is still within 5 % of chance at or after {@link #STEPS} steps, else null.
   */
  String record(long step, double loss) {
    recent[(int) (seen++ % WINDOW)] = loss;
    if (warned || step < STEPS || seen < WINDOW || chance <= 0) {
      return null;
    }
    double mean = 0;
    for (double v : recent) {
      mean += v / WINDOW;
    }
    if (mean < 0.95 * chance) {
      return null;
    }
    warned = true;
    return String.format(
        Locale.ROOT,
        "the training loss is still %.3f after %d steps, the chance level ln(%d) = %.3f: the network is not learning."
            + " Try a learning-rate range test (saccade lr-find) and a lower rate; from scratch, Adam"
            + " (--optimizer adam --lr 0.001); pretrained weights (--init FILE); and check that the labels"
            + " match the videos.",
        mean, step, Math.round(Math.exp(chance)), chance);
  }
}
