package bad;

import io.saccade.dsl.*;

@VideoNetwork(
    frames = 8,
    classes = 174,
    dropout = 0.99999999999)
@Backbone(Backbones.RESNET50)
interface DropoutRounding {}
