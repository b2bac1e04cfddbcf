package com.example.video;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/** An AFNet for 8-frame clips of 32×32 pixels and 10 classes: a quarter-width ResNet-50 with TSM. */
@VideoNetwork(frames = 8, classes = 10, inputSize = 32)
@Backbone(value = Backbones.RESNET50, temporalShift = true, width = 0.25)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
public interface MotionNet {}
