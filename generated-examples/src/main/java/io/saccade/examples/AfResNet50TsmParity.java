package io.saccade.examples;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/** The configuration of the official AFNet parity fixture {@code afnet-r50-tsm-s1}: as {@link AfResNet50Parity} with TSM. */
@VideoNetwork(frames = 8, classes = 10, inputSize = 64)
@Backbone(value = Backbones.RESNET50, temporalShift = true)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
public interface AfResNet50TsmParity {}
