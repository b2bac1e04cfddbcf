package io.saccade.dsl;

/**
 * The 2-D CNNs a network can be built on; swap one for another by changing one annotation value.
 * Stages are numbered from 1 after the stem, as in the AFNet paper; every backbone has a total stride
 * of 32 (a 224-pixel frame ends as a 7×7 map).
 *
 * <pre>{@code
 * @Backbone(Backbones.RESNET101)            // was RESNET50: nothing else changes
 * }</pre>
 */
public enum Backbones {
  /**
   * ResNet-50 (bottleneck blocks [3, 4, 6, 3], 25.6 M parameters, 4.1 GFLOPs per 224² frame).
   * Stages 1-4 with 256, 512, 1024, 2048 channels; AFNet stages 1-3 by default.
   */
  RESNET50,
  /**
   * ResNet-101 (bottleneck blocks [3, 4, 23, 3], 44.5 M parameters, 7.8 GFLOPs per 224² frame).
   * Stages 1-4 with 256, 512, 1024, 2048 channels; AFNet stages 1-3 by default, laid out as the official
   * AFNet code does with blocks [4, 8, 18, 3].
   */
  RESNET101,
  /**
   * MobileNetV3-Large (5.5 M parameters, 0.22 GFLOPs per 224² frame). Stages 1-5 are the runs of
   * inverted-residual blocks with 24, 40, 80, 112 and 160 channels (the first 16-channel block belongs
   * to the stem); AFNet stages 2 and 3 (40 and 80 channels) by default, as in the official code.
   */
  MOBILENET_V3_LARGE,
  /**
   * MobileNetV3-Small (2.5 M parameters, 0.06 GFLOPs per 224² frame). Stages 1-4 have 24, 40, 48 and
   * 96 channels (the first 16-channel block belongs to the stem); AFNet stages 2 and 3 by default.
   */
  MOBILENET_V3_SMALL,
  /**
   * MobileNetV2 (3.5 M parameters, 0.30 GFLOPs per 224² frame), AdaFocusV2's usual global encoder.
   * Stages 1-6 have 24, 32, 64, 96, 160 and 320 channels. Dense only: no AFNet layout.
   */
  MOBILENET_V2
}
