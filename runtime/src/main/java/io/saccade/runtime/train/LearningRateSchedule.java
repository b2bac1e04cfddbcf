package io.saccade.runtime.train;

import java.util.Arrays;

/**
 * The base learning rate at each optimisation step (counted from 0), fed to the graph every step.
 *
 * <pre>{@code
 * LearningRateSchedule lr = LearningRateSchedule.stepDecayAtEpochs(0.01, 0.1, stepsPerEpoch, 25, 45); // AFNet
 * LearningRateSchedule cos = LearningRateSchedule.warmupCosine(0.01, 500, 50 * stepsPerEpoch, 0.0);
 * float now = (float) lr.at(step);
 * }</pre>
 */
@FunctionalInterface
public interface LearningRateSchedule {

  /** The learning rate at {@code step} (&gt;= 0). */
  double at(long step);

  /** The same rate at every step. */
  static LearningRateSchedule constant(double rate) {
    requireRate("rate", rate);
    return step -> {
      requireStep(step);
      return rate;
    };
  }

  /**
   * {@code base × factor^k} where k is the number of boundaries {@code <= step}, e.g. base 0.01, factor
   * 0.1, boundaries at the first step of epochs 25 and 45.
   *
   * @param boundaries strictly increasing steps, each &gt; 0
   */
  static LearningRateSchedule stepDecay(double base, double factor, long... boundaries) {
    requireRate("base", base);
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("decay factor must be finite and > 0, got " + factor);
    }
    long[] b = boundaries.clone();
    for (int i = 0; i < b.length; i++) {
      if (b[i] <= 0 || (i > 0 && b[i] <= b[i - 1])) {
        throw new IllegalArgumentException("boundaries must be positive and strictly increasing, got " + Arrays.toString(b));
      }
    }
    return step -> {
      requireStep(step);
      int passed = 0;
      while (passed < b.length && step >= b[passed]) {
        passed++;
      }
      return base * Math.pow(factor, passed);
    };
  }

  /** {@link #stepDecay} with boundaries at the first step of the given (0-based) epochs. */
  static LearningRateSchedule stepDecayAtEpochs(double base, double factor, long stepsPerEpoch, int... epochs) {
    if (stepsPerEpoch <= 0) {
      throw new IllegalArgumentException("stepsPerEpoch must be > 0, got " + stepsPerEpoch);
    }
    long[] b = new long[epochs.length];
    for (int i = 0; i < epochs.length; i++) {
      b[i] = Math.multiplyExact(epochs[i], stepsPerEpoch);
    }
    return stepDecay(base, factor, b);
  }

  /** Official AFNet (Something-Something): 0.01, divided by 10 at epochs 25 and 45. */
  static LearningRateSchedule afnet(long stepsPerEpoch) {
    return stepDecayAtEpochs(0.01, 0.1, stepsPerEpoch, 25, 45);
  }

  /**
   * Linear warm-up then cosine decay to a floor. For {@code step < warmupSteps}:
   * {@code base·(step+1)/warmupSteps}; then with {@code t = step − warmupSteps},
   * {@code T = totalSteps − warmupSteps}: {@code floor + (base − floor)·(1 + cos(π·t/T))/2}; from
   * {@code totalSteps} on: {@code floor}. With no warm-up and floor 0 this is PyTorch's CosineAnnealingLR.
   */
  static LearningRateSchedule warmupCosine(double base, long warmupSteps, long totalSteps, double floor) {
    requireRate("base", base);
    requireRate("floor", floor);
    if (floor > base) {
      throw new IllegalArgumentException("floor " + floor + " must be <= base " + base);
    }
    if (warmupSteps < 0 || totalSteps <= warmupSteps) {
      throw new IllegalArgumentException(
          "need 0 <= warmupSteps < totalSteps, got warmupSteps " + warmupSteps + ", totalSteps " + totalSteps);
    }
    return step -> {
      requireStep(step);
      if (step < warmupSteps) {
        return base * (step + 1) / warmupSteps;
      }
      if (step >= totalSteps) {
        return floor;
      }
      double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
      return floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    };
  }

  /** Cosine decay from {@code base} to 0 over {@code totalSteps}, no warm-up. */
  static LearningRateSchedule cosine(double base, long totalSteps) {
    return warmupCosine(base, 0, totalSteps, 0.0);
  }

  private static void requireRate(String name, double rate) {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(name + " learning rate must be finite and >= 0, got " + rate);
    }
  }

  private static void requireStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
  }
}
