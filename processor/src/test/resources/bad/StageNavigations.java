package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.RESNET50)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
@Stage(index = 2, navigation = {@Navigation(targetRatio = 0.25), @Navigation(targetRatio = 0.75)})
interface StageNavigations {}
