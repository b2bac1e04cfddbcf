package io.saccade.runtime.nn;

import static io.saccade.runtime.nn.Reference.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ActivationsTest {

  private static final float[] X = {-7f, -3.5f, -3f, -2.9f, -1f, -0.25f, 0f, 0.5f, 2.5f, 3f, 3.2f, 5.9f, 6f, 8f};

  @Test
  void valuesMatchPyTorchDefinitions() {
    check(Activations::relu, v -> Math.max(v, 0));
    check(Activations::relu6, v -> Math.min(Math.max(v, 0), 6));
    check(Activations::hardSigmoid, v -> Math.min(Math.max(v + 3, 0), 6) / 6);
    check(Activations::hardSwish, v -> v * Math.min(Math.max(v + 3, 0), 6) / 6);
    check(Activations::sigmoid, v -> 1 / (1 + Math.exp(-v)));
    check(Activations::tanh, Math::tanh);
  }

  private static void check(BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> f, DoubleUnaryOperator ref) {
    float[] expected = new float[X.length];
    for (int i = 0; i < X.length; i++) {
      expected[i] = (float) ref.applyAsDouble(X[i]);
    }
    try (TfTest t = TfTest.create()) {
      assertClose(expected, t.eval(f.apply(t.tf(), t.constant(X, X.length))), 1e-6);
    }
  }

  // Central differences, eps 1e-3, on points at least 0.05 from the kinks (−3, 0, 3, 6): smooth there;
  // float32 rounding over the small step dominates, measured worst relative error <= 7e-4.
  @Test
  void gradientsMatchFiniteDifferences() {
    float[] x = {-4f, -2.5f, -1.2f, -0.3f, 0.4f, 1.7f, 2.6f, 4f, 7f};
    List<BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>>> fs =
        List.of(
            Activations::relu6, Activations::hardSigmoid, Activations::hardSwish, Activations::sigmoid, Activations::tanh);
    for (var f : fs) {
      try (TfTest t = TfTest.create()) {
        double err = t.gradientError(in -> f.apply(t.tf(), in.get(0)), List.of(x), List.of(new long[] {x.length}), 1e-3f, x.length);
        assertTrue(err < 5e-3, "relative gradient error " + err);
      }
    }
  }
}
