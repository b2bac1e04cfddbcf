package io.saccade.examples;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.Classifier;
import io.saccade.dsl.ConditionalExit;
import io.saccade.dsl.GlobalEncoder;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import io.saccade.dsl.VideoNetwork;

/**
 * The configuration of the official AdaFocusV2 parity fixture {@code adafocusv2-mk-s0}: the recurrent
 * (Mini-Kinetics) code with a MobileNetV2 glance, 128-pixel patches, a ResNet-50 focus, 16 frames in the
 * coarse-to-fine order of its conditional exit, 200 classes, and the official {@code --stn_hidden_dim 256}
 * the fixture was made with (the released checkpoints use 2048, {@link AdaFocusV2MiniKinetics}).
 * {@code saccade parity --fixture …/adafocusv2-mk-s0} loads the official weights into it and compares outputs.
 */
@VideoNetwork(frames = 16, classes = 200, dropout = 0.2)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2)
@PatchPolicy(patchSize = 128, hidden = 256)
@LocalEncoder(backbone = Backbones.RESNET50)
@Classifier(hidden = 4096)
@ConditionalExit
public interface AdaFocusV2MiniKineticsParity {}
