package io.saccade.examples.tiny;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/** {@link io.saccade.examples.AfMobileNetV3}, tiny: 4 frames of 32 px, 8 classes. */
@VideoNetwork(frames = 4, classes = 8, inputSize = 32)
@Backbone(value = Backbones.MOBILENET_V3_LARGE, temporalShift = true)
@AmpleBranch
@FocalBranch(groups = 2)
@Navigation(targetRatio = 0.4, lossWeight = 0.5)
interface TinyAfMobileNetV3 {}
