package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 16, classes = 200)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2)
@PatchPolicy(patchSize = 128, recurrent = false)
@LocalEncoder(backbone = Backbones.RESNET50)
@Classifier(hidden = 2048)
interface ClassifierNotRecurrent {}
