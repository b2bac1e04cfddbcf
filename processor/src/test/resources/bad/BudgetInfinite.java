package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.RESNET50)
@Budget(maxGflops = Double.POSITIVE_INFINITY)
interface BudgetInfinite {}
