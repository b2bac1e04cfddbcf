package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * AFNet's spatial-redundancy extension: the navigation module also emits a mask over the positions
 * of each selected frame, trained towards its own target ratio RS. Used only inside
 * {@link Navigation#spatial()}.
 *
 * <pre>{@code
 * @Navigation(targetRatio = 0.5, spatial = @SpatialMask(targetRatio = 0.5))
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface SpatialMask {

  /** RS in (0, 1]: the fraction of positions of a selected frame the focal branch computes. */
  double targetRatio();
}
