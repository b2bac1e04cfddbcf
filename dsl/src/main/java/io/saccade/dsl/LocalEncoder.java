package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * AdaFocusV2's local encoder: the heavy CNN that sees only the patch the {@link PatchPolicy} chose.
 *
 * <pre>{@code
 * @LocalEncoder(backbone = Backbones.RESNET50)
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface LocalEncoder {

  /** The local CNN. */
  Backbones backbone();

  /** Whether the local CNN shifts channels between frames (TSM). Default false. */
  boolean temporalShift() default false;
}
