package io.saccade.runtime.train;

import io.saccade.runtime.blocks.AfStage;
import io.saccade.runtime.blocks.AfStageSpec;
import io.saccade.runtime.blocks.Heads;
import io.saccade.runtime.blocks.NavigationSpec;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.NavigationTraining;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.Activations;
import io.saccade.runtime.nn.BatchNorm;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Conv2d;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A small AFNet (conv stem, one AF stage, TSN head) for trainer tests: 4 frames of 16 px. */
public final class TinyAfModel implements VideoModel {
  public static final int FRAMES = 4;
  public static final int SIZE = 16;
  private final int classes;

  public TinyAfModel(int classes) {
    this.classes = classes;
  }

  @Override
  public String name() {
    return "TinyAf";
  }

  @Override
  public int frames() {
    return FRAMES;
  }

  @Override
  public int classes() {
    return classes;
  }

  @Override
  public int inputSize() {
    return SIZE;
  }

  @Override
  public ModelSummary summary() {
    return ModelSummary.builder(name(), FRAMES, SIZE).build();
  }

  @Override
  public NavigationTraining navigationTraining() {
    return new NavigationTraining(0.5, 1.0, 0.01, 2);
  }

  @Override
  public ModelOutputs build(BuildContext ctx, Operand<TFloat32> clips, Operand<TFloat32> temperature) {
    Operand<TFloat32> x = Heads.foldFrames(ctx.tf(), clips);
    x = Conv2d.builder(16).kernel(3).build(ctx.child("stem").child("conv"), x);
    x = Activations.relu(ctx.tf(), BatchNorm.builder().build(ctx.child("stem").child("bn"), x));
    AfStage.Result s =
        AfStage.build(
            ctx.child("stage1"),
            x,
            new AfStageSpec(2, 16, 32, 2, 2, 2, FRAMES, true, NavigationSpec.official(0.5f)),
            temperature);
    Heads.Logits logits = Heads.tsn(ctx.child("head"), s.output(), FRAMES, classes, 0.2f);
    return new ModelOutputs(logits.clipLogits(), logits.frameLogits(), s.selections(), s.gflops(), Map.of());
  }
}
