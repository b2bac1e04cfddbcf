package bad;

import io.saccade.dsl.*;

class InnerClass {
  @VideoNetwork(frames = 8, classes = 174)
  @Backbone(Backbones.RESNET50)
  class Inner {}
}
