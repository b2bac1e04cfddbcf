package io.saccade.runtime.nn;

import static io.saccade.runtime.nn.Conv2dTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class DropoutTest {

  @Test
  void inferenceAndRateZeroAreTheIdentity() {
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> x = t.constant(new float[] {1, 2, 3}, 3);
      assertSame(x, Dropout.apply(t.ctx(Mode.INFERENCE), x, 0.5f));
      assertSame(x, Dropout.apply(t.ctx(Mode.TRAINING), x, 0f));
    }
  }

  @Test
  void trainingKeepsAboutOneMinusRateAndScalesByItsInverse() {
    int n = 20_000;
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y = Dropout.apply(t.ctx(Mode.TRAINING).child("drop"), t.constant(ones, 200, 100), 0.3f);
      assertEquals(Shape.of(200, 100), y.shape());
      float[] out = t.eval(y);
      int kept = 0;
      double sum = 0;
      for (float v : out) {
        assertTrue(v == 0f || v == 1f / 0.7f, "element " + v + " is neither 0 nor 1/0.7");
        kept += v == 0f ? 0 : 1;
        sum += v;
      }
      // binomial std of the kept fraction: sqrt(0.7·0.3/20000) ≈ 0.0032; allow ~6 std
      assertEquals(0.7, kept / (double) n, 0.02);
      assertEquals(1.0, sum / n, 0.03);
    }
  }

  @Test
  void gradientIsTheSameMaskOverKeepWithStaticOrUnknownBatch() {
    for (boolean unknownBatch : new boolean[] {false, true}) {
      float[] xv = TfTest.randomFloats(51, 4 * 50, 1f);
      float[] wv = TfTest.randomFloats(52, 4 * 50, 1f);
      try (TfTest t = TfTest.create()) {
        Ops tf = t.tf();
        Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(unknownBatch ? -1 : 4, 50)));
        Operand<TFloat32> y = Dropout.apply(t.ctx(Mode.TRAINING).child("drop"), x, 0.5f);
        Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(y, t.constant(wv, 4, 50)), tf.constant(new int[] {0, 1}));
        var grad = tf.gradients(loss, List.of(x)).dy(0);
        float[] out;
        float[] g;
        // fed by hand: TfTest.evalAll feeds by the placeholder's static shape
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(4, 50), DataBuffers.of(xv));
            Result r = t.session().runner().feed(x, in).fetch(y).fetch(grad).run()) {
          out = TfTest.toFloats((TFloat32) r.get(0));
          g = TfTest.toFloats((TFloat32) r.get(1));
        }
        int dropped = 0;
        for (int i = 0; i < out.length; i++) {
          boolean keptHere = out[i] != 0f;
          dropped += keptHere ? 0 : 1;
          assertEquals(keptHere ? xv[i] * 2f : 0f, out[i], 1e-6);
          assertEquals(keptHere ? wv[i] * 2f : 0f, g[i], 1e-6, "gradient at " + i);
        }
        assertTrue(dropped > 50 && dropped < 150, "dropped " + dropped + " of 200 at rate 0.5");
      }
    }
  }

  @Test
  void masksAreReproducibleRunToRunOfTheProgramAndDifferBetweenBuilds() {
    float[] ones = new float[400];
    Arrays.fill(ones, 1f);
    float[][] first = new float[2][];
    for (int attempt = 0; attempt < 2; attempt++) {
      try (TfTest t = TfTest.create(77)) {
        Operand<TFloat32> x = t.constant(ones, 400);
        Operand<TFloat32> a = Dropout.apply(t.ctx(Mode.TRAINING).child("drop"), x, 0.5f);
        Operand<TFloat32> b = Dropout.apply(t.ctx(Mode.TRAINING).child("drop"), x, 0.5f);
        List<float[]> r = t.evalAll(Map.of(), List.of(a, b));
        assertFalse(Arrays.equals(r.get(0), r.get(1)), "a second build at the same place draws its own mask");
        if (attempt == 0) {
          first = new float[][] {r.get(0), r.get(1)};
        } else {
          assertArrayEquals(first[0], r.get(0));
          assertArrayEquals(first[1], r.get(1));
        }
      }
    }
  }

  @Test
  void badRatesThrowNamingValueAndLimit() {
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> x = t.constant(new float[] {1, 2}, 2);
      assertMessage(() -> Dropout.apply(t.ctx(Mode.TRAINING), x, 1f), "[0, 1)", "1.0");
      assertMessage(() -> Dropout.apply(t.ctx(Mode.INFERENCE), x, -0.1f), "[0, 1)", "-0.1");
      assertMessage(() -> Dropout.apply(t.ctx(Mode.TRAINING), x, Float.NaN), "[0, 1)", "NaN");
    }
  }
  @Test
  void aNoiseKeyGivesTheSameLayerAnIndependentStreamKeyedByTheStep() {
    float[] ones = new float[400];
    Arrays.fill(ones, 1f);
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> x = t.constant(ones, 400);
      Ops tf = t.tf();
      BuildContext seeded = t.ctx(Mode.TRAINING).withNoiseSeed(tf.constant(new long[] {3L, 5L}));
      Operand<TFloat32> first = Dropout.apply(seeded.child("drop"), x, 0.5f);
      Operand<TFloat32> again = Dropout.apply(seeded.child("drop"), x, 0.5f);
      Operand<TFloat32> keyed = Dropout.apply(seeded.withNoiseKey("random").child("drop"), x, 0.5f);
      Operand<TFloat32> keyedAgain = Dropout.apply(seeded.withNoiseKey("random").child("drop"), x, 0.5f);
      List<float[]> out = t.evalAll(Map.of(), List.of(first, again, keyed, keyedAgain));
      assertArrayEquals(out.get(0), out.get(1), "same path, same step: same mask");
      assertArrayEquals(out.get(2), out.get(3), "same key: same mask");
      assertFalse(Arrays.equals(out.get(0), out.get(2)), "another key draws another mask");
    }
  }
}
