package io.saccade.examples;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** The dense TSM baseline: ResNet-50 with temporal shift (45.6 % top-1 at 32.7 GFLOPs on SSv1, 8 frames). */
@VideoNetwork(frames = 8, classes = 174)
@Backbone(value = Backbones.RESNET50, temporalShift = true)
public interface TsmResNet50 {}
