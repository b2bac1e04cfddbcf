package bad;

import io.saccade.dsl.*;

/** ResNet-50's narrowest block input has 64 channels: a divisor of 128 leaves none to shift. */
@VideoNetwork(frames = 8, classes = 174)
@Backbone(
    value = Backbones.RESNET50,
    temporalShift = true,
    shiftDivisor = 128)
interface ShiftDivisorChannels {}
