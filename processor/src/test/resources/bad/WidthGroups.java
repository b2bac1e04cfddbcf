package bad;

import io.saccade.dsl.*;

/** groups = 8 fits every stage at width 1, but a 4-channel stem at width 0.0625 does not. */
@VideoNetwork(frames = 8, classes = 174)
@Backbone(
    value = Backbones.RESNET50,
    width = 0.0625)
@AmpleBranch
@FocalBranch(groups = 8)
@Navigation(targetRatio = 0.5)
interface WidthGroups {}
