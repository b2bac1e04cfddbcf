package demo;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/** AFNet on MobileNetV3-Large with temporal shift (AF in the 40- and 80-channel stages). */
@VideoNetwork(frames = 12, classes = 174)
@Backbone(value = Backbones.MOBILENET_V3_LARGE, temporalShift = true)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.4)
public interface AfMobileNetV3 {}
