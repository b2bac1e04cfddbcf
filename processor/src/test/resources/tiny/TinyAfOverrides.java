package tiny;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.SpatialMask;
import io.saccade.dsl.Stage;
import io.saccade.dsl.VideoNetwork;

@VideoNetwork(frames = 2, classes = 3, inputSize = 32)
@Backbone(value = Backbones.RESNET101, width = 0.25)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5, mixFrames = true)
@Stage(index = 1, af = false)
@Stage(index = 3, navigation = @Navigation(targetRatio = 0.25, spatial = @SpatialMask(targetRatio = 0.5)))
interface TinyAfOverrides {}
