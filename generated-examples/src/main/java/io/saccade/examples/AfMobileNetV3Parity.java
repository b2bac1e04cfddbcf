package io.saccade.examples;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/**
 * The configuration of the official AFNet parity fixture {@code afnet-mbv3-s3}: AF_mobilenetv3 (TSM always
 * on), 8 frames, 10 classes, 96 px. {@code saccade parity --fixture …/afnet-mbv3-s3} loads the official
 * weights into it and compares outputs.
 */
@VideoNetwork(frames = 8, classes = 10, inputSize = 96)
@Backbone(value = Backbones.MOBILENET_V3_LARGE, temporalShift = true)
@AmpleBranch
@FocalBranch
@Navigation(targetRatio = 0.5)
public interface AfMobileNetV3Parity {}
