package io.saccade.examples.pretrained;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** MobileNetV3-Small TSN for 10 classes: an ImageNet start re-initialises its last linear layer. */
@VideoNetwork(frames = 2, classes = 10, inputSize = 64)
@Backbone(Backbones.MOBILENET_V3_SMALL)
interface TenClassMobileNetV3Small {}
