package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * AdaFocusV2's classifier over the concatenated global and local features: a hidden layer (linear →
 * BN → ReLU), a running max over time, and one linear head per time step. Optional; without it the
 * official width 4096 is used.
 *
 * <pre>{@code
 * @Classifier(hidden = 2048)
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Classifier {

  /** Width of the hidden layer, at least 1. Default 4096 (official). */
  int hidden() default OFFICIAL_HIDDEN;

  /** The official width of the classifier's hidden layer. */
  int OFFICIAL_HIDDEN = 4096;
}
