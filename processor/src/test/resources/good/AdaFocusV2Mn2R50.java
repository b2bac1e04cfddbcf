package demo;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.Classifier;
import io.saccade.dsl.ConditionalExit;
import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.GlobalEncoder;
import io.saccade.dsl.Interpolation;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import io.saccade.dsl.VideoNetwork;

/** AdaFocusV2 as on Mini-Kinetics: MobileNetV2 sees whole frames, ResNet-50 sees 128-pixel patches. */
@VideoNetwork(frames = 16, classes = 200)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2, inputSize = 224)
@PatchPolicy(patchSize = 128, recurrent = true, interpolation = Interpolation.BILINEAR)
@LocalEncoder(backbone = Backbones.RESNET50)
@Classifier(hidden = 4096)
@ConditionalExit(order = FrameOrder.COARSE_TO_FINE)
public interface AdaFocusV2Mn2R50 {}
