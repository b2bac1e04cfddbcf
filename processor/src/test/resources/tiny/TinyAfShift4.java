package tiny;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/** AFNet-TSM shifting a quarter of the channels each way (shiftDivisor = 4) instead of the official eighth. */
@VideoNetwork(frames = 3, classes = 3, inputSize = 32)
@Backbone(value = Backbones.RESNET50, temporalShift = true, shiftDivisor = 4, width = 0.25)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
interface TinyAfShift4 {}
