package bad;

import io.saccade.dsl.*;

@VideoNetwork(
    frames = 8,
    classes = 174,
    name = "Double")
@Backbone(Backbones.RESNET50)
interface NameShadows {}
