package bad;

import io.saccade.dsl.*;

@VideoNetwork(
    frames = 8,
    classes = 174,
    name = "NameOfType")
@Backbone(Backbones.RESNET50)
interface NameOfType {}
