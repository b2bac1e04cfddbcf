package io.saccade.examples;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** The dense TSN baseline: ResNet-50 on every frame, predictions averaged (32.7 GFLOPs at 8 frames). */
@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.RESNET50)
public interface TsnResNet50 {}
