package io.saccade.examples.tiny;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.GlobalEncoder;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import io.saccade.dsl.VideoNetwork;

/**
 * {@link io.saccade.examples.AdaFocusV2Tsm}, tiny: 4 glance frames of 64 px, one 32-pixel patch per clip on the
 * official int(1.5·4) = 6 focus frames sampled apart (input clips of 4 + 6 frames), small widths.
 */
@VideoNetwork(frames = 4, classes = 8, inputSize = 64, dropout = 0.2)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2, inputSize = 32, temporalShift = true)
@PatchPolicy(patchSize = 32, recurrent = false, hidden = 32)
@LocalEncoder(backbone = Backbones.MOBILENET_V3_SMALL, temporalShift = true)
interface TinyAdaFocusV2Tsm {}
