package bad;

import io.saccade.dsl.*;

@VideoNetwork(
    frames = 8,
    classes = 174,
    name = "var")
@Backbone(Backbones.RESNET50)
interface NameRestricted {}
