package io.saccade.examples.tiny;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** A tiny twin of the example of the same family (quarter width, 4 frames of 32 px) for fast tests. */
@VideoNetwork(frames = 4, classes = 4, inputSize = 32, dropout = 0.2)
@Backbone(value = Backbones.RESNET50, temporalShift = false, width = 0.25)
interface TinyTsnResNet50 {}
