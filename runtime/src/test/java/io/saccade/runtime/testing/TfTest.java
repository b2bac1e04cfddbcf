package io.saccade.runtime.testing;

import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.ParameterStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A graph, its ops, a parameter store and a lazily opened session, for tests that build a few ops and
 * check numbers. Close it (try-with-resources) to free the native graph.
 *
 * <pre>{@code
 * try (TfTest t = TfTest.create()) {
 *   Operand<TFloat32> x = t.constant(new float[] {1, 2, 3, 4}, 2, 2);
 *   float[] y = t.eval(t.tf().math.square(x));
 * }
 * }</pre>
 */
public final class TfTest implements AutoCloseable {

  private final Graph graph = new Graph();
  private final Ops tf = Ops.create(graph);
  private final ParameterStore store;
  private Session session;

  private TfTest(long seed) {
    store = new ParameterStore(graph, seed);
  }

  public static TfTest create() {
    return new TfTest(1234L);
  }

  public static TfTest create(long seed) {
    return new TfTest(seed);
  }

  public Graph graph() {
    return graph;
  }

  public Ops tf() {
    return tf;
  }

  public ParameterStore store() {
    return store;
  }

  /** A root build context in {@code mode}. */
  public BuildContext ctx(Mode mode) {
    return BuildContext.root(tf, store, mode);
  }

  /** A float constant of the given shape (row-major data). */
  public Operand<TFloat32> constant(float[] data, long... shape) {
    return tf.constant(Shape.of(shape), DataBuffers.of(data));
  }

  /** A float placeholder of the given static shape. */
  public Placeholder<TFloat32> placeholder(long... shape) {
    return tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
  }

  /** The session (opened on first use; initialisers run on its first {@code run}). */
  public Session session() {
    if (session == null) {
      session = new Session(graph);
    }
    return session;
  }

  /** Evaluates one float operand. */
  public float[] eval(Operand<?> fetch) {
    return eval(Map.of(), fetch);
  }

  /** Evaluates one float operand with placeholders fed. */
  public float[] eval(Map<? extends Operand<?>, float[]> feeds, Operand<?> fetch) {
    return evalAll(feeds, List.of(fetch)).get(0);
  }

  /** Evaluates float operands in one run, with placeholders fed (by the placeholder's static shape). */
  public List<float[]> evalAll(Map<? extends Operand<?>, float[]> feeds, List<? extends Operand<?>> fetches) {
    Session.Runner runner = session().runner();
    List<Tensor> fed = new ArrayList<>();
    try {
      for (Map.Entry<? extends Operand<?>, float[]> e : feeds.entrySet()) {
        Shape shape = e.getKey().shape();
        TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(e.getValue()));
        fed.add(t);
        runner.feed(e.getKey(), t);
      }
      fetches.forEach(runner::fetch);
      try (Result result = runner.run()) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < fetches.size(); i++) {
          out.add(toFloats(result.get(i)));
        }
        return out;
      }
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /** Copies a float, int or long tensor into a row-major float array. */
  public static float[] toFloats(Tensor tensor) {
    float[] out = new float[(int) tensor.shape().size()];
    if (tensor instanceof TFloat32 t) {
      t.copyTo(DataBuffers.of(out, false, false));
    } else if (tensor instanceof org.tensorflow.types.TInt32 t) {
      int[] v = new int[out.length];
      t.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < v.length; i++) {
        out[i] = v[i];
      }
    } else if (tensor instanceof org.tensorflow.types.TInt64 t) {
      long[] v = new long[out.length];
      t.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < v.length; i++) {
        out[i] = v[i];
      }
    } else {
      throw new IllegalArgumentException("cannot read a " + tensor.dataType() + " tensor as floats");
    }
    return out;
  }

  /** Deterministic values uniform in [-scale, scale). */
  /**
   * Gives every batch-norm offset, scale and moving statistic a random value (scales and variances in
   * [0.5, 1)), so that what a layer computes on a zero frame is far from 0 and differs at the border.
   */
  public void randomizeBatchNorms(int seed) {
    var r = session().runner();
    int next = seed;
    for (Parameter p : store().all()) {
      if (p.role() == Parameter.Role.BN_OFFSET || p.role() == Parameter.Role.BN_MOVING_MEAN
          || p.role() == Parameter.Role.BN_SCALE || p.role() == Parameter.Role.BN_MOVING_VARIANCE) {
        float[] v = randomFloats(next++, (int) p.size(), 0.5f);
        if (p.role() == Parameter.Role.BN_MOVING_VARIANCE || p.role() == Parameter.Role.BN_SCALE) {
          for (int i = 0; i < v.length; i++) {
            v[i] = 0.5f + Math.abs(v[i]);
          }
        }
        r.addTarget(tf().assign(p.variable(), tf().constant(p.shape(), DataBuffers.of(v))));
      }
    }
    r.run();
  }

  public static float[] randomFloats(long seed, int n, float scale) {
    Random r = new Random(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (r.nextFloat() * 2f - 1f) * scale;
    }
    return out;
  }

  /**
   * Checks {@code d loss / d inputs} of {@code loss = sum(w · f(inputs))} (w fixed random weights) against
   * central finite differences in float32 and returns the worst error relative to the largest gradient
   * magnitude. Each input is a placeholder fed with the given values; {@code f} builds the op under test
   * from them. Up to {@code samplesPerInput} elements of each input are perturbed.
   *
   * @param epsilon the finite-difference step (1e-2 suits float32 with values of order 1)
   */
  public double gradientError(
      Function<List<Operand<TFloat32>>, Operand<TFloat32>> f,
      List<float[]> values,
      List<long[]> shapes,
      float epsilon,
      int samplesPerInput) {
    List<Placeholder<TFloat32>> inputs = new ArrayList<>();
    for (long[] shape : shapes) {
      inputs.add(placeholder(shape));
    }
    Operand<TFloat32> y = f.apply(new ArrayList<>(inputs));
    int n = (int) y.shape().size();
    if (n < 0) {
      throw new IllegalArgumentException("gradientError needs an output of static shape, got " + y.shape());
    }
    Operand<TFloat32> w = constant(randomFloats(99, n, 1f), y.shape().asArray());
    Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(y, w), tf.range(tf.constant(0), tf.rank(y), tf.constant(1)));
    var grads = tf.gradients(loss, inputs);
    List<Operand<?>> gradOps = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      gradOps.add(grads.dy(i));
    }
    Map<Operand<?>, float[]> feeds = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      feeds.put(inputs.get(i), values.get(i).clone());
    }
    List<float[]> analytic = evalAll(feeds, gradOps);
    double worst = 0;
    double scale = 1e-6;
    for (float[] g : analytic) {
      for (float v : g) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    Random pick = new Random(7);
    for (int i = 0; i < inputs.size(); i++) {
      float[] x = feeds.get(inputs.get(i));
      int count = Math.min(samplesPerInput, x.length);
      for (int s = 0; s < count; s++) {
        int j = count == x.length ? s : pick.nextInt(x.length);
        float saved = x[j];
        x[j] = saved + epsilon;
        double plus = eval(feeds, loss)[0];
        x[j] = saved - epsilon;
        double minus = eval(feeds, loss)[0];
        x[j] = saved;
        double numeric = (plus - minus) / (2 * epsilon);
        worst = Math.max(worst, Math.abs(numeric - analytic.get(i)[j]) / scale);
      }
    }
    return worst;
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
