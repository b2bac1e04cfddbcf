package bad;

import io.saccade.dsl.*;

@VideoNetwork(
    frames = 0,
    classes = 174)
@Backbone(Backbones.RESNET50)
interface Frames {}
