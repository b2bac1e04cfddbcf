package bad;

import io.saccade.dsl.*;

@VideoNetwork(
    frames = 8,
    classes = 174,
    name = "my-net")
@Backbone(Backbones.RESNET50)
interface NameInvalid {}
