package io.saccade.examples;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** The dense TSN baseline at 12 frames: ResNet-50 on every frame (49.1 GFLOPs), the pair of {@link AfResNet50Tsm} in {@code saccade bench}. */
@VideoNetwork(frames = 12, classes = 174)
@Backbone(Backbones.RESNET50)
public interface TsnResNet50F12 {}
