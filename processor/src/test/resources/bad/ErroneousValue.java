package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.RESNET5)
interface ErroneousValue {}
