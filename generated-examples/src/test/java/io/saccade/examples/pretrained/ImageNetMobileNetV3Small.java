package io.saccade.examples.pretrained;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** torchvision's mobilenet_v3_small as a TSN: 1000 classes, 2 frames of 64 px. */
@VideoNetwork(frames = 2, classes = 1000, inputSize = 64)
@Backbone(Backbones.MOBILENET_V3_SMALL)
interface ImageNetMobileNetV3Small {}
