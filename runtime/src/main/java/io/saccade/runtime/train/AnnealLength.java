package io.saccade.runtime.train;

import io.saccade.runtime.model.NavigationTraining;
import java.util.Optional;

/**
 * How many epochs the Gumbel temperature anneals over: the declared {@code @Anneal(epochs = …)}, which a
 * generated class hands over as {@link NavigationTraining#annealEpochs()}, unless the trainer is told
 * otherwise ({@link TrainerBuilder#temperatureAnnealEpochs}, an explicit override).
 *
 * <pre>{@code
 * int epochs = AnnealLength.epochs(model.navigationTraining(), 0);   // 0: no override, the declared length
 * }</pre>
 */
final class AnnealLength {

  private AnnealLength() {}

  /** {@code override} when it is set (&gt; 0), else the declared anneal length. */
  static int epochs(NavigationTraining declared, int override) {
    return override > 0 ? override : declared.annealEpochs();
  }

  /**
   * A warning when a run of {@code runEpochs} ends before the anneal of {@code annealEpochs} does, so the
   * temperature never reaches {@code to}; empty for networks without a schedule (a constant temperature).
   */
  static Optional<String> shortRunWarning(NavigationTraining declared, int annealEpochs, int runEpochs, boolean overridden) {
    if (declared.temperatureFrom() == declared.temperatureTo() || runEpochs >= annealEpochs) {
      return Optional.empty();
    }
    return Optional.of(String.format(java.util.Locale.ROOT,
        "the run ends after %d epochs, before the %s temperature anneal of %d epochs: the temperature stops above %s "
            + "(declare @Anneal(epochs = %d), or override it with temperatureAnnealEpochs)",
        runEpochs, overridden ? "overriding" : "declared", annealEpochs, declared.temperatureTo(), runEpochs));
  }
}
