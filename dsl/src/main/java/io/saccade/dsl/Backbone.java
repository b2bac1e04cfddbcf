package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The 2-D CNN run on every frame. Alone it declares a dense baseline: TSN (frames averaged), or TSM
 * with {@link #temporalShift()}. With {@link AmpleBranch}, {@link FocalBranch} and {@link Navigation}
 * its adaptive stages become AFNet modules.
 *
 * <pre>{@code
 * @VideoNetwork(frames = 8, classes = 174)
 * @Backbone(value = Backbones.RESNET50, temporalShift = true)     // TSM-ResNet50
 * interface TsmResNet50 {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Backbone {

  /** Which CNN. */
  Backbones value();

  /**
   * Whether every block shifts part of its input channels one frame forward and one frame back (TSM),
   * mixing time at no FLOPs. Needs at least 2 frames. Default false.
   */
  boolean temporalShift() default false;

  /**
   * With {@link #temporalShift()}: 1/{@code shiftDivisor} of the channels moves each way (TSM and AFNet
   * use 8). Must be at least 2 and leave at least one channel to shift in every block.
   */
  int shiftDivisor() default 8;
}
