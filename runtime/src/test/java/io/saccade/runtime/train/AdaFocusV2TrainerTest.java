package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.Interpolation;
import io.saccade.runtime.blocks.AdaFocusV2;
import io.saccade.runtime.blocks.AdaFocusV2Spec;
import io.saccade.runtime.blocks.BottleneckSpec;
import io.saccade.runtime.blocks.ResNet;
import io.saccade.runtime.data.ClipLoader;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The Trainer drives AdaFocusV2 as generated code would declare it: weighted heads, two passes, exit scores. */
class AdaFocusV2TrainerTest {

  static final int FRAMES = 4;
  static final int SIZE = 32;
  static final AdaFocusV2Spec SPEC =
      new AdaFocusV2Spec(FRAMES, 4, SIZE, SIZE, 16, true, Interpolation.BILINEAR, 8, 16, 16, 0.2f,
          Optional.of(FrameOrder.COARSE_TO_FINE), 0.75);

  /** What the processor would generate for a tiny AdaFocusV2 declaration. */
  static final class TinyAdaFocus implements VideoModel {
    @Override public String name() {
      return "TinyAdaFocus";
    }

    @Override public int frames() {
      return FRAMES;
    }

    @Override public int classes() {
      return SPEC.classes();
    }

    @Override public int inputSize() {
      return SIZE;
    }

    @Override public ModelSummary summary() {
      return ModelSummary.builder(name(), FRAMES, SIZE).build();
    }

    @Override public ModelOutputs build(BuildContext ctx, Operand<TFloat32> clips, Operand<TFloat32> temperature) {
      return AdaFocusV2.build(ctx, clips, SPEC, TinyAdaFocus::globalEncoder, TinyAdaFocus::localEncoder);
    }

    static Operand<TFloat32> globalEncoder(BuildContext ctx, Operand<TFloat32> frames) {
      return ResNet.bottleneck(ctx.child("block0"), ResNet.stem(ctx.child("stem"), frames, 8), BottleneckSpec.of(4, 16).withStride(2));
    }

    static Operand<TFloat32> localEncoder(BuildContext ctx, Operand<TFloat32> patches) {
      return ResNet.bottleneck(ctx.child("block0"), ResNet.stem(ctx.child("stem"), patches, 8), BottleneckSpec.of(6, 24).withStride(2));
    }
  }

  private static VideoDataset data(Split split, int clips) {
    return SyntheticMotionDataset.builder()
        .frames(FRAMES).size(SIZE).classes(4).keyFrames(2).clips(clips).seed(3).split(split).build();
  }

  @Test
  void trainerStepsLowerTheLossAndEvaluationRunsOnAnyBatchSize() throws Exception {
    try (Trainer t =
            Trainer.builder(new TinyAdaFocus())
                .trainData(data(Split.TRAIN, 16))
                .epochs(1)
                .batchSize(4)
                .threads(1)
                .learningRate(0.02)
                .seed(11)
                .build();
        var loader = ClipLoader.builder(data(Split.TRAIN, 16)).batchSize(4).build()) {
      var batch = loader.epoch(0).next();
      double first = t.step(batch, 0.02f, 1f, 1f, 0).loss();
      double last = first;
      for (int i = 1; i < 10; i++) {
        last = t.step(batch, 0.02f, 1f, 1f, i).loss();
      }
      assertTrue(last < 0.7 * first, "AdaFocusV2 loss on one batch " + first + " → " + last);
      assertEquals(10, t.step());
      ClassificationMetrics m = t.evaluate(data(Split.VALIDATION, 6));
      assertEquals(6, m.count());
      assertEquals(0.75, m.gflopsPerClip(), 1e-6, "dynamicGflops is the spec's compile-time figure");
      assertTrue(t.trainingGraph().inferenceOutputs().exitScores() != null);
    }
  }
}
