package io.saccade.runtime.train;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Stops a run whose validation metric has not improved for {@code patience} epochs: the epoch's checkpoint
 * is still saved, and the checkpoint with the best validation top-1 is kept ({@link Checkpoints#best()}). Needs
 * validation data.
 *
 * <pre>{@code
 * Trainer.builder(model).trainData(train).validationData(val).epochs(60)
 *     .listener(EarlyStopping.onTop1(5))           // or EarlyStopping.onCrossEntropy(5)
 *     .build();
 * }</pre>
 */
public final class EarlyStopping implements TrainingListener {

  private final String metric;
  private final ToDoubleFunction<Evaluation> value;
  private final boolean higherIsBetter;
  private final int patience;
  private final double minDelta;
  private Trainer trainer;
  private double best;
  private int bestEpoch;
  private int waited;

  private EarlyStopping(String metric, ToDoubleFunction<Evaluation> value, boolean higherIsBetter, int patience,
      double minDelta) {
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be >= 1 epoch, got " + patience);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("minimum improvement must be >= 0, got " + minDelta);
    }
    this.metric = metric;
    this.value = value;
    this.higherIsBetter = higherIsBetter;
    this.patience = patience;
    this.minDelta = minDelta;
  }

  /** Stops when validation top-1 has not risen for {@code patience} epochs. */
  public static EarlyStopping onTop1(int patience) {
    return new EarlyStopping("validation top-1", e -> e.metrics().top1(), true, patience, 0);
  }

  /** Stops when the validation cross-entropy has not fallen for {@code patience} epochs. */
  public static EarlyStopping onCrossEntropy(int patience) {
    return new EarlyStopping("validation cross-entropy", Evaluation::crossEntropy, false, patience, 0);
  }

  /** This rule, counting only improvements larger than {@code delta}. */
  public EarlyStopping minDelta(double delta) {
    return new EarlyStopping(metric, value, higherIsBetter, patience, delta);
  }

  @Override
  public String toString() {
    return "EarlyStopping[" + metric + ", patience " + patience + (minDelta > 0 ? ", min delta " + minDelta : "") + "]";
  }

  @Override
  public void onTrainingStart(Trainer trainer) {
    this.trainer = trainer;
    best = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    waited = 0;
  }

  @Override
  public void onEpochResult(Progress p, EpochResult r) {
    if (r.validation() == null) {
      throw new IllegalStateException("early stopping on the " + metric + " needs validation data (TrainerBuilder.validationData)");
    }
    double v = value.applyAsDouble(r.validation());
    boolean better = higherIsBetter ? v > best + minDelta : v < best - minDelta;
    if (better) {
      best = v;
      bestEpoch = p.epoch();
      waited = 0;
    } else if (++waited >= patience) {
      trainer.stop(String.format(Locale.ROOT, "the %s has not improved for %d epoch%s (best %.4f after epoch %d)",
          metric, patience, patience == 1 ? "" : "s", best, bestEpoch + 1));
    }
  }
}
