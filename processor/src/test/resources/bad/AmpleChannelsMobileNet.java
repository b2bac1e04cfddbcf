package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.MOBILENET_V3_LARGE)
@AmpleBranch(channelDivisor = 2)
@FocalBranch
@Navigation(targetRatio = 0.5)
interface AmpleChannelsMobileNet {}
