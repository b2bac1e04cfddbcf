package bad;

import io.saccade.dsl.*;

/** At width 1/16 stage 1's bottleneck has 4 channels, which channelDivisor = 8 does not divide (64 does at width 1). */
@VideoNetwork(frames = 8, classes = 174)
@Backbone(
    value = Backbones.RESNET50,
    width = 0.0625)
@AmpleBranch(channelDivisor = 8)
@FocalBranch(groups = 1)
@Navigation(targetRatio = 0.5)
interface WidthAmple {}
