package io.saccade.examples;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/** The demo's AFNet: AFNet-TSM on a quarter-width ResNet-50 for the embedded dataset (8 classes, 8 frames of 32 px). */
@VideoNetwork(frames = 8, classes = 8, inputSize = 32, dropout = 0.2)
@Backbone(value = Backbones.RESNET50, temporalShift = true, width = 0.25)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
public interface AfDemo {}
