package demo;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** The dense TSM baseline: ResNet-50 with a temporal shift in every block. */
@VideoNetwork(frames = 8, classes = 174)
@Backbone(value = Backbones.RESNET50, temporalShift = true)
public interface TsmResNet50 {}
