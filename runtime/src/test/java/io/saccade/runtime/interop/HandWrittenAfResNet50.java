package io.saccade.runtime.interop;

import io.saccade.runtime.blocks.AfStage;
import io.saccade.runtime.blocks.AfStageSpec;
import io.saccade.runtime.blocks.BottleneckSpec;
import io.saccade.runtime.blocks.Heads;
import io.saccade.runtime.blocks.NavigationSpec;
import io.saccade.runtime.blocks.ResNet;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** AFNet-ResNet50 written by hand from the blocks, as the processor would generate it; for runtime tests. */
final class HandWrittenAfResNet50 implements VideoModel {
  private final int frames;
  private final int classes;
  private final int size;
  private final boolean tsm;

  HandWrittenAfResNet50(int frames, int classes, int size, boolean tsm) {
    this.frames = frames;
    this.classes = classes;
    this.size = size;
    this.tsm = tsm;
  }

  @Override
  public String name() {
    return "HandWrittenAfResNet50";
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

  @Override
  public ModelOutputs build(BuildContext ctx, Operand<TFloat32> clips, Operand<TFloat32> temperature) {
    Map<String, Operand<TFloat32>> endpoints = new LinkedHashMap<>();
    Operand<TFloat32> x = ResNet.stem(ctx.child("stem"), Heads.foldFrames(ctx.tf(), clips));
    endpoints.put("stem", x);
    List<ModelOutputs.Selection> selections = new ArrayList<>();
    Operand<TFloat32> gflops = ctx.tf().constant(0f);
    int[][] cfg = {{3, 64, 256, 2}, {4, 256, 512, 2}, {6, 512, 1024, 1}};
    for (int s = 0; s < 3; s++) {
      AfStage.Result r =
          AfStage.build(
              ctx.child("stage" + (s + 1)),
              x,
              new AfStageSpec(cfg[s][0], cfg[s][1], cfg[s][2], 2, 2, cfg[s][3], frames, tsm, NavigationSpec.official(0.5f)),
              temperature);
      x = r.output();
      endpoints.put("stage" + (s + 1), x);
      selections.addAll(r.selections());
      gflops = ctx.tf().math.add(gflops, r.gflops());
    }
    for (int b = 0; b < 3; b++) {
      BottleneckSpec spec =
          BottleneckSpec.of(512, 2048).withShortcut(BottleneckSpec.Shortcut.AVG_POOL_CONV).withStride(b == 0 ? 2 : 1);
      x = ResNet.bottleneck(ctx.child("stage4").child("block" + b), x, tsm ? spec.withTemporalShift(frames) : spec);
    }
    endpoints.put("stage4", x);
    Heads.Logits logits = Heads.tsn(ctx.child("head"), x, frames, classes, 0.5f);
    return new ModelOutputs(logits.clipLogits(), logits.frameLogits(), selections, gflops, Map.of(), endpoints);
  }
}
