package bad;

import io.saccade.dsl.*;

/** At width 1/64 stage 1 has 4 output channels: too few for the fusion attention's 1/16 bottleneck. */
@VideoNetwork(frames = 8, classes = 174)
@Backbone(
    value = Backbones.RESNET50,
    width = 0.015625)
@AmpleBranch(channelDivisor = 1)
@FocalBranch(groups = 1)
@Navigation(targetRatio = 0.5)
interface WidthAttention {}
