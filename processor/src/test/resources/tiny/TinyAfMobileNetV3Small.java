package tiny;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

@VideoNetwork(frames = 4, classes = 3, inputSize = 32)
@Backbone(value = Backbones.MOBILENET_V3_SMALL, temporalShift = true)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
interface TinyAfMobileNetV3Small {}
