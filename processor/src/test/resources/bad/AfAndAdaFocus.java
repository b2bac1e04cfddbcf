package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.RESNET50)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2)
@PatchPolicy(patchSize = 128)
@LocalEncoder(backbone = Backbones.RESNET50)
interface AfAndAdaFocus {}
