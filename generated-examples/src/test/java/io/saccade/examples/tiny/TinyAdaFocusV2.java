package io.saccade.examples.tiny;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.Classifier;
import io.saccade.dsl.ConditionalExit;
import io.saccade.dsl.GlobalEncoder;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import io.saccade.dsl.VideoNetwork;

/** {@link io.saccade.examples.AdaFocusV2MiniKinetics}, tiny: 4 frames of 64 px, 32-pixel patches, small widths. */
@VideoNetwork(frames = 4, classes = 8, inputSize = 64, dropout = 0.2)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2, inputSize = 32)
@PatchPolicy(patchSize = 32, hidden = 32)
@LocalEncoder(backbone = Backbones.MOBILENET_V3_SMALL)
@Classifier(hidden = 32)
@ConditionalExit
interface TinyAdaFocusV2 {}
