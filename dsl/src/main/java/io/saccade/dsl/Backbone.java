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
 *
 * @VideoNetwork(frames = 4, classes = 10, inputSize = 32)
 * @Backbone(value = Backbones.RESNET50, width = 0.25)             // a quarter of the channels
 * interface SmallTsn {}
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
   * use 8; 4 moves a quarter back and a quarter forward). Must be at least 2 and leave at least one channel
   * to shift in every block. Default 8.
   */
  int shiftDivisor() default 8;

  /**
   * Width multiplier of a ResNet, for small networks: the stem gets 64·width channels and every stage's
   * bottleneck and output widths are multiplied by it. {@code width = 0.25} gives a 16-channel stem and
   * stage outputs of 64, 128, 256 and 512 channels, about 1/16 of the parameters and FLOPs. Every channel
   * count must stay a whole number (64·width an integer, e.g. 0.25, 0.5, 0.75, 1.5) and, for AFNet, still
   * fit the ample divisor, the focal groups and the fusion attention. The official AF_ResNet's
   * {@code width} scales stages 1–3 only; Saccade scales the stem and all four stages. MobileNets: 1
   * only. Default 1 (the published widths).
   */
  double width() default 1.0;
}
