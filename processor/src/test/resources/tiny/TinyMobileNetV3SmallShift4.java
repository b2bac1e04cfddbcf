package tiny;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** TSM-MobileNetV3-Small shifting a quarter of the channels each way. */
@VideoNetwork(frames = 2, classes = 3, inputSize = 32)
@Backbone(value = Backbones.MOBILENET_V3_SMALL, temporalShift = true, shiftDivisor = 4)
interface TinyMobileNetV3SmallShift4 {}
