package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.RESNET50)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
@Stage(index = 2, navigation = @Navigation(targetRatio = 0.75))
@Stage(index = 3, navigation = @Navigation(
    targetRatio = 0.25,
    temperature = @Anneal(to = 0.001)))
interface StageOverrideRepeated {}
