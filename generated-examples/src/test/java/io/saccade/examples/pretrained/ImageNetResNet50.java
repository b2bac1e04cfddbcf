package io.saccade.examples.pretrained;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** torchvision's resnet50 as a TSN: its 1000 ImageNet classes, 2 frames of 64 px (the fixture's input). */
@VideoNetwork(frames = 2, classes = 1000, inputSize = 64)
@Backbone(Backbones.RESNET50)
interface ImageNetResNet50 {}
