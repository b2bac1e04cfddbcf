package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 12, classes = 174)
@Backbone(value = Backbones.RESNET50, temporalShift = true)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
@Budget(maxGflops = 20)
interface BudgetExceeded {}
