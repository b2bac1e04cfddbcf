package io.saccade.runtime.train;

import io.saccade.runtime.nn.Initializer;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.testing.TfTest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Tiny models built from raw ops and store parameters, for optimizer and checkpoint tests. */
final class Toy {

  private Toy() {}

  /** A scalar float placeholder (learning rate). */
  static Placeholder<TFloat32> scalarPlaceholder(Ops tf) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
  }

  /** Runs the train op once with the learning rate fed, returning the loss computed in the same run. */
  static float step(Session s, TrainOp train, Placeholder<TFloat32> lr, float rate, Operand<TFloat32> loss) {
    try (TFloat32 r = TFloat32.scalarOf(rate);
        Result out = s.runner().feed(lr, r).addTarget(train).fetch(loss).run()) {
      return ((TFloat32) out.get(0)).getFloat();
    }
  }

  /**
   * The least-squares model {@code loss = ½·Σ_i (A_i·w + b − y_i)²} with {@code w [3]} a decayed weight
   * and {@code b [1]} a bias (not decayed) trained at {@code biasMultiplier} × the base rate.
   */
  record LeastSquares(Parameter w, Parameter b, Operand<TFloat32> loss) {
    static final double[][] A = {{1.0, -0.5, 0.25}, {0.5, 2.0, -1.0}, {-1.5, 0.5, 1.0}, {0.25, -1.0, 0.75}};
    static final double[] Y = {1.0, -2.0, 0.5, 3.0};
    static final float[] W0 = {0.3f, -0.2f, 0.5f};
    static final float B0 = 0.1f;

    static LeastSquares build(TfTest t, float biasMultiplier) {
      Ops tf = t.tf();
      ParameterStore store = t.store();
      Parameter w = store.parameter("lin/w", Parameter.Role.WEIGHT, Shape.of(3), Initializer.values(W0), 1f);
      Parameter b =
          store.parameter("lin/b", Parameter.Role.BIAS, Shape.of(1), Initializer.values(new float[] {B0}), biasMultiplier);
      float[] a = new float[12];
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 3; j++) {
          a[i * 3 + j] = (float) A[i][j];
        }
      }
      float[] y = new float[4];
      for (int i = 0; i < 4; i++) {
        y[i] = (float) Y[i];
      }
      Operand<TFloat32> pred =
          tf.math.add(
              tf.reshape(tf.linalg.matMul(t.constant(a, 4, 3), tf.reshape(w.variable(), tf.constant(new long[] {3, 1}))),
                  tf.constant(new long[] {4})),
              b.variable());
      Operand<TFloat32> r = tf.math.sub(pred, t.constant(y, 4));
      Operand<TFloat32> loss = tf.math.mul(tf.constant(0.5f), tf.reduceSum(tf.math.mul(r, r), tf.constant(0)));
      return new LeastSquares(w, b, loss);
    }

    /** Gradient {@code [dw0, dw1, dw2, db]} at {@code (w, b)} in double precision. */
    static double[] gradient(double[] w, double b) {
      double[] g = new double[4];
      for (int i = 0; i < 4; i++) {
        double r = A[i][0] * w[0] + A[i][1] * w[1] + A[i][2] * w[2] + b - Y[i];
        for (int j = 0; j < 3; j++) {
          g[j] += A[i][j] * r;
        }
        g[3] += r;
      }
      return g;
    }
  }

  /**
   * A small conv classifier: conv 3×3 (4 → 6 channels, [2, 6, 6, 4] input) → ReLU → global mean →
   * dense to 3 classes → cross-entropy; plus a moving mean of the logits registered as a training update.
   */
  record ConvNet(Operand<TFloat32> loss, List<Parameter> trainables) {
    static ConvNet build(TfTest t) {
      Ops tf = t.tf();
      ParameterStore store = t.store();
      Parameter kernel =
          store.parameter("conv/kernel", Parameter.Role.WEIGHT, Shape.of(3, 3, 4, 6), Initializer.normal(0.3f), 1f);
      Parameter bias = store.parameter("conv/bias", Parameter.Role.BIAS, Shape.of(6), Initializer.constant(0.05f), 1f);
      Parameter dense =
          store.parameter("fc/kernel", Parameter.Role.WEIGHT, Shape.of(6, 3), Initializer.normal(0.5f), 5f);
      Parameter fcBias = store.parameter("fc/bias", Parameter.Role.BIAS, Shape.of(3), Initializer.zeros(), 10f);
      Parameter moving =
          store.parameter("fc/moving_mean", Parameter.Role.BN_MOVING_MEAN, Shape.of(3), Initializer.zeros(), 1f);
      Operand<TFloat32> x = t.constant(TfTest.randomFloats(11, 2 * 6 * 6 * 4, 1f), 2, 6, 6, 4);
      Operand<TFloat32> h =
          tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, kernel.variable(), List.of(1L, 1L, 1L, 1L), "SAME"), bias.variable()));
      Operand<TFloat32> pooled = tf.math.mean(h, tf.constant(new int[] {1, 2}));
      Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(pooled, dense.variable()), fcBias.variable());
      Operand<TInt32> labels = tf.constant(new int[] {2, 0});
      Operand<TFloat32> loss = Losses.crossEntropy(tf, logits, labels);
      Operand<TFloat32> batchMean = tf.math.mean(logits, tf.constant(0));
      // moving = 0.9·moving + 0.1·batch mean, like a BN moving statistic.
      store.addTrainingUpdate(
          tf.assign(
              moving.variable(),
              tf.math.add(tf.math.mul(tf.constant(0.9f), moving.variable()), tf.math.mul(tf.constant(0.1f), batchMean))));
      return new ConvNet(loss, store.trainables());
    }
  }

  /** Every VariableV2 of the graph by name: float[] or long[] values. */
  static Map<String, Object> snapshot(TfTest t) {
    List<GraphOperation> vars = new ArrayList<>();
    for (Iterator<GraphOperation> it = t.graph().operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.type().equals("VariableV2")) {
        vars.add(op);
      }
    }
    Session.Runner runner = t.session().runner();
    vars.forEach(v -> runner.fetch(v.output(0)));
    Map<String, Object> out = new LinkedHashMap<>();
    try (Result r = runner.run()) {
      for (int i = 0; i < vars.size(); i++) {
        if (r.get(i) instanceof TFloat32 f) {
          out.put(vars.get(i).name(), TfTest.toFloats(f));
        } else {
          TInt64 l = (TInt64) r.get(i);
          long[] values = new long[(int) l.shape().size()];
          l.copyTo(DataBuffers.of(values, false, false));
          out.put(vars.get(i).name(), values);
        }
      }
    }
    return out;
  }
}
