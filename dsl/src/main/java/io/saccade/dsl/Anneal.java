package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A Gumbel-softmax temperature schedule: τ falls exponentially per iteration from {@link #from()} to
 * {@link #to()} over {@link #epochs()} epochs, then stays at {@code to} (the official AFNet schedule);
 * evaluation uses {@code to}. Used only inside {@link Navigation#temperature()}.
 *
 * <pre>{@code
 * @Navigation(targetRatio = 0.5, temperature = @Anneal(from = 1.0, to = 0.01, epochs = 50))
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Anneal {

  /** Starting temperature, in [1e-6, 1e6] (float32 logits divided by it stay finite). Default 1. */
  double from() default 1.0;

  /** Final temperature, in [1e-6, 1e6] and at most {@link #from()}. Default 0.01. */
  double to() default 0.01;

  /**
   * Epochs over which τ falls, at least 1: the trainer anneals over exactly these (its
   * {@code temperatureAnnealEpochs} overrides them, and it warns when a run ends first). Default 50 (of the
   * official 55).
   */
  int epochs() default 50;
}
