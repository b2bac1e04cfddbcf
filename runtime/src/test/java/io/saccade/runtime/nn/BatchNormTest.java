package io.saccade.runtime.nn;

import static io.saccade.runtime.nn.Conv2dTest.assertMessage;
import static io.saccade.runtime.nn.Reference.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class BatchNormTest {

  private static final int C = 3;
  private static final float[] GAMMA = {1.5f, 0.5f, -1f};
  private static final float[] BETA = {0.1f, -0.2f, 0.3f};

  @Test
  void inferenceUsesGivenStatistics() {
    float[] x = TfTest.randomFloats(21, 2 * 3 * 4 * C, 2f);
    double[] mean = {0.3, -0.5, 1.0};
    double[] var = {0.5, 2.0, 0.1};
    float[] expected = Reference.batchNorm(x, C, mean, var, GAMMA, BETA, 1e-5);
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y =
          BatchNorm.apply(
              t.tf(), t.constant(x, 2, 3, 4, C), t.constant(GAMMA, C), t.constant(BETA, C),
              t.constant(floats(mean), C), t.constant(floats(var), C), 1e-5f);
      assertClose(expected, t.eval(y), 1e-5);
      Operand<TFloat32> y2 =
          BatchNorm.apply(
              t.tf(), t.constant(x, 24, C), t.constant(GAMMA, C), t.constant(BETA, C),
              t.constant(floats(mean), C), t.constant(floats(var), C), 1e-5f);
      assertEquals(Shape.of(24, C), y2.shape());
      assertClose(expected, t.eval(y2), 1e-5);
    }
  }

  @Test
  void trainingNormalisesWithBatchStatisticsAndUpdatesMovingAveragesLikePyTorch() {
    float[] x = TfTest.randomFloats(22, 2 * 3 * 4 * C, 2f);
    double[] mean = Reference.mean(x, C);
    double[] biased = Reference.biasedVariance(x, C);
    int n = x.length / C;
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y =
          BatchNorm.builder()
              .gammaInitializer(Initializer.values(GAMMA))
              .build(t.ctx(Mode.TRAINING).child("bn"), t.constant(x, 2, 3, 4, C));
      List<Op> updates = t.store().trainingUpdates();
      assertEquals(2, updates.size());
      float[] out = runWithUpdates(t, y, updates);
      float[] beta0 = new float[C];
      assertClose(Reference.batchNorm(x, C, mean, biased, GAMMA, beta0, 1e-5), out, 1e-4);
      float[] expectedMean = new float[C];
      float[] expectedVar = new float[C];
      for (int c = 0; c < C; c++) {
        expectedMean[c] = (float) (0.9 * 0 + 0.1 * mean[c]);
        expectedVar[c] = (float) (0.9 * 1 + 0.1 * biased[c] * n / (n - 1)); // PyTorch: unbiased running var
      }
      assertClose(expectedMean, t.eval(t.store().get("bn/moving_mean").variable()), 1e-5);
      assertClose(expectedVar, t.eval(t.store().get("bn/moving_variance").variable()), 1e-5);
      assertEquals(
          List.of("bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance"),
          t.store().all().stream().map(Parameter::name).toList());
      assertEquals(
          List.of(Parameter.Role.BN_SCALE, Parameter.Role.BN_OFFSET, Parameter.Role.BN_MOVING_MEAN, Parameter.Role.BN_MOVING_VARIANCE),
          t.store().all().stream().map(Parameter::role).toList());
    }
  }

  @Test
  void inferenceBuildReadsTheMovingStatisticsTheTrainingBuildUpdated() {
    float[] x = TfTest.randomFloats(23, 4 * 2 * 2 * C, 1f);
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> input = t.constant(x, 4, 2, 2, C);
      Operand<TFloat32> train = BatchNorm.builder().momentum(0.25f).build(t.ctx(Mode.TRAINING).child("bn"), input);
      Operand<TFloat32> infer = BatchNorm.builder().momentum(0.25f).build(t.ctx(Mode.INFERENCE).child("bn"), input);
      assertEquals(2, t.store().trainingUpdates().size(), "the inference build registers no updates");
      runWithUpdates(t, train, t.store().trainingUpdates());
      runWithUpdates(t, train, t.store().trainingUpdates());
      double[] mean = Reference.mean(x, C);
      double[] var = Reference.biasedVariance(x, C);
      int n = x.length / C;
      double[] m = new double[C];
      double[] v = {1, 1, 1};
      for (int step = 0; step < 2; step++) {
        for (int c = 0; c < C; c++) {
          m[c] = 0.75 * m[c] + 0.25 * mean[c];
          v[c] = 0.75 * v[c] + 0.25 * var[c] * n / (n - 1);
        }
      }
      assertClose(Reference.batchNorm(x, C, m, v, new float[] {1, 1, 1}, new float[C], 1e-5), t.eval(infer), 1e-5);
    }
  }

  @Test
  void aLayerBuiltTwiceInOneTrainingStepUpdatesTwiceInOrder() {
    float[] x1 = TfTest.randomFloats(24, 6 * C, 1f);
    float[] x2 = TfTest.randomFloats(25, 6 * C, 3f);
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y1 = BatchNorm.builder().build(t.ctx(Mode.TRAINING).child("bn"), t.constant(x1, 6, C));
      Operand<TFloat32> y2 = BatchNorm.builder().build(t.ctx(Mode.TRAINING).child("bn"), t.constant(x2, 6, C));
      assertEquals(4, t.store().trainingUpdates().size());
      assertEquals(4, t.store().all().size());
      runWithUpdates(t, t.tf().math.add(y1, y2), t.store().trainingUpdates());
      double[] m = new double[C];
      double[] v = {1, 1, 1};
      for (float[] x : List.of(x1, x2)) {
        double[] mean = Reference.mean(x, C);
        double[] var = Reference.biasedVariance(x, C);
        for (int c = 0; c < C; c++) {
          m[c] = 0.9 * m[c] + 0.1 * mean[c];
          v[c] = 0.9 * v[c] + 0.1 * var[c] * 6 / 5;
        }
      }
      assertClose(floats(m), t.eval(t.store().get("bn/moving_mean").variable()), 1e-5);
      assertClose(floats(v), t.eval(t.store().get("bn/moving_variance").variable()), 1e-5);
    }
  }

  @Test
  void twoDimensionalInputWithUnknownBatchKeepsItsStaticShape() {
    float[] x = TfTest.randomFloats(26, 5 * C, 1f);
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> p = t.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, C)));
      Operand<TFloat32> y = BatchNorm.builder().build(t.ctx(Mode.TRAINING).child("bn1d"), p);
      assertArrayEquals(new long[] {-1, C}, y.shape().asArray()); // Shape.equals is false with unknown dims
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(5, C), org.tensorflow.ndarray.buffer.DataBuffers.of(x));
          Result r = t.session().runner().feed(p, in).fetch(y).run()) {
        float[] expected =
            Reference.batchNorm(x, C, Reference.mean(x, C), Reference.biasedVariance(x, C), new float[] {1, 1, 1}, new float[C], 1e-5);
        assertClose(expected, TfTest.toFloats((TFloat32) r.get(0)), 1e-4);
      }
    }
  }

  // Central differences, eps 1e-2 on values of order 1: batch norm is smooth, so the O(eps²) truncation
  // and float32 rounding stay well below 1% of the largest gradient (measured <= 1e-5).
  @Test
  void trainingGradientsWrtInputScaleAndOffsetMatchFiniteDifferences() {
    try (TfTest t = TfTest.create()) {
      double err =
          t.gradientError(
              in -> BatchNorm.applyTraining(t.tf(), in.get(0), in.get(1), in.get(2), 1e-5f).output(),
              List.of(TfTest.randomFloats(27, 2 * 3 * 3 * C, 1f), GAMMA, BETA),
              List.of(new long[] {2, 3, 3, C}, new long[] {C}, new long[] {C}),
              1e-2f,
              30);
      assertTrue(err < 1e-2, "relative gradient error " + err);
    }
  }

  @Test
  void inferenceGradientsWrtInputScaleAndOffsetMatchFiniteDifferences() {
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> mean = t.constant(new float[] {0.2f, -0.1f, 0.5f}, C);
      Operand<TFloat32> var = t.constant(new float[] {0.7f, 1.3f, 0.4f}, C);
      double err =
          t.gradientError(
              in -> BatchNorm.apply(t.tf(), in.get(0), in.get(1), in.get(2), mean, var, 1e-5f),
              List.of(TfTest.randomFloats(28, 2 * 3 * 3 * C, 1f), GAMMA, BETA),
              List.of(new long[] {2, 3, 3, C}, new long[] {C}, new long[] {C}),
              1e-2f,
              30);
      assertTrue(err < 1e-2, "relative gradient error " + err);
    }
  }

  @Test
  void badArgumentsThrowNamingValueAndLimit() {
    assertMessage(() -> BatchNorm.builder().epsilon(0f), "epsilon", "> 0", "0.0");
    assertMessage(() -> BatchNorm.builder().momentum(1.5f), "momentum", "[0, 1]", "1.5");
    assertMessage(() -> BatchNorm.builder().momentum(Float.NaN), "momentum", "NaN");
    try (TfTest t = TfTest.create()) {
      assertMessage(() -> BatchNorm.builder().build(t.ctx(Mode.TRAINING), t.constant(new float[3], 3)), "rank >= 2", "[3]");
      Operand<TFloat32> unknown = t.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, -1)));
      assertMessage(() -> BatchNorm.builder().build(t.ctx(Mode.TRAINING), unknown), "channel", "[2, -1]");
      assertMessage(
          () -> BatchNorm.applyTraining(t.tf(), t.constant(new float[3], 1, 3), t.constant(GAMMA, C), t.constant(BETA, C), 1e-5f),
          "more than 1 value per channel", "[1, 3]");
      assertMessage(
          () -> BatchNorm.builder().build(t.ctx(Mode.TRAINING), t.constant(new float[3], 1, 1, 1, 3)),
          "more than 1 value per channel", "[1, 1, 1, 3]");
      assertEquals(List.of(), t.store().all());
    }
  }

  private static float[] runWithUpdates(TfTest t, Operand<TFloat32> y, List<Op> updates) {
    Session.Runner runner = t.session().runner().fetch(y);
    updates.forEach(runner::addTarget);
    try (Result r = runner.run()) {
      return TfTest.toFloats((TFloat32) r.get(0));
    }
  }

  private static float[] floats(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
