package io.saccade.examples;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.Classifier;
import io.saccade.dsl.ConditionalExit;
import io.saccade.dsl.GlobalEncoder;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import io.saccade.dsl.VideoNetwork;

/**
 * AdaFocusV2 as on Mini-Kinetics: MobileNetV2 glances at whole 224² frames, a GRU policy picks a 128-pixel
 * patch per frame, ResNet-50 looks at it; conditional exit in coarse-to-fine order (75.4 % top-1 at
 * 27.0 GFLOPs in the paper, 72.3 % at 6.3 GFLOPs with the exit).
 */
@VideoNetwork(frames = 16, classes = 200, dropout = 0.2)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2)
@PatchPolicy(patchSize = 128)
@LocalEncoder(backbone = Backbones.RESNET50)
@Classifier(hidden = 4096)
@ConditionalExit
public interface AdaFocusV2MiniKinetics {}
