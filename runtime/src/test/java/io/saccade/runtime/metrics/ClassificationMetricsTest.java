package io.saccade.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

  @Test
  void countsTopKPerClassAndConfusion() {
    ClassificationMetrics m = new ClassificationMetrics(6);
    float[] logits = {
      // clip 0, label 0: correct
      5, 1, 0, 0, 0, 0,
      // clip 1, label 1: predicted 0, true class ranked 2nd → top-5 hit
      5, 4, 0, 0, 0, 0,
      // clip 2, label 5: ranked last → miss in top-5
      6, 5, 4, 3, 2, 1,
      // clip 3, label 2: correct
      0, 0, 9, 0, 0, 0
    };
    m.add(logits, new int[] {0, 1, 5, 2}, new float[] {1f, 2f, 3f, 6f}, Map.of("stage1/nav0", new float[] {1f, 0.5f, 0.5f, 0f}));
    assertEquals(0.5, m.top1());
    assertEquals(0.75, m.top5());
    assertEquals(3.0, m.gflopsPerClip(), 1e-9);
    assertEquals(0.5, m.selectionRatios().get("stage1/nav0"), 1e-9);
    double[] per = m.perClassAccuracy();
    assertEquals(1.0, per[0]);
    assertEquals(0.0, per[1]);
    assertEquals(1.0, per[2]);
    assertTrue(Double.isNaN(per[3]));
    assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0}, m.confusionMatrix()[3]);
    assertEquals(1, m.confusionMatrix()[1][0]);
    assertEquals(1, m.confusionMatrix()[5][0]);
    assertTrue(m.report(List.of("a", "b", "c", "d", "e", "f")).contains("top1 0.5000"));
  }

  @Test
  void badLabelNamesTheClip() {
    ClassificationMetrics m = new ClassificationMetrics(2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.add(new float[] {1, 0}, new int[] {2}, null, Map.of()));
    assertTrue(e.getMessage().contains("label 2 of clip 0"), e.getMessage());
  }
}
