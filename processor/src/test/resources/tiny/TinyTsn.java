package tiny;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

@VideoNetwork(frames = 2, classes = 3, inputSize = 32)
@Backbone(Backbones.RESNET50)
interface TinyTsn {}
