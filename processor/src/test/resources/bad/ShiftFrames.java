package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 1, classes = 174)
@Backbone(
    value = Backbones.RESNET50,
    temporalShift = true)
interface ShiftFrames {}
