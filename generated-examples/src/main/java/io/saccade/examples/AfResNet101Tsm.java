package io.saccade.examples;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/** AFNet-TSM on ResNet-101 (the official AFNet layout [4, 8, 18, 3]): 12 frames, RT 0.4. */
@VideoNetwork(frames = 12, classes = 174)
@Backbone(value = Backbones.RESNET101, temporalShift = true)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.4)
public interface AfResNet101Tsm {}
