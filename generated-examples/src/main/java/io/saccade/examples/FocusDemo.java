package io.saccade.examples;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.GlobalEncoder;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import io.saccade.dsl.VideoNetwork;

/**
 * AdaFocusV2 sized for the embedded dataset, in its Something-Something form (the labels depend on the
 * order of the frames, so both encoders shift channels in time): 8 frames of 64 px, 8 classes; MobileNetV2-TSM
 * glances at each frame shrunk to 32 px, one 32-pixel patch per clip, MobileNetV3-Small-TSM looks at it on 12
 * focus frames sampled apart from the glance's 8 (the official int(1.5·T); input clips of 8 + 12 frames).
 * {@code saccade train -n FocusDemo}.
 */
@VideoNetwork(frames = 8, classes = 8, inputSize = 64, dropout = 0.2)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2, inputSize = 32, temporalShift = true)
@PatchPolicy(patchSize = 32, recurrent = false, hidden = 128)
@LocalEncoder(backbone = Backbones.MOBILENET_V3_SMALL, temporalShift = true)
public interface FocusDemo {}
