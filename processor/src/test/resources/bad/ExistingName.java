package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
@Backbone(Backbones.RESNET50)
interface ExistingName {}

/** A hand-written class in the way of the generated one. */
class ExistingNameNetwork {}
