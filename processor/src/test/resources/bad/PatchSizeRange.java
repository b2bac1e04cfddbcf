package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 16, classes = 200)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2)
@PatchPolicy(patchSize = 0, recurrent = true)
@LocalEncoder(backbone = Backbones.RESNET50)
interface PatchSizeRange {}
