package io.saccade.runtime.model;

/**
 * How a network's navigation modules are trained, as its declaration says (AFNet's {@code @Navigation}).
 *
 * @param lossWeight λ of the ratio loss {@code λ·mean_l (rt − r_l)²}, 0 for none
 * @param temperatureFrom Gumbel temperature at the first step (official 1)
 * @param temperatureTo temperature reached after {@code annealEpochs} and held (official 0.01)
 * @param annealEpochs epochs of the exponential anneal (official 50 of 55)
 */
public record NavigationTraining(double lossWeight, double temperatureFrom, double temperatureTo, int annealEpochs) {

  /** For networks without navigation: no ratio loss, a constant temperature of 1. */
  public static final NavigationTraining NONE = new NavigationTraining(0, 1, 1, 1);

  /**
   * The schedule of a generated network, from its {@code float} constants ({@code LOSS_WEIGHT},
   * {@code TEMPERATURE_FROM}, {@code TEMPERATURE_TO}, {@code ANNEAL_EPOCHS}): each float is read back as the
   * decimal it was declared with ({@code 0.01f} → {@code 0.01}, not {@code 0.009999999776}), so the schedule
   * is the declaration's.
   */
  public static NavigationTraining declared(float lossWeight, float temperatureFrom, float temperatureTo, int annealEpochs) {
    return new NavigationTraining(decimal(lossWeight), decimal(temperatureFrom), decimal(temperatureTo), annealEpochs);
  }

  /** The shortest decimal that names {@code f}, as a double. */
  private static double decimal(float f) {
    return Double.parseDouble(Float.toString(f));
  }

  public NavigationTraining {
    if (!(lossWeight >= 0) || Double.isInfinite(lossWeight)) {
      throw new IllegalArgumentException("ratio loss weight must be finite and >= 0, got " + lossWeight);
    }
    if (!(temperatureTo > 0) || !(temperatureFrom >= temperatureTo) || Double.isInfinite(temperatureFrom)) {
      throw new IllegalArgumentException(
          "temperatures must satisfy from >= to > 0, got from=" + temperatureFrom + ", to=" + temperatureTo);
    }
    if (annealEpochs < 1) {
      throw new IllegalArgumentException("anneal epochs must be >= 1, got " + annealEpochs);
    }
  }
}
