package io.saccade.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionalExitTest {

  /** 4 calibration clips, 2 steps, 2 classes; step-0 confidences 3, 2, 1, 4. */
  private static final float[][][] CALIBRATION = {
    {{3, 1}, {0, 1}},
    {{0.5f, 2}, {1, 0}},
    {{1, 0}, {2, 2}},
    {{0, 4}, {0, 5}},
  };

  /** Step-0 confidences 5, 2, 3 (the last equal to the threshold: ties exit, as the official {@code >=}). */
  private static final float[][][] EVALUATION = {
    {{5, 0}, {0, 9}},
    {{1, 2}, {0, 1}},
    {{3, -1}, {0, 7}},
  };

  private static final int[] LABELS = {0, 1, 1};

  @Test
  void exitFractionsAreAGeometricSeries() {
    assertArrayEquals(new double[] {2 / 14.0, 4 / 14.0, 8 / 14.0}, ConditionalExit.exitFractions(3, 2), 1e-12);
    assertArrayEquals(new double[] {0.5, 0.5}, ConditionalExit.exitFractions(2, 1), 1e-12);
    double[] p = ConditionalExit.officialBases();
    assertEquals(35, p.length);
    assertEquals(0.5, p[0], 1e-12);
    assertEquals(3.9, p[34], 1e-12);
  }

  @Test
  void handComputedExampleFitsThresholdsAndCountsAccuracyAndCost() {
    // q = (1/2, 1/2): step 0 takes ⌊4·½⌋ = 2 most confident calibration clips (confidences 4 and 3) → threshold 3.
    ConditionalExit.Thresholds th = ConditionalExit.fit(CALIBRATION, ConditionalExit.exitFractions(2, 1));
    assertArrayEquals(new double[] {3, Double.NEGATIVE_INFINITY}, th.values());
    // Clip 0 exits after step 0 (5 >= 3, predicts 0: right), clip 1 runs both steps (predicts 1: right),
    // clip 2 exits after step 0 on the tie (predicts 0: wrong). Cost with 6 GFLOPs per clip: (3 + 6 + 3)/3 = 4.
    ConditionalExit.Result r = th.evaluate(EVALUATION, LABELS, 6.0);
    assertEquals(2 / 3.0, r.accuracy(), 1e-12);
    assertEquals(4.0, r.expectedGflops(), 1e-12);
    assertArrayEquals(new int[] {2, 1}, r.exitsPerStep());
  }

  @Test
  void aStepThatTakesNoClipGetsAnInfiniteThreshold() {
    float[][][] three = new float[4][][];
    for (int i = 0; i < 4; i++) {
      three[i] = new float[][] {CALIBRATION[i][0], CALIBRATION[i][1], CALIBRATION[i][1]};
    }
    // q ≈ (0.90, 0.09, 0.01): step 0 takes ⌊3.6⌋ = 3 clips (confidences 4, 3, 2 → threshold 2), step 1 takes ⌊0.36⌋ = 0.
    ConditionalExit.Thresholds th = ConditionalExit.fit(three, ConditionalExit.exitFractions(3, 0.1));
    assertArrayEquals(new double[] {2, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}, th.values());
  }

  @Test
  void sweepGoesFromEarlyAndCheapToLateAndExpensive() {
    List<ConditionalExit.Result> curve = ConditionalExit.sweep(CALIBRATION, EVALUATION, LABELS, 6.0, new double[] {0.2, 5});
    // p = 0.2: q ≈ (0.83, 0.17) → step 0 takes 3 clips (threshold 2): every evaluation clip exits at once.
    assertEquals(3.0, curve.get(0).expectedGflops(), 1e-12);
    // p = 5: q ≈ (0.17, 0.83) → step 0 takes none: every clip runs both steps.
    assertEquals(6.0, curve.get(1).expectedGflops(), 1e-12);
    assertEquals(2 / 3.0, curve.get(1).accuracy(), 1e-12); // step-1 predictions 1, 1, 1 vs labels 0, 1, 1
  }

  @Test
  void mismatchedInputsNameTheProblem() {
    var steps = assertThrows(IllegalArgumentException.class, () -> ConditionalExit.fit(CALIBRATION, new double[] {1, 1, 1}));
    assertTrue(steps.getMessage().contains("one exit fraction per step (2)"), steps.getMessage());
    var labels =
        assertThrows(IllegalArgumentException.class,
            () -> ConditionalExit.fit(CALIBRATION, new double[] {1, 1}).evaluate(EVALUATION, new int[] {0}, 1));
    assertTrue(labels.getMessage().contains("one label per clip (3)"), labels.getMessage());
    var p = assertThrows(IllegalArgumentException.class, () -> ConditionalExit.exitFractions(4, -1));
    assertTrue(p.getMessage().contains("-1.0"), p.getMessage());
  }
}
