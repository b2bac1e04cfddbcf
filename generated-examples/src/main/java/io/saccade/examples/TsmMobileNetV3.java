package io.saccade.examples;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** The dense TSM baseline of {@link AfMobileNetV3}: MobileNetV3-Large with temporal shift, 8 frames of 224². */
@VideoNetwork(frames = 8, classes = 174)
@Backbone(value = Backbones.MOBILENET_V3_LARGE, temporalShift = true)
public interface TsmMobileNetV3 {}
