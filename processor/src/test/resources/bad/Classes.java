package bad;

import io.saccade.dsl.*;

@VideoNetwork(
    frames = 8,
    classes = 0)
@Backbone(Backbones.RESNET50)
interface Classes {}
