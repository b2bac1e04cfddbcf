package io.saccade.examples;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** The dense TSM baseline at 12 frames: MobileNetV3-Large with temporal shift, the pair of {@link AfMobileNetV3} in {@code saccade bench}. */
@VideoNetwork(frames = 12, classes = 174)
@Backbone(value = Backbones.MOBILENET_V3_LARGE, temporalShift = true)
public interface TsmMobileNetV3F12 {}
