package io.saccade.examples.pretrained;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** ResNet-50 TSN for 10 classes: an ImageNet start re-initialises its classifier. */
@VideoNetwork(frames = 2, classes = 10, inputSize = 64)
@Backbone(Backbones.RESNET50)
interface TenClassResNet50 {}
