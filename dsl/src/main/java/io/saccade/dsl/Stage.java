package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A per-stage override of an AFNet declaration. By default AFNet makes ResNet stages 1-3 and
 * MobileNetV3 stages 2-3 adaptive; a {@code @Stage} makes its stage adaptive ({@link #af()} true) or
 * dense ({@code af = false}), and may give it its own navigation settings. Repeatable.
 *
 * <pre>{@code
 * @Stage(index = 3, navigation = @Navigation(targetRatio = 0.25))   // sparser in the deepest AF stage
 * @Stage(index = 1, af = false)                                     // keep stage 1 dense
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(Stages.class)
public @interface Stage {

  /** The stage, numbered from 1 after the stem (ResNet: 1-4). */
  int index();

  /** Whether the stage is an AFNet module (true) or plain dense blocks (false). Default true. */
  boolean af() default true;

  /**
   * At most one {@link Navigation} for this stage: its target ratio, and frame mixing and spatial mask
   * where written (unwritten ones are the type's); none (the default) uses the type's. Loss weight and
   * temperature stay network-wide.
   */
  Navigation[] navigation() default {};
}
