package io.saccade.examples;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.Classifier;
import io.saccade.dsl.ConditionalExit;
import io.saccade.dsl.GlobalEncoder;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import io.saccade.dsl.VideoNetwork;

/**
 * AdaFocusV2 in its ActivityNet / Mini-Kinetics form on the embedded dataset: a GRU policy picks a 32-pixel
 * patch per frame, a running max over time feeds one classifier per step, and the conditional exit stops
 * early on confident clips ({@code saccade eval} prints its accuracy vs GFLOPs curve). The running max does
 * not see the order of the frames, which the embedded dataset's labels depend on, so it stays near the
 * order-blind ceiling of about 50 % top-1 there; {@link FocusDemo} is the order-aware form.
 */
@VideoNetwork(frames = 8, classes = 8, inputSize = 64, dropout = 0.2)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2, inputSize = 32)
@PatchPolicy(patchSize = 32, hidden = 128)
@LocalEncoder(backbone = Backbones.MOBILENET_V3_SMALL)
@Classifier(hidden = 128)
@ConditionalExit
public interface FocusExitDemo {}
