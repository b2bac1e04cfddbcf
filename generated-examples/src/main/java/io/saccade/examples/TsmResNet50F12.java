package io.saccade.examples;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** The dense TSM baseline at 12 frames: ResNet-50 with temporal shift (49.1 GFLOPs), the pair of {@link AfResNet50Tsm} in {@code saccade bench}. */
@VideoNetwork(frames = 12, classes = 174)
@Backbone(value = Backbones.RESNET50, temporalShift = true)
public interface TsmResNet50F12 {}
