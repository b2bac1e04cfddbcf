package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.RESNET50)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
@Stage(index = 1, af = false)
@Stage(index = 2, af = false)
@Stage(index = 3, af = false)
interface NoAdaptiveStage {}
