package io.saccade.runtime.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.nn.Activations;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.testing.TfTest;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * {@code @Backbone(shiftDivisor = …)} end to end in the runtime: a block spec's divisor reaches the
 * temporal shift, which moves {@code C / divisor} channels each way, as a plain-Java TSM does.
 */
class ShiftDivisorTest {

  private static final int CLIPS = 2;
  private static final int T = 3;
  private static final int SIDE = 2;
  private static final int C = 16;

  /**
   * Plain-Java TSM on [N·T, H, W, C]: the first {@code C / divisor} channels read frame t+1, the next as
   * many frame t−1 (zeros past the clip's ends), the rest stay.
   */
  private static float[] shifted(float[] x, int divisor) {
    int fold = C / divisor;
    float[] out = new float[x.length];
    for (int n = 0; n < CLIPS; n++) {
      for (int t = 0; t < T; t++) {
        for (int p = 0; p < SIDE * SIDE; p++) {
          for (int c = 0; c < C; c++) {
            int from = c < fold ? t + 1 : c < 2 * fold ? t - 1 : t;
            int dst = ((n * T + t) * SIDE * SIDE + p) * C + c;
            out[dst] = from < 0 || from >= T ? 0f : x[((n * T + from) * SIDE * SIDE + p) * C + c];
          }
        }
      }
    }
    return out;
  }

  /** The bottleneck of {@code spec} on {@code x}, with weights that depend only on the seed and the path. */
  private static float[] bottleneck(float[] x, BottleneckSpec spec) {
    try (TfTest tf = TfTest.create(7)) {
      Operand<TFloat32> in = tf.constant(x, CLIPS * T, SIDE, SIDE, C);
      return tf.eval(ResNet.bottleneck(tf.ctx(Mode.INFERENCE).child("block"), in, spec));
    }
  }

  /** TSM's residual block by hand: {@code relu(branch(shifted) + x)}, the shortcut unshifted. */
  private static float[] shiftedBranch(float[] x, float[] shifted, BottleneckSpec unshifted) {
    try (TfTest tf = TfTest.create(7)) {
      Operand<TFloat32> branch =
          ResNet.branch(tf.ctx(Mode.INFERENCE).child("block"), tf.constant(shifted, CLIPS * T, SIDE, SIDE, C), unshifted);
      return tf.eval(Activations.relu(tf.tf(), tf.tf().math.add(branch, tf.constant(x, CLIPS * T, SIDE, SIDE, C))));
    }
  }

  @Test
  void aDivisorOf4ShiftsAQuarterOfTheChannelsEachWay() {
    float[] x = TfTest.randomFloats(11, CLIPS * T * SIDE * SIDE * C, 1f);
    float[] reference = shifted(x, 4);
    int moved = 0;
    for (int i = 0; i < x.length; i++) {
      moved += reference[i] != x[i] ? 1 : 0;
    }
    // channels 0-3 and 4-7 of every pixel come from a neighbouring frame (or are zero): half of all values
    assertTrue(moved > x.length / 2 - x.length / 16 && moved <= x.length / 2, "values moved: " + moved + " of " + x.length);

    BottleneckSpec plain = BottleneckSpec.of(4, C);
    float[] viaSpec = bottleneck(x, plain.withTemporalShift(T, 4));
    float[] viaReference = shiftedBranch(x, reference, plain);
    assertArrayEquals(viaReference, viaSpec, 1e-5f, "a bottleneck shifting 1/4 equals the plain one on the reference-shifted input");
    float[] eighth = bottleneck(x, plain.withTemporalShift(T));
    assertArrayEquals(shiftedBranch(x, shifted(x, 8), plain), eighth, 1e-5f, "the default stays 1/8");
    assertTrue(maxDifference(viaSpec, eighth) > 1e-3, "1/4 and 1/8 differ");
  }

  @Test
  void afStagesPassTheirDivisorToTheShiftedBlocks() {
    AfStageSpec spec = new AfStageSpec(3, 64, 256, 2, 2, 2, T, true, NavigationSpec.official(0.5f), 4);
    assertEquals(4, AfStage.ampleSpec(spec, 0).shiftDivisor());
    assertEquals(4, AfStage.fusionSpec(spec).shiftDivisor());
    assertEquals(8, new AfStageSpec(3, 64, 256, 2, 2, 2, T, true, NavigationSpec.official(0.5f)).shiftDivisor());
    MobileNetInvertedResidualSpec block = MobileNetInvertedResidualSpec.of(64, C, 3).withTemporalShift(T, 4);
    assertEquals(4, block.shiftDivisor());
    assertEquals(4, block.withStride(2).withGroups(2).shiftDivisor(), "the divisor survives the other withers");
  }

  private static double maxDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
