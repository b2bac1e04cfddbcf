package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.metrics.ClassificationMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossPlateauTest {

  @Test
  void aLossAtChanceAfterThreeHundredStepsIsReportedOnceWithWhatToTry() {
    LossPlateau p = new LossPlateau(8);
    String warning = null;
    long at = -1;
    for (long step = 1; step <= 600; step++) {
      String w = p.record(step, Math.log(8) + 0.01 * Math.sin(step));
      if (w != null) {
        assertNull(warning, "warned twice, at step " + step);
        warning = w;
        at = step;
      }
    }
    assertNotNull(warning);
    assertEquals(LossPlateau.STEPS, at);
    assertTrue(warning.contains("ln(8) = 2.079"), warning);
    assertTrue(warning.contains("saccade lr-find") && warning.contains("--optimizer adam") && warning.contains("--init"), warning);
  }

  @Test
  void aLearningRunIsLeftAlone() {
    LossPlateau p = new LossPlateau(8);
    for (long step = 1; step <= 600; step++) {
      // From chance down to a tenth of it.
      assertNull(p.record(step, Math.log(8) * Math.max(0.1, 1 - step / 250.0)));
    }
  }

  @Test
  void theEpochLineCarriesTrainingValidationAndEveryLayersKeptFraction() {
    EpochReport r = new EpochReport();
    r.add(new Trainer.Step(1, 1.0, 0.5, 0.75));
    r.add(new Trainer.Step(2, 0.5, 1.0, 0.25));
    ClassificationMetrics m = new ClassificationMetrics(2);
    m.add(new float[] {2f, 0f, 0f, 2f}, new int[] {0, 0}, new float[] {0.03f, 0.05f},
        Map.of("stage1/nav0", new float[] {1f, 0.5f}));
    String line = LoggingListener.line("AfDemo", 2, 12, 145.26, r.result(new Evaluation(m, null, List.of()), 0));
    assertEquals(
        "AfDemo epoch 3/12: train loss 0.7500 top1 0.750 kept 0.50 | val top1 0.5000 top5 1.0000 kept stage1/nav0 0.75"
            + " | 0.04000 GFLOPs/clip | 145.3 clips/s",
        line);
    assertEquals("Net epoch 1/1:", LoggingListener.line("Net", 0, 1, 0, new EpochReport().result(null, 0)));
  }
}
