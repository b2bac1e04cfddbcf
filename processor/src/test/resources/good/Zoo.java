package demo;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.Budget;
import io.saccade.dsl.VideoNetwork;

/** Declarations may be static nested types of any class. */
public class Zoo {
  @VideoNetwork(frames = 4, classes = 10, inputSize = 128)
  @Backbone(Backbones.RESNET50)
  @Budget(maxGflops = 6)
  interface Tiny {}
}
