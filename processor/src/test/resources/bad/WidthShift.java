package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(
    value = Backbones.RESNET50,
    temporalShift = true,
    width = 0.0625)
interface WidthShift {}
