package demo;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** The dense ResNet-50 TSN baseline. */
@VideoNetwork(frames = 8, classes = 174, inputSize = 224)
@Backbone(Backbones.RESNET50)
public interface TsnResNet50 {}
