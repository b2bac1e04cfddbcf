package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2)
@PatchPolicy(patchSize = 128, recurrent = false)
@LocalEncoder(backbone = Backbones.RESNET50,
    frames = 20000)
interface LocalFramesClipSize {}
