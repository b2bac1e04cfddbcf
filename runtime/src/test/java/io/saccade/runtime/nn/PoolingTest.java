package io.saccade.runtime.nn;

import static io.saccade.runtime.nn.Conv2dTest.assertMessage;
import static io.saccade.runtime.nn.Reference.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class PoolingTest {

  // Inputs are all negative (in [-4, -2]), so zero padding instead of −∞ would show up as 0 maxima.
  @ParameterizedTest(name = "max {0}x{1} k{2} s{3} p{4}")
  @CsvSource({"8, 6, 3, 2, 1", "7, 7, 3, 1, 1", "7, 6, 2, 2, 0", "9, 8, 3, 2, 0", "5, 5, 3, 3, 1", "6, 6, 2, 1, 1"})
  void maxPoolMatchesDirectLoopsWithMinusInfinityPadding(int h, int w, int k, int s, int p) {
    int m = 2;
    int c = 3;
    float[] x = TfTest.randomFloats(31, m * h * w * c, 1f);
    for (int i = 0; i < x.length; i++) {
      x[i] -= 3f;
    }
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y = Pooling.maxPool(t.tf(), t.constant(x, m, h, w, c), k, s, p);
      assertEquals(Shape.of(m, Reference.out(h, k, s, p, 1), Reference.out(w, k, s, p, 1), c), y.shape());
      assertClose(Reference.pool(x, m, h, w, c, k, s, p, true, false), t.eval(y), 0);
    }
  }

  @ParameterizedTest(name = "avg {0}x{1} k{2} s{3} p{4} includePad={5}")
  @CsvSource({
    "8, 6, 3, 2, 1, true", "8, 6, 3, 2, 1, false", // AFNet's AvgPool(3, 2, 1) shortcut
    "7, 7, 3, 1, 1, true", "7, 7, 3, 1, 1, false",
    "6, 6, 2, 2, 0, true", "7, 5, 5, 2, 2, true", "7, 5, 5, 2, 2, false", "6, 7, 2, 1, 1, false"
  })
  void avgPoolMatchesDirectLoops(int h, int w, int k, int s, int p, boolean countIncludePad) {
    int m = 2;
    int c = 3;
    float[] x = TfTest.randomFloats(32, m * h * w * c, 1f);
    for (int i = 0; i < x.length; i++) {
      x[i] += 2f; // positive, so the divisor matters visibly at the borders
    }
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y = Pooling.avgPool(t.tf(), t.constant(x, m, h, w, c), k, s, p, countIncludePad);
      assertEquals(Shape.of(m, Reference.out(h, k, s, p, 1), Reference.out(w, k, s, p, 1), c), y.shape());
      assertClose(Reference.pool(x, m, h, w, c, k, s, p, false, countIncludePad), t.eval(y), 1e-6);
    }
  }

  @Test
  void globalAvgPoolAveragesHeightAndWidth() {
    float[] x = TfTest.randomFloats(33, 2 * 3 * 4 * 5, 1f);
    float[] expected = new float[2 * 5];
    for (int i = 0; i < x.length; i++) {
      expected[(i / (3 * 4 * 5)) * 5 + i % 5] += x[i] / 12f;
    }
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> flat = Pooling.globalAvgPool(t.tf(), t.constant(x, 2, 3, 4, 5));
      Operand<TFloat32> kept = Pooling.globalAvgPool(t.tf(), t.constant(x, 2, 3, 4, 5), true);
      assertEquals(Shape.of(2, 5), flat.shape());
      assertEquals(Shape.of(2, 1, 1, 5), kept.shape());
      assertClose(expected, t.eval(flat), 1e-6);
      assertClose(expected, t.eval(kept), 1e-6);
    }
  }

  // Central differences. Max pool: eps 1e-3 so no perturbation changes the argmax of random distinct
  // values; avg pool is linear (eps 1e-2). Measured worst relative errors <= 2e-4.
  @ParameterizedTest(name = "k{0} s{1} p{2} {3}")
  @CsvSource({"3, 2, 1, max", "3, 1, 1, max", "3, 2, 1, avgInclude", "3, 2, 1, avgExclude", "3, 1, 1, avgExclude"})
  void gradientsMatchFiniteDifferences(int k, int s, int p, String kind) {
    try (TfTest t = TfTest.create()) {
      double err =
          t.gradientError(
              in ->
                  switch (kind) {
                    case "max" -> Pooling.maxPool(t.tf(), in.get(0), k, s, p);
                    case "avgInclude" -> Pooling.avgPool(t.tf(), in.get(0), k, s, p, true);
                    default -> Pooling.avgPool(t.tf(), in.get(0), k, s, p, false);
                  },
              List.of(TfTest.randomFloats(34, 2 * 6 * 5 * 2, 1f)),
              List.of(new long[] {2, 6, 5, 2}),
              kind.equals("max") ? 1e-3f : 1e-2f,
              60);
      assertTrue(err < 1e-2, "relative gradient error " + err);
    }
  }

  @Test
  void badArgumentsThrowNamingValueAndLimit() {
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> x = t.constant(new float[6 * 6 * 2], 1, 6, 6, 2);
      assertMessage(() -> Pooling.maxPool(t.tf(), x, 3, 2, 2), "padding must be <= kernel/2 = 1", "got 2");
      assertMessage(() -> Pooling.avgPool(t.tf(), x, 2, 2, 2, true), "kernel/2 = 1", "got 2");
      assertMessage(() -> Pooling.maxPool(t.tf(), x, 0, 1, 0), "kernel", ">= 1", "0");
      assertMessage(() -> Pooling.avgPool(t.tf(), x, 3, 0, 1, true), "stride", ">= 1", "0");
      assertMessage(() -> Pooling.maxPool(t.tf(), x, 9, 1, 1), "9 pixels", "8 pixels");
      assertMessage(() -> Pooling.globalAvgPool(t.tf(), t.constant(new float[4], 2, 2)), "rank-4", "[2, 2]");
      Operand<TFloat32> dynamic = t.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 2)));
      assertMessage(() -> Pooling.avgPool(t.tf(), dynamic, 3, 2, 1, false), "static height and width", "[1, -1, -1, 2]");
    }
  }
}
