package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.RESNET50)
@AmpleBranch(channelDivisor = -2)
@FocalBranch
@Navigation(targetRatio = 0.5)
interface AmpleChannelsRange {}
