package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.MOBILENET_V3_LARGE)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
@Stage(index = 1)
interface StageLayout {}
