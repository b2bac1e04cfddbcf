package io.saccade.examples;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/**
 * The dense TSN baseline at 16 frames and Mini-Kinetics' 200 classes: ResNet-50 on every 224² frame (65.4 GFLOPs),
 * the pair of {@link AdaFocusV2MiniKinetics} in {@code saccade bench}.
 */
@VideoNetwork(frames = 16, classes = 200)
@Backbone(Backbones.RESNET50)
public interface TsnResNet50F16 {}
