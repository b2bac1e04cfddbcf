package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * AdaFocusV2's patch policy: from the global encoder's (detached) features it picks where the
 * {@link LocalEncoder} looks, a {@link #patchSize()}² crop of each frame.
 *
 * <pre>{@code
 * @PatchPolicy(patchSize = 128, recurrent = true)   // a GRU over time, one centre per frame
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PatchPolicy {

  /** Side of the square patch in pixels, at most the network's input size (the paper uses 96-176). */
  int patchSize();

  /**
   * true (default): a GRU over the frames gives one patch centre per frame (ActivityNet, FCVID,
   * Mini-Kinetics variant); false: one centre per clip from all frames at once (Something-Something
   * variant).
   */
  boolean recurrent() default true;

  /** How the patch is sampled. Default {@link Interpolation#BILINEAR}. */
  Interpolation interpolation() default Interpolation.BILINEAR;

  /** {@link #hidden()} value meaning the official width: 2048 recurrent, 1024 per clip. */
  int OFFICIAL = 0;

  /** The official width of the recurrent policy's GRU ({@code --stn_hidden_dim 2048}). */
  int OFFICIAL_RECURRENT_HIDDEN = 2048;

  /** The official first hidden width of the per-clip policy (1024, then 512). */
  int OFFICIAL_CLIP_HIDDEN = 1024;

  /**
   * Width of the policy's hidden layer: the GRU's when {@link #recurrent()} (official 2048), else the
   * first of its two MLP layers (official 1024; the second is half as wide, so at least 2).
   * {@link #OFFICIAL} (the default) for the official width.
   */
  int hidden() default OFFICIAL;
}
