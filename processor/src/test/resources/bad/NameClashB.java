package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174, name = "SharedNetwork")
@Backbone(Backbones.RESNET101)
interface NameClashB {}
