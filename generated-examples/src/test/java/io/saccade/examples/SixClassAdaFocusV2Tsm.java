package io.saccade.examples;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.GlobalEncoder;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import io.saccade.dsl.VideoNetwork;

/** {@link AdaFocusV2TsmParity} for 6 classes: a user fine-tuning the official per-clip checkpoint on their labels. */
@VideoNetwork(frames = 4, classes = 6)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2, temporalShift = true)
@PatchPolicy(patchSize = 96, recurrent = false)
@LocalEncoder(backbone = Backbones.RESNET50, temporalShift = true)
public interface SixClassAdaFocusV2Tsm {}
