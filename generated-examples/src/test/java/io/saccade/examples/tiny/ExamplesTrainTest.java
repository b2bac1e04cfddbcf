package io.saccade.examples.tiny;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.data.ClipLoader;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Trainer;
import io.saccade.runtime.train.TrainerBuilder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example family, declared tiny: its generated class trains (steps on a fixed batch lower the
 * loss). ResNet-101's tiny twin is compiled here too; its gradients are checked by the processor's
 * graph tests, and its training graph is left out of this suite for time.
 */
class ExamplesTrainTest {

  static Stream<VideoModel> families() {
    return Stream.of(
        new TinyAfResNet50Network(),
        new TinyAfResNet50TsmNetwork(),
        new TinyTsnResNet50Network(),
        new TinyTsmResNet50Network(),
        new TinyAfMobileNetV3Network(),
        new TinyTsmMobileNetV3Network(),
        new TinyAdaFocusV2Network(),
        new TinyAdaFocusV2TsmNetwork());
  }

  private static VideoDataset data(VideoModel m, Split split, int clips) {
    return SyntheticMotionDataset.builder()
        .forModel(m)
        .clips(clips)
        .seed(9)
        .split(split)
        .build();
  }

  @ParameterizedTest
  @MethodSource("families")
  void trainingStepsOnAFixedBatchLowerTheLoss(VideoModel model) throws Exception {
    try (Trainer t = Trainer.builder(model).batchSize(8).seed(2).optimizer(TrainerBuilder.fineTuningOptimizer()).build();
        ClipLoader loader = ClipLoader.builder(data(model, Split.TRAIN, 16)).batchSize(8).build()) {
      ClipBatch batch = loader.epoch(0).next();
      // The same noise key every step: dropout and Gumbel noise stay fixed, so only the weights change.
      double first = t.step(batch, 0.002f, 1f, 1f, 0).loss();
      double last = first;
      for (int i = 1; i < 5; i++) {
        last = t.step(batch, 0.002f, 1f, 1f, 0).loss();
      }
      assertTrue(last < first, model.name() + ": loss on one batch " + first + " → " + last);
    }
  }


}
