package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.MOBILENET_V2)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
interface AfOnMobileNetV2 {}
