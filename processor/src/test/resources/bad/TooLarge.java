package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 16, classes = 2000000000)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2)
@PatchPolicy(patchSize = 128)
@LocalEncoder(backbone = Backbones.RESNET50)
@Classifier(hidden = 2000000000)
interface TooLarge {}
