package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.nn.Initializer;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.testing.TfTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class OptimizerTest {

  // Two steps at different fed rates, to see the rate really is read each step.
  private static final float[] RATES = {0.05f, 0.02f};
  private static final float BIAS_MULTIPLIER = 10f;

  /** Plain-Java SGD with PyTorch semantics on the least-squares toy; returns {w0, w1, w2, b}. */
  private static double[] sgdReference(double momentum, boolean nesterov, double wd, double clip) {
    return sgdReference(momentum, nesterov, wd, clip, false);
  }

  private static double[] sgdReference(double momentum, boolean nesterov, double wd, double clip, boolean decayBias) {
    double[] w = {Toy.LeastSquares.W0[0], Toy.LeastSquares.W0[1], Toy.LeastSquares.W0[2]};
    double b = Toy.LeastSquares.B0;
    double[] buf = new double[4];
    for (float rate : RATES) {
      double[] g = clip(Toy.LeastSquares.gradient(w, b), clip);
      for (int j = 0; j < 3; j++) {
        g[j] += wd * w[j]; // w is decayed, b is not
      }
      if (decayBias) {
        g[3] += wd * b;
      }
      double[] p = {w[0], w[1], w[2], b};
      for (int j = 0; j < 4; j++) {
        buf[j] = momentum * buf[j] + g[j];
        double direction = nesterov ? g[j] + momentum * buf[j] : buf[j];
        double lr = rate * (j == 3 ? BIAS_MULTIPLIER : 1.0);
        p[j] -= lr * direction;
      }
      w = new double[] {p[0], p[1], p[2]};
      b = p[3];
    }
    return new double[] {w[0], w[1], w[2], b};
  }

  /** Plain-Java Adam in TensorFlow's form (ε outside the v correction). */
  private static double[] adamReference(double beta1, double beta2, double eps, double wd, double clip) {
    double[] p = {Toy.LeastSquares.W0[0], Toy.LeastSquares.W0[1], Toy.LeastSquares.W0[2], Toy.LeastSquares.B0};
    double[] m = new double[4];
    double[] v = new double[4];
    for (int t = 1; t <= RATES.length; t++) {
      double[] g = clip(Toy.LeastSquares.gradient(new double[] {p[0], p[1], p[2]}, p[3]), clip);
      for (int j = 0; j < 3; j++) {
        g[j] += wd * p[j];
      }
      for (int j = 0; j < 4; j++) {
        double lr = RATES[t - 1] * (j == 3 ? BIAS_MULTIPLIER : 1.0);
        double lrT = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        m[j] = beta1 * m[j] + (1 - beta1) * g[j];
        v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j];
        p[j] -= lrT * m[j] / (Math.sqrt(v[j]) + eps);
      }
    }
    return p;
  }

  /** torch.nn.utils.clip_grad_norm_ on the raw gradient; clip 0 = off. */
  private static double[] clip(double[] g, double clip) {
    if (clip <= 0) {
      return g;
    }
    double norm = 0;
    for (double x : g) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    double coef = Math.min(1.0, clip / (norm + 1e-6));
    double[] out = g.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= coef;
    }
    return out;
  }

  private static float[] trainLeastSquares(Optimizer optimizer) {
    try (TfTest t = TfTest.create()) {
      Toy.LeastSquares model = Toy.LeastSquares.build(t, BIAS_MULTIPLIER);
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(t.tf());
      TrainOp train = optimizer.minimize(t.tf(), model.loss(), t.store(), lr);
      for (float rate : RATES) {
        Toy.step(t.session(), train, lr, rate, model.loss());
      }
      float[] w = t.eval(model.w().variable());
      float[] b = t.eval(model.b().variable());
      return new float[] {w[0], w[1], w[2], b[0]};
    }
  }

  private static void assertClose(double[] expected, float[] actual) {
    // float32 graph vs double reference over two steps of O(1) values: 2e-5 absolute is ample.
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 2e-5, "element " + i);
    }
  }

  @Test
  void sgdMomentumMatchesPyTorchFormulasWithDecayOnlyOnWeightsAndBiasMultiplier() {
    float[] got = trainLeastSquares(SgdMomentum.builder().momentum(0.9f).weightDecay(0.1f).build());
    double[] want = sgdReference(0.9, false, 0.1, 0);
    assertClose(want, got);
    // Had the bias been decayed too, it would land ≈ 5e-3 away: the flag is honoured.
    double[] decayedBias = sgdReference(0.9, false, 0.1, 0, true);
    assertTrue(Math.abs(decayedBias[3] - got[3]) > 1e-3, "bias moved as if decayed: " + got[3]);
  }

  @Test
  void nesterovMatchesReference() {
    float[] got = trainLeastSquares(SgdMomentum.builder().momentum(0.8f).nesterov(true).weightDecay(0.05f).build());
    assertClose(sgdReference(0.8, true, 0.05, 0), got);
  }

  @Test
  void plainSgdWithoutMomentumMatchesReference() {
    float[] got = trainLeastSquares(SgdMomentum.builder().build());
    assertClose(sgdReference(0, false, 0, 0), got);
  }

  @Test
  void globalNormClippingMatchesClipGradNorm() {
    // The raw gradient norm at the start is ≈ 6.6, so a threshold of 1 really clips.
    double[] g0 = Toy.LeastSquares.gradient(
        new double[] {Toy.LeastSquares.W0[0], Toy.LeastSquares.W0[1], Toy.LeastSquares.W0[2]}, Toy.LeastSquares.B0);
    assertTrue(Math.sqrt(g0[0] * g0[0] + g0[1] * g0[1] + g0[2] * g0[2] + g0[3] * g0[3]) > 3);
    float[] got = trainLeastSquares(SgdMomentum.builder().momentum(0.9f).weightDecay(0.1f).clipNorm(1f).build());
    assertClose(sgdReference(0.9, false, 0.1, 1.0), got);
  }

  @Test
  void adamMatchesReferenceWithBiasCorrection() {
    float[] got = trainLeastSquares(Adam.builder().beta1(0.8f).beta2(0.95f).epsilon(1e-3f).weightDecay(0.1f).build());
    assertClose(adamReference(0.8, 0.95, 1e-3, 0.1, 0), got);
  }

  @Test
  void adamWithClippingMatchesReference() {
    float[] got = trainLeastSquares(Adam.builder().epsilon(1e-3f).clipNorm(1f).build());
    assertClose(adamReference(0.9, 0.999, 1e-3, 0, 1.0), got);
  }

  @Test
  void twoLayerGradientsUseTheWeightsBeforeTheUpdate() {
    // loss = ½·Σ_i (A_i·W1·w2 − y_i)²: W1's gradient reads w2, so an update of w2 that ran before it
    // (no control dependency on all gradients) would show up here.
    double[][] a = Toy.LeastSquares.A;
    double[] y = Toy.LeastSquares.Y;
    float[] w1Init = TfTest.randomFloats(5, 6, 0.8f);
    float[] w2Init = TfTest.randomFloats(6, 2, 0.8f);
    double[] w1 = new double[6];
    double[] w2 = new double[2];
    for (int i = 0; i < 6; i++) {
      w1[i] = w1Init[i];
    }
    for (int i = 0; i < 2; i++) {
      w2[i] = w2Init[i];
    }
    float rate = 0.3f;
    for (int step = 0; step < 3; step++) {
      double[] g1 = new double[6];
      double[] g2 = new double[2];
      for (int i = 0; i < 4; i++) {
        double[] h = new double[2];
        for (int k = 0; k < 2; k++) {
          for (int j = 0; j < 3; j++) {
            h[k] += a[i][j] * w1[j * 2 + k];
          }
        }
        double r = h[0] * w2[0] + h[1] * w2[1] - y[i];
        for (int k = 0; k < 2; k++) {
          g2[k] += h[k] * r;
          for (int j = 0; j < 3; j++) {
            g1[j * 2 + k] += a[i][j] * w2[k] * r;
          }
        }
      }
      for (int i = 0; i < 6; i++) {
        w1[i] -= rate * g1[i];
      }
      for (int k = 0; k < 2; k++) {
        w2[k] -= rate * g2[k];
      }
    }
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      Parameter p1 = t.store().parameter("l1", Parameter.Role.WEIGHT, Shape.of(3, 2), Initializer.values(w1Init), 1f);
      Parameter p2 = t.store().parameter("l2", Parameter.Role.WEIGHT, Shape.of(2, 1), Initializer.values(w2Init), 1f);
      float[] af = new float[12];
      float[] yf = new float[4];
      for (int i = 0; i < 4; i++) {
        yf[i] = (float) y[i];
        for (int j = 0; j < 3; j++) {
          af[i * 3 + j] = (float) a[i][j];
        }
      }
      Operand<TFloat32> pred = tf.linalg.matMul(tf.linalg.matMul(t.constant(af, 4, 3), p1.variable()), p2.variable());
      Operand<TFloat32> r = tf.math.sub(pred, t.constant(yf, 4, 1));
      Operand<TFloat32> loss = tf.math.mul(tf.constant(0.5f), tf.reduceSum(tf.math.mul(r, r), tf.constant(new int[] {0, 1})));
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(tf);
      TrainOp train = SgdMomentum.builder().build().minimize(tf, loss, t.store(), lr);
      for (int step = 0; step < 3; step++) {
        Toy.step(t.session(), train, lr, rate, loss);
      }
      float[] got1 = t.eval(p1.variable());
      float[] got2 = t.eval(p2.variable());
      for (int i = 0; i < 6; i++) {
        assertEquals(w1[i], got1[i], 2e-5, "W1[" + i + "]");
      }
      for (int k = 0; k < 2; k++) {
        assertEquals(w2[k], got2[k], 2e-5, "w2[" + k + "]");
      }
    }
  }

  @Test
  void gradientNormIsTheRawGlobalNorm() {
    try (TfTest t = TfTest.create()) {
      Toy.LeastSquares model = Toy.LeastSquares.build(t, BIAS_MULTIPLIER);
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(t.tf());
      TrainOp train = SgdMomentum.builder().clipNorm(1f).build().minimize(t.tf(), model.loss(), t.store(), lr);
      double[] g = Toy.LeastSquares.gradient(
          new double[] {Toy.LeastSquares.W0[0], Toy.LeastSquares.W0[1], Toy.LeastSquares.W0[2]}, Toy.LeastSquares.B0);
      double norm = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2] + g[3] * g[3]);
      assertEquals(norm, t.eval(train.gradientNorm())[0], 1e-5 * norm);
    }
  }

  @Test
  void stepCounterStateNamesAndTrainingUpdates() {
    try (TfTest t = TfTest.create()) {
      Toy.ConvNet net = Toy.ConvNet.build(t);
      List<Parameter> before = t.store().trainables();
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(t.tf());
      TrainOp train = Adam.builder().build().minimize(t.tf(), net.loss(), t.store(), lr);
      assertEquals(before, t.store().trainables(), "optimizer state must not become a trainable parameter");
      assertEquals("optimizer/step", train.step().op().name());
      for (String name :
          List.of("optimizer/adam_m/conv/kernel", "optimizer/adam_v/fc/bias", "optimizer/beta1_power", "optimizer/beta2_power")) {
        assertNotNull(t.graph().operation(name), name);
        assertEquals("VariableV2", t.graph().operation(name).type(), name);
      }
      float[] moving0 = t.eval(t.store().get("fc/moving_mean").variable());
      assertArrayEquals(new float[3], moving0);
      Toy.step(t.session(), train, lr, 0.01f, net.loss());
      Toy.step(t.session(), train, lr, 0.01f, net.loss());
      Map<String, Object> snap = Toy.snapshot(t);
      assertArrayEquals(new long[] {2}, (long[]) snap.get("optimizer/step"));
      float[] b1 = (float[]) snap.get("optimizer/beta1_power");
      assertEquals(0.9f * 0.9f * 0.9f, b1[0], 1e-7f, "β1^(t+1) after two steps");
      float[] moving = (float[]) snap.get("params/fc/moving_mean");
      assertTrue(moving[0] != 0f, "the store's training update ran with the training op");
    }
  }

  @Test
  void unreachableParameterIsNamed() {
    try (TfTest t = TfTest.create()) {
      Toy.LeastSquares model = Toy.LeastSquares.build(t, 1f);
      t.store().parameter("head/orphan", Parameter.Role.WEIGHT, Shape.of(2), Initializer.zeros(), 1f);
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(t.tf());
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> SgdMomentum.builder().build().minimize(t.tf(), model.loss(), t.store(), lr));
      assertTrue(e.getMessage().contains("head/orphan"), e.getMessage());
      assertTrue(!e.getMessage().contains("lin/w"), e.getMessage());
    }
  }

  @Test
  void parameterReachedOnlyThroughNonDifferentiableOpsIsNamed() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      Parameter a = t.store().parameter("a", Parameter.Role.WEIGHT, Shape.of(3), Initializer.ones(), 1f);
      Parameter gate = t.store().parameter("gate", Parameter.Role.OTHER, Shape.of(3), Initializer.ones(), 1f);
      Operand<TFloat32> loss =
          tf.math.add(
              tf.reduceSum(tf.math.mul(a.variable(), a.variable()), tf.constant(0)),
              tf.dtypes.cast(tf.math.argMax(gate.variable(), tf.constant(0)), TFloat32.class));
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(tf);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SgdMomentum.builder().build().minimize(tf, loss, t.store(), lr));
      assertTrue(e.getMessage().contains("[gate]"), e.getMessage());
    }
  }

  @Test
  void squareOfAVariableIsRejectedInsteadOfCrashingTheJvm() {
    // Measured: tf.gradients through Square whose input is a VariableV2 output dies with SIGSEGV.
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      Parameter a = t.store().parameter("sq/a", Parameter.Role.WEIGHT, Shape.of(3), Initializer.ones(), 1f);
      Operand<TFloat32> loss = tf.reduceSum(tf.math.square(a.variable()), tf.constant(0));
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(tf);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SgdMomentum.builder().build().minimize(tf, loss, t.store(), lr));
      assertTrue(e.getMessage().contains("params/sq/a") && e.getMessage().contains("tf.identity"), e.getMessage());
    }
    try (TfTest t = TfTest.create()) {
      // Through an identity it works.
      Ops tf = t.tf();
      Parameter a = t.store().parameter("sq/a", Parameter.Role.WEIGHT, Shape.of(3), Initializer.ones(), 1f);
      Operand<TFloat32> loss = tf.reduceSum(tf.math.square(tf.identity(a.variable())), tf.constant(0));
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(tf);
      TrainOp train = SgdMomentum.builder().build().minimize(tf, loss, t.store(), lr);
      Toy.step(t.session(), train, lr, 0.25f, loss);
      assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, t.eval(a.variable())); // 1 − 0.25·2·1
    }
  }

  @Test
  void badArgumentsAreRejectedWhileBuilding() {
    assertThrows(IllegalArgumentException.class, () -> SgdMomentum.builder().momentum(-0.1f).build());
    assertThrows(IllegalArgumentException.class, () -> SgdMomentum.builder().nesterov(true).build());
    IllegalArgumentException wd =
        assertThrows(IllegalArgumentException.class, () -> SgdMomentum.builder().weightDecay(Float.NaN).build());
    assertTrue(wd.getMessage().contains("NaN"), wd.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Adam.builder().beta1(1f).build());
    assertThrows(IllegalArgumentException.class, () -> Adam.builder().clipNorm(-1f).build());
    assertThrows(IllegalArgumentException.class, () -> Adam.builder().stateScope("a/b").build());
    try (TfTest t = TfTest.create()) {
      Toy.LeastSquares model = Toy.LeastSquares.build(t, 1f);
      Ops tf = t.tf();
      Optimizer sgd = SgdMomentum.builder().build();
      Placeholder<TFloat32> vectorRate = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2)));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> sgd.minimize(tf, model.loss(), t.store(), vectorRate));
      assertTrue(e.getMessage().contains("learningRate") && e.getMessage().contains("[2]"), e.getMessage());
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(tf);
      assertThrows(IllegalArgumentException.class, () -> sgd.minimize(tf, model.loss(), List.of(), List.of(), lr));
      assertThrows(
          IllegalArgumentException.class,
          () -> sgd.minimize(tf, model.loss(), List.of(model.w(), model.w()), List.of(), lr));
      sgd.minimize(tf, model.loss(), t.store(), lr);
      IllegalArgumentException twice =
          assertThrows(IllegalArgumentException.class, () -> sgd.minimize(tf, model.loss(), t.store(), lr));
      assertTrue(twice.getMessage().contains("optimizer/step"), twice.getMessage());
    }
  }

  @Test
  void linearRegressionConverges() {
    // y = 2·x0 − 3·x1 + 0.5 on 8 fixed points; SGD with momentum reaches the exact solution.
    float[] x = TfTest.randomFloats(3, 16, 1f);
    float[] y = new float[8];
    for (int i = 0; i < 8; i++) {
      y[i] = 2f * x[2 * i] - 3f * x[2 * i + 1] + 0.5f;
    }
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      Parameter w = t.store().parameter("w", Parameter.Role.WEIGHT, Shape.of(2, 1), Initializer.zeros(), 1f);
      Parameter b = t.store().parameter("b", Parameter.Role.BIAS, Shape.of(1), Initializer.zeros(), 1f);
      Operand<TFloat32> pred = tf.math.add(tf.linalg.matMul(t.constant(x, 8, 2), w.variable()), b.variable());
      Operand<TFloat32> r = tf.math.sub(pred, t.constant(y, 8, 1));
      Operand<TFloat32> loss = tf.math.mean(tf.math.mul(r, r), tf.constant(new int[] {0, 1}));
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(tf);
      TrainOp train = SgdMomentum.builder().momentum(0.9f).build().minimize(tf, loss, t.store(), lr);
      float first = Toy.step(t.session(), train, lr, 0.1f, loss);
      float last = first;
      for (int i = 0; i < 300; i++) {
        last = Toy.step(t.session(), train, lr, 0.1f, loss);
      }
      assertTrue(last < 1e-8f * Math.max(1f, first), "loss " + first + " -> " + last);
      assertArrayEquals(new float[] {2f, -3f}, t.eval(w.variable()), 1e-3f);
      assertArrayEquals(new float[] {0.5f}, t.eval(b.variable()), 1e-3f);
    }
  }

  @Test
  void twoIdenticalRunsGiveBitIdenticalParameters() {
    Map<String, Object> first = twentySteps();
    Map<String, Object> second = twentySteps();
    assertEquals(first.keySet(), second.keySet());
    for (String name : first.keySet()) {
      if (first.get(name) instanceof float[] f) {
        assertArrayEquals(f, (float[]) second.get(name), name);
      } else {
        assertArrayEquals((long[]) first.get(name), (long[]) second.get(name), name);
      }
    }
  }

  private static Map<String, Object> twentySteps() {
    try (TfTest t = TfTest.create(77)) {
      Toy.ConvNet net = Toy.ConvNet.build(t);
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(t.tf());
      TrainOp train =
          SgdMomentum.builder().momentum(0.9f).weightDecay(5e-4f).clipNorm(2f).build()
              .minimize(t.tf(), net.loss(), t.store(), lr);
      float[] losses = new float[20];
      for (int i = 0; i < 20; i++) {
        losses[i] = Toy.step(t.session(), train, lr, 0.05f, net.loss());
      }
      assertTrue(losses[19] < losses[0], "training lowers the loss: " + losses[0] + " -> " + losses[19]);
      Map<String, Object> snap = Toy.snapshot(t);
      snap.put("losses", losses);
      return snap;
    }
  }
}
