package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * AdaFocusV2's global encoder: a light CNN that sees every whole frame (resized to
 * {@link #inputSize()}) and feeds both the classifier and the {@link PatchPolicy}.
 *
 * <pre>{@code
 * @GlobalEncoder(backbone = Backbones.MOBILENET_V2, inputSize = 224)
 * @GlobalEncoder(backbone = Backbones.RESNET50, inputSize = 96)     // the paper's other choice
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface GlobalEncoder {

  /** {@link #inputSize()} value meaning "the network's {@link VideoNetwork#inputSize()}". */
  int SAME_AS_NETWORK = 0;

  /** The global CNN. */
  Backbones backbone();

  /**
   * Side in pixels of the frames the global CNN sees, a multiple of 32, at most the network's input
   * size; {@link #SAME_AS_NETWORK} (the default) for the full input.
   */
  int inputSize() default SAME_AS_NETWORK;

  /** Whether the global CNN shifts channels between frames (TSM). Default false. */
  boolean temporalShift() default false;
}
