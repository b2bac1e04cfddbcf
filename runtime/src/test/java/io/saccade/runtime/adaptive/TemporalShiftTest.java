package io.saccade.runtime.adaptive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class TemporalShiftTest {

  /**
   * Plain-Java TSM on row-major [N·T, H, W, C]: the official out[:, :-1, :fold] = x[:, 1:, :fold],
   * out[:, 1:, fold:2fold] = x[:, :-1, fold:2fold], rest copied, zeros elsewhere.
   */
  static float[] reference(float[] x, int n, int t, int hw, int c, int foldDiv) {
    int fold = c / foldDiv;
    float[] out = new float[x.length];
    for (int clip = 0; clip < n; clip++) {
      for (int f = 0; f < t; f++) {
        for (int p = 0; p < hw; p++) {
          for (int ch = 0; ch < c; ch++) {
            int src;
            if (ch < fold) {
              src = f + 1 < t ? f + 1 : -1;
            } else if (ch < 2 * fold) {
              src = f - 1 >= 0 ? f - 1 : -1;
            } else {
              src = f;
            }
            int dst = ((clip * t + f) * hw + p) * c + ch;
            out[dst] = src < 0 ? 0f : x[((clip * t + src) * hw + p) * c + ch];
          }
        }
      }
    }
    return out;
  }

  private static void checkAgainstReference(int n, int t, int h, int w, int c, int foldDiv) {
    try (TfTest tt = TfTest.create()) {
      float[] x = TfTest.randomFloats(n * t * h * w * c, n * t * h * w * c, 1f);
      Operand<TFloat32> y = TemporalShift.apply(tt.tf(), tt.constant(x, n * t, h, w, c), t, foldDiv);
      assertEquals(Shape.of(n * t, h, w, c), y.shape());
      // Pure data movement: bit-exact.
      assertArrayEquals(reference(x, n, t, h * w, c, foldDiv), tt.eval(y), 0f);
    }
  }

  @Test
  void matchesOfficialSemanticsWithDefaultFold() {
    checkAgainstReference(2, 4, 2, 3, 16, 8); // fold 2: channels 0-1 back, 2-3 forward
  }

  @Test
  void unevenFoldsAndSmallFoldDivs() {
    checkAgainstReference(3, 3, 1, 2, 5, 2); // fold 2: [0,2) back, [2,4) forward, channel 4 kept
    checkAgainstReference(2, 3, 2, 1, 4, 1); // fold = C: every channel comes from the next frame
    checkAgainstReference(1, 5, 1, 1, 9, 4); // fold 2 of 9 channels, one clip
  }

  @Test
  void singleFrameClipsZeroTheShiftedChannels() {
    checkAgainstReference(3, 1, 2, 2, 8, 4);
  }

  @Test
  void neverCrossesClipBoundaries() {
    try (TfTest tt = TfTest.create()) {
      // Clip 0 all ones, clip 1 all twos, T = 2, C = 2, foldDiv 2: channel 0 back, channel 1 forward.
      float[] x = {1, 1, 1, 1, 2, 2, 2, 2};
      float[] y = tt.eval(TemporalShift.apply(tt.tf(), tt.constant(x, 4, 1, 1, 2), 2, 2));
      assertArrayEquals(new float[] {1, 0, 0, 1, 2, 0, 0, 2}, y, 0f);
    }
  }

  @Test
  void dynamicBatchPlaceholder() {
    checkDynamic(new long[] {-1, 2, 2, 8}, new long[] {-1, 2, 2, 8});
  }

  @Test
  void dynamicSpatialSize() {
    checkDynamic(new long[] {-1, -1, -1, 8}, new long[] {-1, -1, -1, 8});
  }

  private static void checkDynamic(long[] placeholderShape, long[] expectedStaticShape) {
    try (TfTest tt = TfTest.create()) {
      Placeholder<TFloat32> ph = tt.placeholder(placeholderShape);
      Operand<TFloat32> y = TemporalShift.apply(tt.tf(), ph, 3);
      assertArrayEquals(expectedStaticShape, y.shape().asArray());
      float[] x = TfTest.randomFloats(3, 6 * 2 * 2 * 8, 1f);
      try (TFloat32 fed = TFloat32.tensorOf(Shape.of(6, 2, 2, 8), DataBuffers.of(x));
          Result result = tt.session().runner().feed(ph, fed).fetch(y).run()) {
        assertArrayEquals(reference(x, 2, 3, 4, 8, 8), TfTest.toFloats((TFloat32) result.get(0)), 0f);
      }
    }
  }

  @Test
  void gradientIsTheInverseShift() {
    try (TfTest tt = TfTest.create()) {
      int n = 2, t = 3, c = 8;
      float[] x = TfTest.randomFloats(11, n * t * 2 * 2 * c, 1f);
      // Linear op: central differences are exact up to float32 rounding of the loss (~1e-6 relative).
      double err =
          tt.gradientError(
              in -> TemporalShift.apply(tt.tf(), in.get(0), t, 4),
              List.of(x),
              List.of(new long[] {n * t, 2, 2, c}),
              1e-2f,
              200);
      assertTrue(err < 1e-3, "gradient error " + err);
    }
  }

  @Test
  void badArgumentsNameTheValue() {
    try (TfTest tt = TfTest.create()) {
      Operand<TFloat32> x = tt.constant(new float[6 * 8], 6, 1, 1, 8);
      assertMessage("frames >= 1, got 0", () -> TemporalShift.apply(tt.tf(), x, 0));
      assertMessage("foldDiv >= 1, got 0", () -> TemporalShift.apply(tt.tf(), x, 3, 0));
      assertMessage("C = 8 and foldDiv = 16", () -> TemporalShift.apply(tt.tf(), x, 3, 16));
      assertMessage("multiple of frames = 4, got batch 6", () -> TemporalShift.apply(tt.tf(), x, 4));
      assertMessage("rank 4", () -> TemporalShift.apply(tt.tf(), tt.constant(new float[8], 8), 2));
      Placeholder<TFloat32> noChannels = tt.placeholder(6, 1, 1, -1);
      assertMessage("static channel count", () -> TemporalShift.apply(tt.tf(), noChannels, 3));
      // Valid with a dynamic batch: divisibility cannot be checked before run time.
      TemporalShift.apply(tt.tf(), tt.placeholder(-1, 1, 1, 8), 4);
    }
  }

  static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
  }
}
