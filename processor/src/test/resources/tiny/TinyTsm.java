package tiny;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

@VideoNetwork(frames = 3, classes = 3, inputSize = 32)
@Backbone(value = Backbones.RESNET50, temporalShift = true)
interface TinyTsm {}
