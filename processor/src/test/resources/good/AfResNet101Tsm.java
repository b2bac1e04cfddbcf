package demo;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/** AFNet on ResNet-101 with temporal shift: the ResNet-50 declaration with one value swapped. */
@VideoNetwork(frames = 12, classes = 174)
@Backbone(value = Backbones.RESNET101, temporalShift = true)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.4)
public interface AfResNet101Tsm {}
