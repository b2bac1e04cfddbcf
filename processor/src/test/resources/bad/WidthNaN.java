package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(value = Backbones.RESNET50, width = Double.NaN)
interface WidthNaN {}
