package io.saccade.runtime.nn;

import static io.saccade.runtime.nn.Conv2dTest.assertMessage;
import static io.saccade.runtime.nn.Reference.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class SqueezeExciteTest {

  @Test
  void forwardMatchesPoolFcReluFcHardSigmoidScale() {
    int m = 2, h = 3, w = 4, c = 6, r = 3;
    float[] x = TfTest.randomFloats(61, m * h * w * c, 2f);
    float[] w1 = TfTest.randomFloats(62, c * r, 1f);
    float[] b1 = TfTest.randomFloats(63, r, 0.5f);
    float[] w2 = TfTest.randomFloats(64, r * c, 1f);
    float[] b2 = TfTest.randomFloats(65, c, 0.5f);
    try (TfTest t = TfTest.create()) {
      BuildContext ctx = t.ctx(Mode.TRAINING).child("se");
      // Create the parameters with known values first; the block then reuses them by name.
      ctx.child("fc1").parameter("kernel", Parameter.Role.WEIGHT, Shape.of(1, 1, c, r), Initializer.values(w1));
      ctx.child("fc1").parameter("bias", Parameter.Role.BIAS, Shape.of(r), Initializer.values(b1));
      ctx.child("fc2").parameter("kernel", Parameter.Role.WEIGHT, Shape.of(1, 1, r, c), Initializer.values(w2));
      ctx.child("fc2").parameter("bias", Parameter.Role.BIAS, Shape.of(c), Initializer.values(b2));
      Operand<TFloat32> y = SqueezeExcite.builder(r).build(ctx, t.constant(x, m, h, w, c));
      assertEquals(Shape.of(m, h, w, c), y.shape());
      assertEquals(
          List.of("se/fc1/kernel", "se/fc1/bias", "se/fc2/kernel", "se/fc2/bias"),
          t.store().all().stream().map(Parameter::name).toList());

      float[] expected = new float[x.length];
      for (int n = 0; n < m; n++) {
        float[] pooled = new float[c];
        for (int i = 0; i < h * w; i++) {
          for (int ch = 0; ch < c; ch++) {
            pooled[ch] += x[(n * h * w + i) * c + ch] / (h * w);
          }
        }
        float[] hidden = Reference.linear(pooled, 1, c, w1, r, b1);
        for (int j = 0; j < r; j++) {
          hidden[j] = Math.max(hidden[j], 0f);
        }
        float[] gate = Reference.linear(hidden, 1, r, w2, c, b2);
        for (int i = 0; i < h * w; i++) {
          for (int ch = 0; ch < c; ch++) {
            int idx = (n * h * w + i) * c + ch;
            expected[idx] = x[idx] * Reference.hardSigmoid(gate[ch]);
          }
        }
      }
      assertClose(expected, t.eval(y), 1e-5);
    }
  }

  // Central differences, eps 1e-2, through pool → conv → relu → conv → hard sigmoid → scale; random
  // values keep the relu and hard-sigmoid kinks away from the perturbations (measured ~5e-5).
  @Test
  void gradientWrtInputMatchesFiniteDifferences() {
    try (TfTest t = TfTest.create()) {
      double err =
          t.gradientError(
              in -> SqueezeExcite.builder(4).build(t.ctx(Mode.TRAINING).child("se"), in.get(0)),
              List.of(TfTest.randomFloats(66, 2 * 3 * 3 * 8, 1f)),
              List.of(new long[] {2, 3, 3, 8}),
              1e-2f,
              40);
      assertTrue(err < 1e-2, "relative gradient error " + err);
    }
  }

  @Test
  void badArgumentsThrowNamingValueAndLimit() {
    assertMessage(() -> SqueezeExcite.builder(0), "reduced channels", ">= 1", "0");
    try (TfTest t = TfTest.create()) {
      assertMessage(
          () -> SqueezeExcite.builder(2).build(t.ctx(Mode.TRAINING), t.constant(new float[8], 2, 4)), "rank-4", "[2, 4]");
    }
  }
}
