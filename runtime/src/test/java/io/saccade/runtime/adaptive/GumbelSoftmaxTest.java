package io.saccade.runtime.adaptive;

import static io.saccade.runtime.adaptive.TemporalShiftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.testing.TfTest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class GumbelSoftmaxTest {

  private static final int ROWS = 64;
  private static final int K = 5;

  private static int argmax(float[] v, int row, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (v[row * k + j] > v[row * k + best]) {
        best = j;
      }
    }
    return best;
  }

  @Test
  void straightThroughForwardIsExactlyTheOneHotOfTheNoisyArgmax() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      float[] logits = TfTest.randomFloats(1, ROWS * K, 2f);
      Operand<TFloat32> l = t.constant(logits, ROWS, K);
      Operand<TFloat32> g = GumbelSoftmax.noise(tf, Shape.of(ROWS, K));
      // τ = 0.37: soft values well below 1, where the textbook (1 − s) + s would round.
      Operand<TFloat32> st = GumbelSoftmax.straightThrough(tf, l, GumbelSoftmax.temperature(tf, 0.37f), g);
      List<float[]> out = t.evalAll(Map.of(), List.of(st, g));
      float[] y = out.get(0);
      float[] noise = out.get(1);
      float[] z = new float[ROWS * K];
      for (int i = 0; i < z.length; i++) {
        z[i] = logits[i] + noise[i];
      }
      for (int r = 0; r < ROWS; r++) {
        int hot = argmax(z, r, K);
        for (int j = 0; j < K; j++) {
          assertEquals(j == hot ? 1f : 0f, y[r * K + j], 0f, "row " + r + " choice " + j); // bit-exact
        }
      }
    }
  }

  @Test
  void straightThroughGradientIsTheSoftSamplesGradient() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      float[] logits = TfTest.randomFloats(2, 8 * 3, 1.5f);
      float[] noise = TfTest.randomFloats(3, 8 * 3, 1f);
      Placeholder<TFloat32> l = t.placeholder(8, 3);
      Operand<TFloat32> tau = GumbelSoftmax.temperature(tf, 0.7f);
      Operand<TFloat32> w = t.constant(TfTest.randomFloats(4, 8 * 3, 1f), 8, 3);
      Operand<TInt32> axes = tf.constant(new int[] {0, 1});
      Operand<TFloat32> g = t.constant(noise, 8, 3);
      Operand<TFloat32> stLoss = tf.reduceSum(tf.math.mul(w, GumbelSoftmax.straightThrough(tf, l, tau, g)), axes);
      Operand<TFloat32> softLoss = tf.reduceSum(tf.math.mul(w, GumbelSoftmax.soft(tf, l, tau, g)), axes);
      List<float[]> grads =
          t.evalAll(
              Map.of(l, logits),
              List.of(tf.gradients(stLoss, List.of(l)).dy(0), tf.gradients(softLoss, List.of(l)).dy(0)));
      // The same ops on the backward path: equal to float rounding.
      assertArrayEquals(grads.get(1), grads.get(0), 1e-6f);
      assertTrue(Arrays.stream(box(grads.get(0))).anyMatch(v -> Math.abs(v) > 1e-3), "gradient is not trivially zero");

      // And the soft path's analytic gradient matches central differences (smooth; step 1e-2 → error
      // O(1e-4) relative to the largest gradient).
      double err =
          t.gradientError(
              in -> GumbelSoftmax.soft(tf, in.get(0), tau, g), List.of(logits), List.of(new long[] {8, 3}), 1e-2f, 24);
      assertTrue(err < 5e-3, "soft gradient error " + err);
    }
  }

  @Test
  void softMatchesAJavaReference() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      float[] logits = TfTest.randomFloats(5, 4 * 3, 2f);
      float[] noise = TfTest.randomFloats(6, 4 * 3, 1f);
      float tau = 0.5f;
      Placeholder<TFloat32> fedTau = tf.placeholder(TFloat32.class); // unknown shape
      Operand<TFloat32> soft = GumbelSoftmax.soft(tf, t.constant(logits, 4, 3), fedTau, t.constant(noise, 4, 3));
      assertArrayEquals(new long[] {4, 3}, soft.shape().asArray(), "static shape despite the unknown τ shape");
      float[] y;
      try (TFloat32 tauT = TFloat32.scalarOf(tau);
          Result r = t.session().runner().feed(fedTau, tauT).fetch(soft).run()) {
        y = TfTest.toFloats((TFloat32) r.get(0));
      }
      for (int row = 0; row < 4; row++) {
        double sum = 0;
        double[] e = new double[3];
        for (int j = 0; j < 3; j++) {
          e[j] = Math.exp((logits[row * 3 + j] + noise[row * 3 + j]) / tau);
          sum += e[j];
        }
        for (int j = 0; j < 3; j++) {
          assertEquals(e[j] / sum, y[row * 3 + j], 1e-6);
        }
      }
    }
  }

  @Test
  void argmaxPathIsDeterministic() {
    try (TfTest t = TfTest.create()) {
      float[] logits = TfTest.randomFloats(7, ROWS * 2, 1f);
      Operand<TFloat32> l = t.constant(logits, ROWS, 2);
      Operand<TFloat32> a = GumbelSoftmax.argmaxOneHot(t.tf(), l);
      Operand<TFloat32> s = GumbelSoftmax.sample(t.ctx(Mode.INFERENCE), l, null);
      float[] first = t.eval(a);
      assertArrayEquals(first, t.eval(a), 0f);
      assertArrayEquals(first, t.eval(s), 0f);
      assertArrayEquals(first, t.eval(s), 0f);
      for (int r = 0; r < ROWS; r++) {
        int hot = argmax(logits, r, 2);
        assertEquals(1f, first[r * 2 + hot], 0f);
        assertEquals(0f, first[r * 2 + 1 - hot], 0f);
      }
    }
  }

  @Test
  void trainingSampleIsNoisyOneHotAndDifferentiableWithADynamicBatch() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      // logits = features · W with a dynamic batch: the noise shape comes from tf.shape(logits).
      Placeholder<TFloat32> features = t.placeholder(-1, 3);
      Placeholder<TFloat32> weights = t.placeholder(3, 2);
      Operand<TFloat32> logits = tf.linalg.matMul(features, weights);
      Operand<TFloat32> tau = tf.constant(1f);
      Operand<TFloat32> s = GumbelSoftmax.sample(t.ctx(Mode.TRAINING), logits, tau);
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(s, tf.constant(new float[] {0.3f, 1.7f})), tf.constant(new int[] {0, 1}));
      Operand<TFloat32> dw = tf.gradients(loss, List.of(weights)).dy(0);
      float[] f = new float[ROWS * 3]; // zero features: logits 0, every decision is pure noise
      float[] w = TfTest.randomFloats(8, 6, 1f);
      List<float[]> a = evalFeeding(t, features, f, ROWS, weights, w, List.of(s, dw));
      List<float[]> b = evalFeeding(t, features, f, ROWS, weights, w, List.of(s, dw));
      int ones = 0;
      for (int r = 0; r < ROWS; r++) {
        assertEquals(1f, a.get(0)[2 * r] + a.get(0)[2 * r + 1], 0f);
        ones += (int) a.get(0)[2 * r + 1];
      }
      // Fair coin over 64 rows: between 16 and 48 ones with probability > 0.9999.
      assertTrue(ones > 16 && ones < 48, "ones " + ones);
      assertFalse(Arrays.equals(a.get(0), b.get(0)), "two training draws were identical");
      assertEquals(6, a.get(1).length);
    }
  }

  private static List<float[]> evalFeeding(
      TfTest t, Placeholder<TFloat32> features, float[] f, int rows, Placeholder<TFloat32> weights, float[] w,
      List<Operand<TFloat32>> fetches) {
    var runner = t.session().runner();
    try (TFloat32 ft = TFloat32.tensorOf(Shape.of(rows, 3), DataBuffers.of(f));
        TFloat32 wt = TFloat32.tensorOf(Shape.of(3, 2), DataBuffers.of(w))) {
      runner.feed(features, ft).feed(weights, wt);
      fetches.forEach(runner::fetch);
      try (Result r = runner.run()) {
        return List.of(TfTest.toFloats((TFloat32) r.get(0)), TfTest.toFloats((TFloat32) r.get(1)));
      }
    }
  }

  @Test
  void noiseIsRoughlyGumbel() {
    try (TfTest t = TfTest.create()) {
      int n = 200_000;
      float[] g = t.eval(GumbelSoftmax.noise(t.tf(), Shape.of(n), 42));
      double mean = 0;
      for (float v : g) {
        mean += v;
      }
      mean /= n;
      double var = 0;
      for (float v : g) {
        var += (v - mean) * (v - mean);
      }
      var /= n;
      // Gumbel(0, 1): mean = Euler–Mascheroni 0.5772, variance π²/6 = 1.6449; standard errors at 2e5
      // samples are 0.003 and 0.011, so these tolerances are ~7 standard errors.
      assertEquals(0.5772, mean, 0.02);
      assertEquals(Math.PI * Math.PI / 6, var, 0.08);
    }
  }

  @Test
  void badTemperaturesAreRejected() {
    try (TfTest t = TfTest.create()) {
      assertMessage("got 0.0", () -> GumbelSoftmax.temperature(t.tf(), 0f));
      assertMessage("got -1.0", () -> GumbelSoftmax.requirePositiveTemperature(-1f));
      assertMessage("got NaN", () -> GumbelSoftmax.temperature(t.tf(), Float.NaN));
      assertMessage("got Infinity", () -> GumbelSoftmax.temperature(t.tf(), Float.POSITIVE_INFINITY));
      assertEquals(0.01f, GumbelSoftmax.requirePositiveTemperature(0.01f));
      assertMessage(
          "must be a scalar", () -> GumbelSoftmax.soft(t.tf(), t.constant(new float[2], 1, 2), t.constant(new float[2], 2), null));

      // A fed temperature is checked when the graph runs.
      Placeholder<TFloat32> tau = t.tf().placeholder(TFloat32.class);
      Operand<TFloat32> s = GumbelSoftmax.soft(t.tf(), t.constant(new float[] {1, 2}, 1, 2), tau, null);
      try (TFloat32 zero = TFloat32.scalarOf(0f)) {
        TFInvalidArgumentException e =
            assertThrows(TFInvalidArgumentException.class, () -> t.session().runner().feed(tau, zero).fetch(s).run().close());
        assertTrue(e.getMessage().contains("temperature must be finite and > 0"), e.getMessage());
      }
    }
  }

  @Test
  void badShapesAreRejected() {
    try (TfTest t = TfTest.create()) {
      assertMessage("fully static shape", () -> GumbelSoftmax.noise(t.tf(), Shape.of(-1, 2)));
      assertMessage("static number of choices", () -> GumbelSoftmax.argmaxOneHot(t.tf(), t.placeholder(4, -1)));
      assertMessage(
          "does not match logits shape",
          () ->
              GumbelSoftmax.straightThrough(
                  t.tf(), t.constant(new float[4], 2, 2), t.tf().constant(1f), t.constant(new float[6], 2, 3)));
    }
  }

  private static Float[] box(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
