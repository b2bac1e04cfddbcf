package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(
    value = Backbones.MOBILENET_V3_LARGE,
    width = 0.5)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
interface WidthMobileNet {}
