package io.saccade.examples;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** The dense TSN baseline: MobileNetV3-Large on each of 8 frames, averaged (no temporal modelling). */
@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.MOBILENET_V3_LARGE)
public interface TsnMobileNetV3 {}
