package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * AFNet's focal branch: full resolution and full width, with grouped convolutions, computed only for
 * the frames the {@link Navigation} module selects (at inference the others are really skipped).
 *
 * <pre>{@code
 * @FocalBranch(groups = 2)     // the official setting
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface FocalBranch {

  /**
   * Groups of the focal convolutions (ResNet: all three convs of a bottleneck; MobileNetV3: the
   * pointwise and shortcut convs). Must divide the channels of every focal layer. Default 2.
   */
  int groups() default 2;
}
