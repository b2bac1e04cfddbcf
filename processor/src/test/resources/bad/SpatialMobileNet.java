package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(value = Backbones.MOBILENET_V3_LARGE, temporalShift = true)
@AmpleBranch
@FocalBranch
@Navigation(
    targetRatio = 0.5,
    spatial = @SpatialMask(targetRatio = 0.5))
interface SpatialMobileNet {}
