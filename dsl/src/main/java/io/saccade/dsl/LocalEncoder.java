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
 * @LocalEncoder(backbone = Backbones.RESNET50)                      // per clip: 12 focus frames for T = 8
 * @LocalEncoder(backbone = Backbones.RESNET50, frames = 8)          // per clip, T = 8: the glance's own frames
 * }</pre>
 *
 * <p>With a per-clip policy ({@code @PatchPolicy(recurrent = false)}) and {@link #frames()} Tf different
 * from the network's T, the network's input clip holds T + Tf frames: the glance's T, then the focus
 * network's Tf, each set spread over the whole video by segment sampling, as the official
 * Something-Something/Jester data loader samples its two inputs. The datasets, the exported model's
 * pre-processing and {@code saccade predict} sample clips that way when the network says so.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface LocalEncoder {

  /** The local CNN. */
  Backbones backbone();

  /** Whether the local CNN shifts channels between frames (TSM). Default false. */
  boolean temporalShift() default false;

  /** {@link #frames()} value meaning the official count: {@code int(1.5·T)} per clip, T recurrent. */
  int OFFICIAL = 0;

  /**
   * Tf, the frames the local CNN sees per clip. {@link #OFFICIAL} (the default): {@code int(1.5·T)} with a
   * per-clip policy, sampled apart from the glance's T ({@code num_segments_focuser} of the official
   * Something-Something/Jester code; 12 for T = 8), and T with the recurrent policy, whose GRU gives one
   * patch per glance frame. Per clip, any Tf ≥ 1 (≥ 2 with a temporal shift) may be declared; Tf = T
   * runs both CNNs on the same T frames (an input clip of T frames), a departure from the official code.
   * The recurrent policy takes only T.
   */
  int frames() default OFFICIAL;
}
