package bad;

import io.saccade.dsl.*;

class LocalType {
  void declare() {
    @VideoNetwork(frames = 8, classes = 174)
    @Backbone(Backbones.RESNET50)
    interface Local {}
  }
}
