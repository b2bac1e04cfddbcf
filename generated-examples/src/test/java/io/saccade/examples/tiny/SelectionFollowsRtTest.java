package io.saccade.examples.tiny;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.RatioCurriculum;
import io.saccade.runtime.train.Trainer;
import io.saccade.runtime.train.TrainerBuilder;
import org.junit.jupiter.api.Test;

/** Trained on the embedded dataset, AFNet keeps measurably fewer frames with RT 0.25 than with RT 0.75. */
class SelectionFollowsRtTest {

  @Test
  void theSelectionRatioFollowsTheTargetRatio() {
    double low = trainedSelection(new AfRt25Network());
    double high = trainedSelection(new AfRt75Network());
    System.out.printf("kept fraction after training: RT 0.25 → %.3f, RT 0.75 → %.3f%n", low, high);
    assertTrue(high - low > 0.1, "mean kept fraction with RT 0.25: " + low + ", with RT 0.75: " + high);
    assertTrue(low < 0.75, "RT 0.25 must have learnt to drop frames: kept " + low);
  }

  /** 192 steps (3 epochs of 512 clips), starting with keep one logit above skip (declared: {@code keepMargin = 1}), with the target ratio from the start; the mean kept fraction. */
  private static double trainedSelection(VideoModel model) {
    SyntheticMotionDataset.Builder data =
        SyntheticMotionDataset.builder().frames(model.frames()).size(model.inputSize()).classes(model.classes()).seed(9);
    try (Trainer t =
        Trainer.builder(model)
            .trainData(data.clips(512).split(Split.TRAIN).build())
            .epochs(3)
            .batchSize(8)
            .optimizer(TrainerBuilder.fineTuningOptimizer())   // SGD, as calibrated
            .learningRate(0.02)
            .curriculum(new RatioCurriculum(0, 0, 0))
            .seed(5)
            .build()) {
      t.fit();
      ClassificationMetrics m = t.evaluate(data.clips(64).split(Split.VALIDATION).build());
      assertEquals(64, m.count());
      return m.selectionRatios().values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
  }
}
