package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a video-recognition network: what every Saccade declaration starts with. The processor
 * generates a {@code final} class named {@code <Type>Network} (or {@link #name()}) in the same package,
 * implementing the runtime's {@code VideoModel}.
 *
 * <pre>{@code
 * @VideoNetwork(frames = 8, classes = 174, inputSize = 224)
 * @Backbone(Backbones.RESNET50)
 * public interface TsnResNet50 {}          // generates TsnResNet50Network
 * }</pre>
 *
 * <p>Clips are {@code [N, frames, inputSize, inputSize, 3]} (NHWC frames). The network family follows
 * from the other annotations: {@link Backbone} alone is a dense 2-D CNN applied to every frame (TSN, or
 * TSM with a temporal shift); adding {@link AmpleBranch}, {@link FocalBranch} and {@link Navigation}
 * makes it AFNet; {@link GlobalEncoder}, {@link PatchPolicy} and {@link LocalEncoder} make it AdaFocusV2.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface VideoNetwork {

  /**
   * Frames per clip T, at least 1 (at least 2 with navigation or a temporal shift); a clip,
   * {@code frames · inputSize² · 3} values, must fit one Java array.
   */
  int frames();

  /** Number of classes the network predicts, at least 1. */
  int classes();

  /**
   * Side of the square input frame in pixels; the backbone's total stride (32) must divide it.
   * Default 224.
   */
  int inputSize() default 224;

  /**
   * Simple name of the generated class; empty (the default) for {@code <Type>Network}. Must be a Java
   * identifier.
   */
  String name() default "";

  /** Dropout rate before the classifier in training, in [0, 1). Default 0.5 (the official recipes). */
  double dropout() default 0.5;
}
