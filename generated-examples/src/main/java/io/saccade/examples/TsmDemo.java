package io.saccade.examples;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** The demo's dense baseline: TSM on ResNet-50, same input as {@link AfDemo}. */
@VideoNetwork(frames = 8, classes = 8, inputSize = 32, dropout = 0.2)
@Backbone(value = Backbones.RESNET50, temporalShift = true, width = 0.25)
public interface TsmDemo {}
