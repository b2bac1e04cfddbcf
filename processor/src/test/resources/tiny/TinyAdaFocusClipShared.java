package tiny;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.GlobalEncoder;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import io.saccade.dsl.VideoNetwork;

/** TinyAdaFocusClip with its local CNN declared on the glance's own 4 frames (a departure from the official 6). */
@VideoNetwork(frames = 4, classes = 3, inputSize = 64)
@GlobalEncoder(backbone = Backbones.MOBILENET_V2, temporalShift = true)
@PatchPolicy(patchSize = 32, recurrent = false, hidden = 32)
@LocalEncoder(backbone = Backbones.RESNET50, temporalShift = true, frames = 4)
interface TinyAdaFocusClipShared {}
