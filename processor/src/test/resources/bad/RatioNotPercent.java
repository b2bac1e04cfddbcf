package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.RESNET50)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 250)
interface RatioNotPercent {}
