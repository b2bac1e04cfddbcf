package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * AFNet's navigation modules, one per block of every adaptive stage: each decides per frame, with a
 * hard Gumbel-softmax, whether the focal branch computes it; a loss term pulls the fraction of selected
 * frames towards {@link #targetRatio()}. On the type it applies to every adaptive stage; inside
 * {@link Stage#navigation()} it overrides one stage.
 *
 * <pre>{@code
 * @Navigation(targetRatio = 0.5, lossWeight = 0.5, temperature = @Anneal(from = 1.0, to = 0.01))
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Navigation {

  /** RT in (0, 1]: the fraction of frames the focal branch should compute (0.5 = half of them). */
  double targetRatio();

  /**
   * λ in [0, 1e6], the weight of the ratio loss {@code λ·mean_l (RT − r_l)²} next to the cross-entropy. Default
   * 0.5 (the released scripts). Network-wide: set it on the type, not in a {@link Stage}.
   */
  double lossWeight() default 0.5;

  /** The Gumbel temperature schedule. Network-wide: set it on the type, not in a {@link Stage}. */
  Anneal temperature() default @Anneal;

  /**
   * false (default, the official code): each frame's keep/skip logits see only that frame; true: the
   * 2T→2T layer mixes all frames of the clip (the paper's description).
   */
  boolean mixFrames() default false;

  /** At most one {@link SpatialMask}; none (the default) selects whole frames only. */
  SpatialMask[] spatial() default {};

  /**
   * How many logits "keep" starts above "skip" in every navigation decision, finite and &gt; 0 (every
   * frame starts kept). Default 9, the official initialisation (biases 1 and 10): it keeps every frame for
   * a long time, since the ratio loss's straight-through gradient is about p(1−p)/τ ≈ 1e-4 at
   * p = sigmoid(9); the official recipe trains for 55 epochs. A margin of 1 lets runs of a few epochs learn
   * to drop frames.
   */
  double keepMargin() default OFFICIAL_KEEP_MARGIN;

  /** The official {@link #keepMargin()}: the decision bias starts at 1 for skip and 10 for keep. */
  double OFFICIAL_KEEP_MARGIN = 9;
}
