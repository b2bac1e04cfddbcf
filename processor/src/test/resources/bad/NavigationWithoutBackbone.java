package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
interface NavigationWithoutBackbone {}
