package io.saccade.examples;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.GlobalEncoder;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import io.saccade.dsl.VideoNetwork;

/**
 * The configuration of the per-clip AdaFocusV2 parity fixture {@code adafocusv2-sth-s0} (the official
 * Something-Something/Jester code, {@code main.py}): MobileNetV2-TSM glance, one 96-pixel patch per clip
 * from the official MLP policy (1024 → 512), ResNet-50-TSM focus, 4 glance frames and the official int(1.5·4) = 6
 * focus frames sampled apart (input clips of 4 + 6 frames), 10 classes.
 * {@code saccade parity --fixture …/adafocusv2-sth-s0} loads the official weights into it and compares outputs.
 */
@VideoNetwork(frames = 4, classes = 10)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2, temporalShift = true)
@PatchPolicy(patchSize = 96, recurrent = false)
@LocalEncoder(backbone = Backbones.RESNET50, temporalShift = true)
public interface AdaFocusV2TsmParity {}
