package io.saccade.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class GruTest {

  private static final int N = 2;
  private static final int T = 3;
  private static final int IN = 4;
  private static final int H = 5;

  /** torch.nn.GRU's equations, one clip at a time, in double precision; w stored [in, 3H] as Gru does. */
  static double[][] reference(float[] x, int n, float[] wIh, float[] wHh, float[] bIh, float[] bHh) {
    double[][] out = new double[T][H];
    double[] h = new double[H];
    for (int t = 0; t < T; t++) {
      double[] gx = new double[3 * H];
      double[] gh = new double[3 * H];
      for (int j = 0; j < 3 * H; j++) {
        gx[j] = bIh[j];
        for (int i = 0; i < IN; i++) {
          gx[j] += x[(n * T + t) * IN + i] * wIh[i * 3 * H + j];
        }
        gh[j] = bHh[j];
        for (int i = 0; i < H; i++) {
          gh[j] += h[i] * wHh[i * 3 * H + j];
        }
      }
      double[] next = new double[H];
      for (int j = 0; j < H; j++) {
        double r = 1 / (1 + Math.exp(-(gx[j] + gh[j])));
        double z = 1 / (1 + Math.exp(-(gx[H + j] + gh[H + j])));
        double c = Math.tanh(gx[2 * H + j] + r * gh[2 * H + j]);
        next[j] = (1 - z) * c + z * h[j];
      }
      h = next;
      out[t] = next.clone();
    }
    return out;
  }

  @Test
  void matchesPyTorchsEquationsWithAnUnknownBatch() {
    float[] x = TfTest.randomFloats(1, N * T * IN, 1.5f);
    float[] wIh = TfTest.randomFloats(2, IN * 3 * H, 0.8f);
    float[] wHh = TfTest.randomFloats(3, H * 3 * H, 0.8f);
    float[] bIh = TfTest.randomFloats(4, 3 * H, 0.5f);
    float[] bHh = TfTest.randomFloats(5, 3 * H, 0.5f);
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> in = t.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, T, IN)));
      Operand<TFloat32> y =
          Gru.apply(t.tf(), in, t.constant(wIh, IN, 3 * H), t.constant(wHh, H, 3 * H), t.constant(bIh, 3 * H),
              t.constant(bHh, 3 * H));
      assertArrayEquals(new long[] {-1, T, H}, y.shape().asArray());
      // TfTest feeds by the placeholder's static shape; feed a [N, T, IN] tensor by hand.
      float[] got;
      try (TFloat32 tensor = TFloat32.tensorOf(Shape.of(N, T, IN), org.tensorflow.ndarray.buffer.DataBuffers.of(x));
          var r = t.session().runner().feed(in, tensor).fetch(y).run()) {
        got = TfTest.toFloats(r.get(0));
      }
      assertEquals(N * T * H, got.length);
      for (int n = 0; n < N; n++) {
        double[][] want = reference(x, n, wIh, wHh, bIh, bHh);
        for (int s = 0; s < T; s++) {
          for (int j = 0; j < H; j++) {
            assertEquals(want[s][j], got[(n * T + s) * H + j], 1e-5, "clip " + n + " step " + s + " unit " + j);
          }
        }
      }
    }
  }

  @Test
  void builderCreatesPyTorchsParametersAndGradientsMatchFiniteDifferences() {
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y = Gru.builder(H).build(t.ctx(Mode.TRAINING).child("gru"), t.placeholder(N, T, IN));
      assertEquals(Shape.of(N, T, H), y.shape());
      List<String> names = t.store().all().stream().map(Parameter::name).toList();
      assertEquals(List.of("gru/weight_ih", "gru/weight_hh", "gru/bias_ih", "gru/bias_hh"), names);
      assertEquals(3L * H * (IN + H) + 6L * H, t.store().trainableSize());
    }
    float[] x = TfTest.randomFloats(6, N * T * IN, 1f);
    float[] wIh = TfTest.randomFloats(7, IN * 3 * H, 0.6f);
    float[] wHh = TfTest.randomFloats(8, H * 3 * H, 0.6f);
    float[] b = TfTest.randomFloats(9, 3 * H, 0.3f);
    try (TfTest t = TfTest.create()) {
      double err =
          t.gradientError(
              in -> Gru.apply(t.tf(), in.get(0), in.get(1), in.get(2), in.get(3), in.get(3)),
              List.of(x, wIh, wHh, b),
              List.of(new long[] {N, T, IN}, new long[] {IN, 3 * H}, new long[] {H, 3 * H}, new long[] {3 * H}),
              1e-2f,
              12);
      assertTrue(err < 2e-3, "GRU gradient vs finite differences: " + err);
    }
  }

  @Test
  void stepByStepEqualsTheWholeSequenceWithTheSameParameters() {
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> in = t.placeholder(N, T, IN);
      BuildContext ctx = t.ctx(Mode.INFERENCE).child("gru");
      Operand<TFloat32> whole = Gru.builder(H).build(ctx, in);
      Operand<TFloat32> h = null;
      List<Operand<TFloat32>> steps = new java.util.ArrayList<>();
      for (int s = 0; s < T; s++) {
        Operand<TFloat32> xs = t.tf().gather(in, t.tf().constant(s), t.tf().constant(1));
        h = Gru.builder(H).step(ctx, xs, h);
        steps.add(h);
      }
      assertEquals(4, t.store().all().size(), "the steps reuse the sequence's four parameters");
      Operand<TFloat32> stepped = t.tf().stack(steps, org.tensorflow.op.core.Stack.axis(1L));
      List<float[]> v = t.evalAll(java.util.Map.of(in, TfTest.randomFloats(11, N * T * IN, 1f)), List.of(whole, stepped));
      assertArrayEquals(v.get(0), v.get(1), 1e-5f);
    }
  }

  @Test
  void rejectsAnInputWithoutStaticSteps() {
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> in = t.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, -1, IN)));
      var e = assertThrows(IllegalArgumentException.class,
          () -> Gru.apply(t.tf(), in, t.placeholder(IN, 3 * H), t.placeholder(H, 3 * H), t.placeholder(3 * H),
              t.placeholder(3 * H)));
      assertTrue(e.getMessage().contains("[2, -1, 4]") || e.getMessage().contains("static T"), e.getMessage());
    }
  }

  @Test
  void builderRejectsAnInputOfTheWrongRankOrWithoutStaticFeatures() {
    try (TfTest t = TfTest.create()) {
      var rank = assertThrows(IllegalArgumentException.class,
          () -> Gru.builder(H).build(t.ctx(Mode.TRAINING).child("gru"), t.placeholder(N, IN)));
      assertTrue(rank.getMessage().contains("GRU") && rank.getMessage().contains("[N, T, in]")
          && rank.getMessage().contains("[" + N + ", " + IN + "]"), rank.getMessage());
      Placeholder<TFloat32> in = t.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(N, T, -1)));
      var features = assertThrows(IllegalArgumentException.class,
          () -> Gru.builder(H).build(t.ctx(Mode.TRAINING).child("gru2"), in));
      assertTrue(features.getMessage().contains("GRU") && features.getMessage().contains("[" + N + ", " + T + ", -1]"),
          features.getMessage());
    }
  }
}
