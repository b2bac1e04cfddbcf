package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.RESNET50)
@AmpleBranch
@FocalBranch
@Navigation(
    targetRatio = 0.5,
    temperature = @Anneal(
        from = 0.01,
        to = 1.0))
interface TemperatureRises {}
