package io.saccade.examples;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/** AFNet-TSM on ResNet-50: 12 frames of 224², RT 0.4 (49.0 % top-1 at 27.9 GFLOPs on SSv1 in the paper). */
@VideoNetwork(frames = 12, classes = 174)
@Backbone(value = Backbones.RESNET50, temporalShift = true)
@AmpleBranch(channelDivisor = 2)
@FocalBranch(groups = 2)
@Navigation(targetRatio = 0.4, lossWeight = 0.5)
public interface AfResNet50Tsm {}
