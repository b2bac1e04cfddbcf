package io.saccade.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExitCurveTest {

  /** The data of {@link ConditionalExitTest}: 4 calibration clips, 3 evaluation clips, 2 steps, 2 classes. */
  private static final float[][][] CALIBRATION = {
    {{3, 1}, {0, 1}},
    {{0.5f, 2}, {1, 0}},
    {{1, 0}, {2, 2}},
    {{0, 4}, {0, 5}},
  };

  private static final float[][][] EVALUATION = {
    {{5, 0}, {0, 9}},
    {{1, 2}, {0, 1}},
    {{3, -1}, {0, 7}},
  };

  private static final int[] LABELS = {0, 1, 1};

  @Test
  void sweepPointsThenTheAllFramesPoint() {
    ExitCurve curve = ExitCurve.of(CALIBRATION, EVALUATION, LABELS, 6.0, new double[] {1});
    assertEquals(2, curve.points().size());
    assertEquals(4, curve.calibrationClips());
    assertEquals(3, curve.evaluationClips());
    // p = 1: threshold 3 on step 0 (hand-computed in ConditionalExitTest): exits 2, 1; top-1 2/3; (3 + 6 + 3)/3 GFLOPs.
    ExitCurve.Point p1 = curve.sweep().get(0);
    assertEquals(1.0, p1.p());
    assertArrayEquals(new double[] {3, Double.NEGATIVE_INFINITY}, p1.thresholds());
    assertEquals(2 / 3.0, p1.accuracy(), 1e-12);
    assertEquals(4.0, p1.expectedGflops(), 1e-12);
    assertArrayEquals(new int[] {2, 1}, p1.exitsPerStep());
    // All frames: every clip predicts from step 1 — classes 1, 1, 1 against 0, 1, 1; the full 6 GFLOPs.
    ExitCurve.Point all = curve.allFrames();
    assertEquals(Double.POSITIVE_INFINITY, all.p());
    assertEquals(2 / 3.0, all.accuracy(), 1e-12);
    assertEquals(6.0, all.expectedGflops(), 0);
    assertArrayEquals(new int[] {0, 3}, all.exitsPerStep());
    assertEquals("EXIT p=1.00 top1=0.6667 gflops=4.0000 exits=2,1", p1.line());
    assertEquals("EXIT p=all top1=0.6667 gflops=6.0000 exits=0,3", all.line());
    String table = curve.table();
    assertTrue(table.contains("fitted on 4 clips, evaluated on 3"), table);
    assertTrue(table.contains("    all   0.6667     6.0000  100.0%  [0, 3]"), table);
    assertTrue(table.contains("   1.00   0.6667     4.0000   66.7%  [2, 1]"), table);
  }

  @Test
  void rejectsBadBases() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ExitCurve.of(CALIBRATION, EVALUATION, LABELS, 6.0, new double[] {1, Double.POSITIVE_INFINITY}));
    assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
  }
}
