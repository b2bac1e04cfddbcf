package io.saccade.examples;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Anneal;
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
@Navigation(targetRatio = 0.5, temperature = @Anneal(epochs = 11))   // the demo trains 12 epochs: anneal over 11, as 50 of the official 55
public interface AfDemo {}
