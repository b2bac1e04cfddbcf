package io.saccade.runtime.interop;

import io.saccade.runtime.blocks.AfStage;
import io.saccade.runtime.blocks.Heads;
import io.saccade.runtime.blocks.MobileNetAfStage;
import io.saccade.runtime.blocks.MobileNetAfStageSpec;
import io.saccade.runtime.blocks.MobileNetInvertedResidualSpec;
import io.saccade.runtime.blocks.MobileNetV3;
import io.saccade.runtime.blocks.NavigationSpec;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The official AF-MobileNetV3 (TSM always on, {@code AF_MobileNetv3.py}) built from the runtime's blocks:
 * the reference {@code saccade parity} checks the official MobileNet fixtures against, until the
 * processor generates AF-MobileNetV3 builds. Stages: stem, stage0 ({@code features_head}), stage1, AF stages 2 and 3,
 * stage4, stage5, last conv, head ({@code fc}: Linear → h-swish → Dropout → Linear).
 */
public final class OfficialAfMobileNetV3 implements VideoModel {
  private final int frames;
  private final int classes;
  private final int size;

  /** The official model at {@code frames} × {@code size}², {@code classes} classes. */
  public OfficialAfMobileNetV3(int frames, int classes, int size) {
    this.frames = frames;
    this.classes = classes;
    this.size = size;
  }

  @Override
  public String name() {
    return "OfficialAfMobileNetV3";
  }

  @Override
  public int frames() {
    return frames;
  }

  @Override
  public int classes() {
    return classes;
  }

  @Override
  public int inputSize() {
    return size;
  }

  @Override
  public ModelSummary summary() {
    return ModelSummary.builder(name(), frames, size).build();
  }

  /** GFLOPs per clip of everything outside the AF stages, the official counter's terms. */
  long denseFlopsPerClip() {
    int s = MobileNetV3.stemOutputSize(size);
    long flops = MobileNetV3.stemFlops(size, MobileNetV3.STEM_CHANNELS);
    int c = MobileNetV3.STEM_CHANNELS;
    for (int stage : new int[] {0, 1}) {
      List<MobileNetInvertedResidualSpec> blocks = MobileNetV3.afDenseStage(stage, frames);
      flops += MobileNetV3.featuresFlops(c, s, blocks);
      s = MobileNetV3.outputSize(s, blocks);
      c = blocks.get(blocks.size() - 1).out();
    }
    NavigationSpec nav = NavigationSpec.official(0.5f);
    s = MobileNetAfStage.outputSize(s, MobileNetAfStageSpec.officialStage2(frames, nav));
    s = MobileNetAfStage.outputSize(s, MobileNetAfStageSpec.officialStage3(frames, nav));
    c = 80;
    for (int stage : new int[] {4, 5}) {
      List<MobileNetInvertedResidualSpec> blocks = MobileNetV3.afDenseStage(stage, frames);
      flops += MobileNetV3.featuresFlops(c, s, blocks);
      s = MobileNetV3.outputSize(s, blocks);
      c = blocks.get(blocks.size() - 1).out();
    }
    flops += MobileNetV3.lastConvFlops(c, MobileNetV3.LARGE_LAST_CHANNELS, s);
    flops += MobileNetV3.classifierFlops(MobileNetV3.LARGE_LAST_CHANNELS, MobileNetV3.LARGE_HIDDEN, classes);
    return flops * frames;
  }

  @Override
  public ModelOutputs build(BuildContext ctx, Operand<TFloat32> clips, Operand<TFloat32> temperature) {
    Ops tf = ctx.tf();
    Map<String, Operand<TFloat32>> endpoints = new LinkedHashMap<>();
    Operand<TFloat32> x = MobileNetV3.stem(ctx.child("stem"), Heads.foldFrames(tf, clips));
    endpoints.put("stem", x);
    x = MobileNetV3.features(ctx.child("stage0"), x, MobileNetV3.afDenseStage(0, frames));
    x = MobileNetV3.features(ctx.child("stage1"), x, MobileNetV3.afDenseStage(1, frames));
    List<ModelOutputs.Selection> selections = new ArrayList<>();
    NavigationSpec nav = NavigationSpec.official(0.5f);
    Operand<TFloat32> gflops = tf.constant((float) (denseFlopsPerClip() / 1e9));
    for (MobileNetAfStageSpec spec :
        List.of(MobileNetAfStageSpec.officialStage2(frames, nav), MobileNetAfStageSpec.officialStage3(frames, nav))) {
      String name = spec.inChannels() == 24 ? "stage2" : "stage3";
      AfStage.Result r = MobileNetAfStage.build(ctx.child(name), x, spec, temperature);
      x = r.output();
      endpoints.put(name, x);
      selections.addAll(r.selections());
      gflops = tf.math.add(gflops, r.gflops());
    }
    x = MobileNetV3.features(ctx.child("stage4"), x, MobileNetV3.afDenseStage(4, frames));
    x = MobileNetV3.features(ctx.child("stage5"), x, MobileNetV3.afDenseStage(5, frames));
    x = MobileNetV3.lastConv(ctx.child("last"), x, MobileNetV3.LARGE_LAST_CHANNELS);
    Heads.Logits logits = MobileNetV3.classifier(ctx.child("head"), x, frames, MobileNetV3.LARGE_HIDDEN, classes, 0.5f);
    return new ModelOutputs(logits.clipLogits(), logits.frameLogits(), selections, gflops, Map.of(), endpoints);
  }
}
