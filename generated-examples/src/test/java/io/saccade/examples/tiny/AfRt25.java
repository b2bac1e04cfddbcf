package io.saccade.examples.tiny;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Anneal;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/** A tiny AFNet-TSM with target ratio 0.25, for the test that the selection follows RT. */
@VideoNetwork(frames = 4, classes = 4, inputSize = 32, dropout = 0.2)
@Backbone(value = Backbones.RESNET50, temporalShift = true, width = 0.25)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.25, lossWeight = 2.0, temperature = @Anneal(from = 1.0, to = 0.1, epochs = 3),
    keepMargin = 1)
interface AfRt25 {}
