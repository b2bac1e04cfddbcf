package demo;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** A small dense baseline. */
@VideoNetwork(frames = 8, classes = 27, inputSize = 160)
@Backbone(Backbones.MOBILENET_V3_SMALL)
public interface TsnMobileNetV3Small {}
