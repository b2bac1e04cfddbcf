package io.saccade.examples;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/**
 * AFNet-TSM on MobileNetV3-Large: 12 frames of 224², RT 0.4, AF in the 40- and 80-channel stages as the
 * official code (45.3 % top-1 at 2.2 GFLOPs on SSv1 in the paper). The ample branch keeps the channels
 * ({@code channelDivisor} 1, the MobileNet default).
 */
@VideoNetwork(frames = 12, classes = 174)
@Backbone(value = Backbones.MOBILENET_V3_LARGE, temporalShift = true)
@AmpleBranch
@FocalBranch(groups = 2)
@Navigation(targetRatio = 0.4, lossWeight = 0.5)
public interface AfMobileNetV3 {}
