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
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class LinearTest {

  @Test
  void forwardIsMatrixProductPlusBias() {
    float[] x = TfTest.randomFloats(41, 3 * 5, 1f);
    float[] w = TfTest.randomFloats(42, 5 * 4, 1f);
    float[] b = {0.5f, -0.5f, 1f, 0f};
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y =
          Linear.builder(4)
              .initializer(Initializer.values(w))
              .biasInitializer(Initializer.values(b))
              .build(t.ctx(Mode.TRAINING).child("fc"), t.constant(x, 3, 5));
      assertEquals(Shape.of(3, 4), y.shape());
      assertClose(Reference.linear(x, 3, 5, w, 4, b), t.eval(y), 1e-6);
      assertEquals(Shape.of(5, 4), t.store().get("fc/weight").shape());
      assertEquals(Parameter.Role.WEIGHT, t.store().get("fc/weight").role());
      assertEquals(Parameter.Role.BIAS, t.store().get("fc/bias").role());
      Operand<TFloat32> noBias =
          Linear.builder(4).bias(false).initializer(Initializer.values(w)).build(t.ctx(Mode.TRAINING).child("fc2"), t.constant(x, 3, 5));
      assertClose(Reference.linear(x, 3, 5, w, 4, null), t.eval(noBias), 1e-6);
      assertTrue(!t.store().contains("fc2/bias"));
    }
  }

  @Test
  void defaultInitIsPyTorchUniformWithinOneOverSqrtIn() {
    try (TfTest t = TfTest.create()) {
      Linear.builder(64).build(t.ctx(Mode.TRAINING).child("fc"), t.constant(new float[2 * 100], 2, 100));
      float[] w = t.eval(t.store().get("fc/weight").variable());
      float[] b = t.eval(t.store().get("fc/bias").variable());
      double bound = 1 / Math.sqrt(100);
      double maxW = 0;
      for (float v : w) {
        assertTrue(Math.abs(v) <= bound, "weight " + v + " outside ±" + bound);
        maxW = Math.max(maxW, Math.abs(v));
      }
      for (float v : b) {
        assertTrue(Math.abs(v) <= bound, "bias " + v + " outside ±" + bound);
      }
      assertTrue(maxW > 0.95 * bound, "6400 uniform draws should reach near the bound, max " + maxW);
      // uniform(±a) has std a/sqrt(3); within 5% for 6400 draws
      assertEquals(bound / Math.sqrt(3), Conv2dTest.std(w), 0.05 * bound / Math.sqrt(3));
    }
  }

  // Central differences, eps 1e-2; linear in each input, measured worst relative error ~1.5e-5.
  @Test
  void gradientsWrtInputWeightAndBiasMatchFiniteDifferences() {
    try (TfTest t = TfTest.create()) {
      double err =
          t.gradientError(
              in -> Linear.apply(t.tf(), in.get(0), in.get(1), in.get(2)),
              List.of(TfTest.randomFloats(43, 3 * 5, 1f), TfTest.randomFloats(44, 5 * 4, 1f), TfTest.randomFloats(45, 4, 1f)),
              List.of(new long[] {3, 5}, new long[] {5, 4}, new long[] {4}),
              1e-2f,
              20);
      assertTrue(err < 1e-3, "relative gradient error " + err);
    }
  }

  @Test
  void badArgumentsThrowNamingValueAndLimit() {
    assertMessage(() -> Linear.builder(0), "output features", ">= 1", "0");
    try (TfTest t = TfTest.create()) {
      assertMessage(
          () -> Linear.builder(3).build(t.ctx(Mode.TRAINING), t.constant(new float[8], 2, 2, 2)), "rank-2", "[2, 2, 2]");
      Operand<TFloat32> unknown = t.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, -1)));
      assertMessage(() -> Linear.builder(3).build(t.ctx(Mode.TRAINING), unknown), "channel", "[2, -1]");
      assertMessage(
          () -> Linear.apply(t.tf(), t.constant(new float[6], 2, 3), t.constant(new float[8], 4, 2)),
          "input features (3)", "rows (4)");
      assertEquals(List.of(), t.store().all());
    }
  }
}
