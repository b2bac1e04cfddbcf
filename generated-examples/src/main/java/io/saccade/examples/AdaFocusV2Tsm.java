package io.saccade.examples;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.GlobalEncoder;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import io.saccade.dsl.VideoNetwork;

/**
 * AdaFocusV2 as on Something-Something: MobileNetV2-TSM on 8 whole frames, one 128-pixel patch per clip,
 * ResNet-50-TSM on the patch of 12 frames sampled apart from the glance's (the official int(1.5·T); input clips
 * of 8 + 12 frames), global and local TSN logits summed (47.0 % top-1 on SSv1 at 18.5 GFLOPs in the paper).
 */
@VideoNetwork(frames = 8, classes = 174)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2, temporalShift = true)
@PatchPolicy(patchSize = 128, recurrent = false)
@LocalEncoder(backbone = Backbones.RESNET50, temporalShift = true)
public interface AdaFocusV2Tsm {}
