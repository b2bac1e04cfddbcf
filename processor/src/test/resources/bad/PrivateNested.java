package bad;

import io.saccade.dsl.*;

class PrivateNested {
  @VideoNetwork(frames = 8, classes = 174)
  @Backbone(Backbones.RESNET50)
  private interface Hidden {}
}
