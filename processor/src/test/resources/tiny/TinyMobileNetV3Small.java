package tiny;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

@VideoNetwork(frames = 4, classes = 3, inputSize = 32)
@Backbone(Backbones.MOBILENET_V3_SMALL)
interface TinyMobileNetV3Small {}
