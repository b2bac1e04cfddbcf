package io.saccade.examples;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/**
 * The configuration of the official AFNet parity fixture {@code afnet-r50-s0}: AF_resnet50 without
 * temporal shift, 8 frames, 10 classes, 64 px. {@code saccade parity --fixture …/afnet-r50-s0} loads
 * the official weights into it and compares outputs.
 */
@VideoNetwork(frames = 8, classes = 10, inputSize = 64)
@Backbone(Backbones.RESNET50)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
public interface AfResNet50Parity {}
