package bad;

import io.saccade.dsl.*;

@VideoNetwork(
    frames = 8,
    classes = 174,
    dropout = 1.0)
@Backbone(Backbones.RESNET50)
interface Dropout {}
