package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * AFNet's ample branch: every frame, at reduced resolution and (for ResNets) reduced width, so the
 * network always "looks" at the whole clip cheaply. Part of an AFNet declaration together with
 * {@link FocalBranch} and {@link Navigation}.
 *
 * <pre>{@code
 * @AmpleBranch(channelDivisor = 2, resolutionStride = 2)   // ResNet: out/2 channels, half resolution
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AmpleBranch {

  /** {@link #channelDivisor()} value that picks the backbone's official divisor. */
  int OFFICIAL = 0;

  /**
   * α: the ample blocks have out/α channels. {@link #OFFICIAL} (the default) means 2 for ResNets and 1
   * for MobileNetV3 (whose official ample branch keeps the focal channels).
   */
  int channelDivisor() default OFFICIAL;

  /** How much smaller the ample branch's feature maps are than the focal branch's. Only 2 for now. */
  int resolutionStride() default 2;
}
