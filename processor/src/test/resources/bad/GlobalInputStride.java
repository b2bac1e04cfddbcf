package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 16, classes = 200)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2, inputSize = 100)
@PatchPolicy(patchSize = 128, recurrent = true)
@LocalEncoder(backbone = Backbones.RESNET50)
interface GlobalInputStride {}
