package io.saccade.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LayoutsTest {

  /** Values 0, 1, 2, … so every element says where it came from. */
  private static float[] iota(int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  @Test
  void oihwToHwioByHand() {
    // w[o][i][h][w] = 1000o + 100i + 10h + w, shape O=2, I=3, H=1, W=2.
    float[] oihw = new float[12];
    int at = 0;
    for (int o = 0; o < 2; o++) {
      for (int i = 0; i < 3; i++) {
        for (int w = 0; w < 2; w++) {
          oihw[at++] = 1000 * o + 100 * i + w;
        }
      }
    }
    NpyArray hwio = Layouts.oihwToHwio(NpyArray.ofFloats(oihw, 2, 3, 1, 2));
    assertArrayEquals(new long[] {1, 2, 3, 2}, hwio.shape());
    // Row-major over (h=0, w, i, o).
    assertArrayEquals(new float[] {0, 1000, 100, 1100, 200, 1200, 1, 1001, 101, 1101, 201, 1201}, hwio.floats());
    assertArrayEquals(oihw, Layouts.hwioToOihw(hwio).floats());
  }

  @Test
  void transposeMatchesIndexFormula() {
    long[] shape = {2, 3, 4, 5};
    int[] perm = {2, 3, 1, 0};
    float[] in = iota(120);
    float[] out = Layouts.transpose(in, shape, perm);
    // out[a][b][c][d] = in at index with axis perm[k] = k-th output coordinate.
    int at = 0;
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 5; b++) {
        for (int c = 0; c < 3; c++) {
          for (int d = 0; d < 2; d++) {
            // in coordinates: axis0 = d, axis1 = c, axis2 = a, axis3 = b
            assertEquals(((d * 3 + c) * 4 + a) * 5 + b, out[at++]);
          }
        }
      }
    }
  }

  @Test
  void depthwiseLinearAndActivations() {
    // Depthwise [C=3, 1, kh=2, kw=1]: w[c][0][h][0] = 10c + h -> [kh, kw, C, 1] = [[[[0],[10],[20]]],[[[1],[11],[21]]]].
    NpyArray dw = Layouts.depthwiseOihwToHwcm(NpyArray.ofFloats(new float[] {0, 1, 10, 11, 20, 21}, 3, 1, 2, 1));
    assertArrayEquals(new long[] {2, 1, 3, 1}, dw.shape());
    assertArrayEquals(new float[] {0, 10, 20, 1, 11, 21}, dw.floats());
    assertThrows(IllegalArgumentException.class, () -> Layouts.depthwiseOihwToHwcm(NpyArray.ofFloats(iota(12), 3, 2, 2, 1)));

    // Linear [out=2, in=3] -> [in, out].
    NpyArray lin = Layouts.linearToInOut(NpyArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    assertArrayEquals(new long[] {3, 2}, lin.shape());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, lin.floats());

    // NCHW [1, 2, 2, 2] -> NHWC: channel c at (h, w) = 100c + 10h + w.
    NpyArray nchw = NpyArray.ofFloats(new float[] {0, 1, 10, 11, 100, 101, 110, 111}, 1, 2, 2, 2);
    NpyArray nhwc = Layouts.nchwToNhwc(nchw);
    assertArrayEquals(new float[] {0, 100, 1, 101, 10, 110, 11, 111}, nhwc.floats());
    assertArrayEquals(nchw.floats(), Layouts.nhwcToNchw(nhwc).floats());
  }

  @Test
  void transposeKeepsDtypeAndExactValues() {
    NpyArray d = Layouts.transpose(NpyArray.ofDoubles(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 2, 3), 1, 0);
    assertEquals(NpyArray.DType.FLOAT64, d.dtype());
    assertArrayEquals(new double[] {0.1, 0.4, 0.2, 0.5, 0.3, 0.6}, d.doubles());
    NpyArray l = Layouts.transpose(NpyArray.ofLongs(new long[] {1L << 60, 2, 3, 4}, 2, 2), 1, 0);
    assertArrayEquals(new long[] {1L << 60, 3, 2, 4}, l.longs());
    NpyArray same = NpyArray.ofFloats(iota(6), 2, 3);
    assertSame(same, Layouts.transpose(same, 0, 1));
  }

  @Test
  void badArgumentsAreNamed() {
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
        () -> Layouts.oihwToHwio(NpyArray.ofFloats(iota(6), 2, 3)));
    assertEquals("an OIHW conv kernel needs rank 4, got shape [2, 3]", rank.getMessage());
    IllegalArgumentException perm = assertThrows(IllegalArgumentException.class,
        () -> Layouts.transpose(iota(6), new long[] {2, 3}, 0, 0));
    assertEquals("axes [0, 0] are not a permutation of 0..1", perm.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Layouts.transpose(iota(5), new long[] {2, 3}, 1, 0));
  }
}
