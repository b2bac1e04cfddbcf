package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * AdaFocusV2's early exit at inference: frames are processed in {@link #order()} and a clip stops as
 * soon as its prediction is confident enough (thresholds fitted after training). Costs shown at compile
 * time are for all frames.
 *
 * <pre>{@code
 * @ConditionalExit(order = FrameOrder.COARSE_TO_FINE)
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ConditionalExit {

  /** Frame processing order. Default {@link FrameOrder#COARSE_TO_FINE}. */
  FrameOrder order() default FrameOrder.COARSE_TO_FINE;
}
