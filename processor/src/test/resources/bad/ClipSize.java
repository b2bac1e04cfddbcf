package bad;

import io.saccade.dsl.*;

@VideoNetwork(
    frames = 100000,
    classes = 174)
@Backbone(Backbones.RESNET50)
interface ClipSize {}
