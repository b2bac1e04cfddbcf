package io.saccade.examples.tiny;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** {@link io.saccade.examples.TsmMobileNetV3}, tiny: 4 frames of 32 px, 8 classes. */
@VideoNetwork(frames = 4, classes = 8, inputSize = 32)
@Backbone(value = Backbones.MOBILENET_V3_LARGE, temporalShift = true)
interface TinyTsmMobileNetV3 {}
