package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.SyntheticMotionDataset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateFinderTest {

  @Test
  void theSuggestionIsWhereTheSmoothedLossFallsFastestPerLogRate() {
    // loss = 2 − tanh(log10(lr) + 3): steepest at lr = 1e-3.
    List<LearningRateFinder.Point> points = new ArrayList<>();
    for (int i = 0; i <= 60; i++) {
      double lr = Math.pow(10, -6 + i * 0.1);
      double loss = 2 - Math.tanh(Math.log10(lr) + 3);
      points.add(new LearningRateFinder.Point(lr, loss, loss));
    }
    assertEquals(-3, Math.log10(LearningRateFinder.suggest(points)), 0.051);
    List<LearningRateFinder.Point> flat = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      flat.add(new LearningRateFinder.Point(Math.pow(10, -6 + i * 0.1), 1 + i * 0.01, 1 + i * 0.01));
    }
    assertTrue(Double.isNaN(LearningRateFinder.suggest(flat)), "a loss that only rises suggests nothing");
  }

  @Test
  void aRangeTestRaisesTheRateExponentiallyAndStopsWhenTheLossRunsAway() {
    SyntheticMotionDataset data = SyntheticMotionDataset.builder().frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE).classes(4).clips(64).build();
    try (Trainer t = Trainer.builder(new TinyAfModel(4)).trainData(data).batchSize(8).threads(1).build()) {
      LearningRateFinder.Result r = t.findLearningRate(1e-5, 1e3, 40);
      List<LearningRateFinder.Point> p = r.points();
      assertTrue(p.size() >= 10 && p.size() <= 40, "steps run: " + p.size());
      assertEquals(1e-5, p.get(0).learningRate(), 1e-12);
      double ratio = Math.pow(1e8, 1 / 39.0);
      for (int i = 1; i < p.size(); i++) {
        assertEquals(ratio, p.get(i).learningRate() / p.get(i - 1).learningRate(), 1e-9);
      }
      // A step at 1e3 blows the loss up: the test stops before the end.
      assertTrue(p.size() < 40, "stopped at " + p.get(p.size() - 1).learningRate());
      assertTrue(r.report().contains("learning rate"), r.report());
    }
    assertThrows(IllegalArgumentException.class, () -> LearningRateFinder.run(null, null, 8, 1, 0, 1f, 1, 0.1, 10));
  }
}
