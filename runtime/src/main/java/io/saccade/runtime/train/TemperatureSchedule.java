package io.saccade.runtime.train;

/**
 * The Gumbel-softmax temperature τ at each optimisation step (counted from 0), fed to the graph.
 *
 * <p>AFNet anneals exponentially from t0 to t1 over {@code annealSteps} iterations,
 * {@code τ = t0·(t1/t0)^(step/annealSteps)}, then holds t1 (validation uses t1).
 *
 * <pre>{@code
 * TemperatureSchedule tau = TemperatureSchedule.afnet(stepsPerEpoch);   // 1 → 0.01 over 50 epochs
 * feed(temperature, (float) tau.at(step));
 * }</pre>
 */
@FunctionalInterface
public interface TemperatureSchedule {

  /** τ at {@code step} (&gt;= 0). */
  double at(long step);

  /** The same τ at every step. */
  static TemperatureSchedule constant(double tau) {
    if (!(tau > 0) || Double.isInfinite(tau)) {
      throw new IllegalArgumentException("temperature must be finite and > 0, got " + tau);
    }
    return step -> {
      requireStep(step);
      return tau;
    };
  }

  /**
   * {@code τ = t0·(t1/t0)^(step/annealSteps)} until {@code annealSteps}, then t1.
   *
   * <p>The official code computes the same per iteration; from epoch {@code t_end} on it stops updating
   * and keeps its last annealed value, a factor {@code (t0/t1)^(1/annealSteps)} above t1 (≈1.0001 for
   * realistic runs) — here τ is exactly t1.
   *
   * @throws IllegalArgumentException unless {@code t0 >= t1 > 0} and {@code annealSteps > 0}
   */
  static TemperatureSchedule exponential(double t0, double t1, long annealSteps) {
    if (!(t1 > 0) || !(t0 >= t1) || Double.isInfinite(t0)) {
      throw new IllegalArgumentException("temperature anneal needs t0 >= t1 > 0 (finite), got t0 = " + t0 + ", t1 = " + t1);
    }
    if (annealSteps <= 0) {
      throw new IllegalArgumentException("annealSteps must be > 0, got " + annealSteps);
    }
    double ratio = t1 / t0;
    return step -> {
      requireStep(step);
      return step >= annealSteps ? t1 : t0 * Math.pow(ratio, (double) step / annealSteps);
    };
  }

  /** Official AFNet: t0 = 1, t1 = 0.01, annealed over the first 50 epochs. */
  static TemperatureSchedule afnet(long stepsPerEpoch) {
    if (stepsPerEpoch <= 0) {
      throw new IllegalArgumentException("stepsPerEpoch must be > 0, got " + stepsPerEpoch);
    }
    return exponential(1.0, 0.01, Math.multiplyExact(50L, stepsPerEpoch));
  }

  private static void requireStep(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
  }
}
