package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2, temporalShift = true)
@PatchPolicy(patchSize = 128, recurrent = false)
@LocalEncoder(backbone = Backbones.RESNET50, temporalShift = true,
    frames = -12)
interface LocalFrames {}
