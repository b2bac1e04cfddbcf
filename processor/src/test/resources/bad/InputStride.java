package bad;

import io.saccade.dsl.*;

@VideoNetwork(
    frames = 8,
    classes = 174,
    inputSize = 200)
@Backbone(Backbones.RESNET50)
interface InputStride {}
