package bad;

import io.saccade.dsl.*;

@Backbone(Backbones.RESNET50)
interface MissingNetwork {}
