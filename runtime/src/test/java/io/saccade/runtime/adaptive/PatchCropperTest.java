package io.saccade.runtime.adaptive;

import static io.saccade.runtime.adaptive.TemporalShiftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class PatchCropperTest {

  private static final int M = 4;
  private static final int H = 8;
  private static final int W = 7;
  private static final int C = 2;
  private static final int P = 4;

  /** Bilinear sample of frame m at pixel coordinates (y, x), zeros outside: grid_sample's semantics. */
  private static double sample(float[] frames, int m, int h, int w, int c, double y, double x, int ch) {
    int y0 = (int) Math.floor(y);
    int x0 = (int) Math.floor(x);
    double fy = y - y0;
    double fx = x - x0;
    double v = 0;
    for (int dy = 0; dy <= 1; dy++) {
      for (int dx = 0; dx <= 1; dx++) {
        int yy = y0 + dy;
        int xx = x0 + dx;
        if (yy < 0 || yy >= h || xx < 0 || xx >= w) {
          continue;
        }
        double weight = (dy == 0 ? 1 - fy : fy) * (dx == 0 ? 1 - fx : fx);
        v += weight * frames[((m * h + yy) * w + xx) * c + ch];
      }
    }
    return v;
  }

  /** The reference crop: corner c = a·(size − P), patch pixel (i, j) at (c_y + i, c_x + j). */
  static float[] reference(float[] frames, float[] centres, int m, int h, int w, int c, int p) {
    float[] out = new float[m * p * p * c];
    for (int f = 0; f < m; f++) {
      double cx = centres[2 * f] * (double) (w - p);
      double cy = centres[2 * f + 1] * (double) (h - p);
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          for (int ch = 0; ch < c; ch++) {
            out[((f * p + i) * p + j) * c + ch] = (float) sample(frames, f, h, w, c, cy + i, cx + j, ch);
          }
        }
      }
    }
    return out;
  }

  private static float[] frames() {
    return TfTest.randomFloats(17, M * H * W * C, 1f);
  }

  private static float[] crop(float[] frames, float[] centres) {
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y = PatchCropper.crop(t.tf(), t.constant(frames, M, H, W, C), t.constant(centres, M, 2), P);
      assertArrayEquals(new long[] {M, P, P, C}, y.shape().asArray());
      return t.eval(y);
    }
  }

  @Test
  void integerCornersEqualThePlainSlice() {
    float[] x = frames();
    // W − P = 3, H − P = 4: corners (0,0), (3,4), (1,2), (2,1).
    float[] centres = {0f, 0f, 1f, 1f, 1f / 3, 0.5f, 2f / 3, 0.25f};
    int[][] corners = {{0, 0}, {3, 4}, {1, 2}, {2, 1}};
    float[] y = crop(x, centres);
    for (int f = 0; f < M; f++) {
      for (int i = 0; i < P; i++) {
        for (int j = 0; j < P; j++) {
          for (int ch = 0; ch < C; ch++) {
            float slice = x[((f * H + corners[f][1] + i) * W + corners[f][0] + j) * C + ch];
            // a = 1/3 is not exact in float32: the corner is off by ~1e-7 pixels.
            assertEquals(slice, y[((f * P + i) * P + j) * C + ch], 1e-5, "frame " + f);
          }
        }
      }
    }
  }

  @Test
  void fractionalCornersMatchAJavaBilinearReference() {
    float[] x = frames();
    float[] centres = {0.13f, 0.91f, 0.52f, 0.07f, 0.999f, 0.4f, 0.77f, 0.61f};
    float[] y = crop(x, centres);
    float[] expected = reference(x, centres, M, H, W, C, P);
    for (int i = 0; i < y.length; i++) {
      assertEquals(expected[i], y[i], 1e-5, "element " + i);
    }
  }

  @Test
  void centresOutsideTheUnitSquareBlendWithZerosLikeGridSample() {
    float[] x = frames();
    // Corners up to 1.2 pixels outside the frame: the first/last row or column mixes with zero padding.
    float[] centres = {-0.1f, 0.05f, 1.1f, -0.3f, 0.5f, 1.2f, -0.05f, 1.05f};
    float[] y = crop(x, centres);
    float[] expected = reference(x, centres, M, H, W, C, P);
    for (int i = 0; i < y.length; i++) {
      assertEquals(expected[i], y[i], 1e-5, "element " + i);
    }
  }

  @Test
  void fullFramePatchIsTheFrame() {
    try (TfTest t = TfTest.create()) {
      float[] x = TfTest.randomFloats(3, 2 * 5 * 5 * 3, 1f);
      float[] y =
          t.eval(PatchCropper.crop(t.tf(), t.constant(x, 2, 5, 5, 3), t.constant(new float[] {0.3f, 0.9f, 0f, 1f}, 2, 2), 5));
      assertArrayEquals(x, y, 1e-6f);
    }
  }

  @Test
  void nearestCopiesTheNearestPixelAndCarriesNoCentreGradient() {
    float[] x = frames();
    // Corners (0.39, 3.64), (2.61, 0.2), (0.9, 1.6), (2.85, 2.8): none half-way between two pixels.
    float[] centres = {0.13f, 0.91f, 0.87f, 0.05f, 0.3f, 0.4f, 0.95f, 0.7f};
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> c = t.constant(centres, M, 2);
      Operand<TFloat32> y =
          PatchCropper.crop(t.tf(), t.constant(x, M, H, W, C), c, P, io.saccade.dsl.Interpolation.NEAREST);
      float[] got = t.eval(y);
      for (int f = 0; f < M; f++) {
        int cx = (int) Math.round(centres[2 * f] * (double) (W - P));
        int cy = (int) Math.round(centres[2 * f + 1] * (double) (H - P));
        for (int i = 0; i < P; i++) {
          for (int j = 0; j < P; j++) {
            for (int ch = 0; ch < C; ch++) {
              assertEquals(x[((f * H + cy + i) * W + cx + j) * C + ch], got[((f * P + i) * P + j) * C + ch], "frame " + f);
            }
          }
        }
      }
      float[] bilinear =
          t.eval(PatchCropper.crop(t.tf(), t.constant(x, M, H, W, C), c, P, io.saccade.dsl.Interpolation.BILINEAR));
      assertArrayEquals(reference(x, centres, M, H, W, C, P), bilinear, 1e-5f);
      var grad = t.tf().gradients(t.tf().reduceSum(y, t.tf().constant(new int[] {0, 1, 2, 3})), List.of(c));
      // TensorFlow returns no gradient op at all when the centres do not reach the output differentiably.
      var handle = ((org.tensorflow.GraphOperation) grad.dy(0).op()).getUnsafeNativeHandle();
      assertTrue(handle == null || handle.isNull(), "nearest sampling must give no centre gradient");
    }
  }

  @Test
  void centreGradientMatchesFiniteDifferencesAwayFromThePixelGrid() {
    try (TfTest t = TfTest.create()) {
      float[] x = frames();
      // Corners (a·3, a·4) with fractional parts in [0.2, 0.8]; a step of 1e-2 moves them ≤ 0.04 pixels,
      // so no sample crosses a pixel centre and the loss is linear along each coordinate: central
      // differences are exact up to float32 rounding of the loss (~1e-4 relative here).
      float[] centres = {0.1f, 0.1f, 0.4f, 0.35f, 0.6f, 0.6f, 0.9f, 0.8f};
      Operand<TFloat32> frames = t.constant(x, M, H, W, C);
      double err =
          t.gradientError(
              in -> PatchCropper.crop(t.tf(), frames, in.get(0), P), List.of(centres), List.of(new long[] {M, 2}), 1e-2f, 8);
      assertTrue(err < 2e-3, "centre gradient error " + err);
    }
  }

  @Test
  void imageGradientMatchesFiniteDifferences() {
    try (TfTest t = TfTest.create()) {
      float[] centres = {0.13f, 0.91f, 0.52f, 0.07f, 0.999f, 0.4f, 0.77f, 0.61f};
      Operand<TFloat32> c = t.constant(centres, M, 2);
      // Linear in the image: central differences exact up to float32 rounding.
      double err =
          t.gradientError(
              in -> PatchCropper.crop(t.tf(), in.get(0), c, P), List.of(frames()), List.of(new long[] {M, H, W, C}), 1e-2f, 120);
      assertTrue(err < 1e-3, "image gradient error " + err);
    }
  }

  @Test
  void badSizesNameBothSizes() {
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> f = t.placeholder(M, H, W, C);
      Operand<TFloat32> c = t.placeholder(M, 2);
      assertMessage("got patch 8 for frames of 8×7 pixels", () -> PatchCropper.crop(t.tf(), f, c, 8));
      assertMessage("got patch 0 for frames of 8×7 pixels", () -> PatchCropper.crop(t.tf(), f, c, 0));
      assertMessage("static H and W", () -> PatchCropper.crop(t.tf(), t.placeholder(M, -1, W, C), c, 2));
      assertMessage("centres [M, 2]", () -> PatchCropper.crop(t.tf(), f, t.placeholder(M, 3), 2));
      assertMessage("frames has 4 frames, centres has 5", () -> PatchCropper.crop(t.tf(), f, t.placeholder(5, 2), 2));
    }
  }
}
