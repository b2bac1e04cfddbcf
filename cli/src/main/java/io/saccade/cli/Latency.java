package io.saccade.cli;

import io.saccade.runtime.blocks.AdaFocusV2;
import io.saccade.runtime.blocks.AfOptions;
import io.saccade.runtime.blocks.Navigation;
import io.saccade.runtime.export.FrozenGraph;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * Measures a network's inference latency, on the frame-skipping path and (for networks with
 * navigation) on the official masked path, with the navigation steered to keep a given fraction of
 * the frames. Latencies are medians over timed runs after warm-up; they are measurements for the
 * {@code bench} and {@code demo} commands, never test assertions.
 */
final class Latency implements AutoCloseable {

  /** One measurement: median milliseconds per batch and the dynamic GFLOPs per clip. */
  record Measurement(double medianMillis, double gflopsPerClip) {}

  private final VideoModel model;
  private final Graph graph = new Graph();
  private final Session session;
  private final ParameterStore store;
  private final Placeholder<TFloat32> clips;
  private final ModelOutputs skipping;
  private final ModelOutputs masked;
  /** With a conditional exit: the graph that stops after the step whose confidence reaches its threshold. */
  private final ModelOutputs exiting;
  private final Placeholder<TFloat32> thresholds;
  /** The step after which {@link #exiting} exits (1-based), or 0: no exit, the batched graph. */
  private int exitAfter;
  private final float[] input;

  /** Milliseconds spent building the graph(s), and creating the session and running the first batch. */
  private final double buildMillis;
  private double firstRunMillis = Double.NaN;

  /**
   * @param input {@code batch} clips to classify, or null for Gaussian noise
   * @param checkpointPrefix weights saved with {@code Session.save}, or null for the initial ones
   */
  Latency(VideoModel model, int batch, float[] input, String checkpointPrefix) {
    this(model, batch, input, checkpointPrefix, 0);
  }

  /**
   * @param threads TensorFlow's intra-op and inter-op thread pools (0: TensorFlow's default, one per core)
   */
  Latency(VideoModel model, int batch, float[] input, String checkpointPrefix, int threads) {
    this(model, batch, input, checkpointPrefix, threads, false);
  }

  /**
   * @param freeze run a {@link FrozenGraph} copy (variables as constants, re-frozen after {@link #steer})
   *     instead of the graph with variables
   */
  Latency(VideoModel model, int batch, float[] input, String checkpointPrefix, int threads, boolean freeze) {
    long t0 = System.nanoTime();
    this.model = model;
    Ops tf = Ops.create(graph);
    store = new ParameterStore(graph, 0);
    int s = model.inputSize();
    clips = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, model.frames(), s, s, 3)));
    skipping = model.build(BuildContext.root(tf.withSubScope("skip"), store, Mode.INFERENCE), clips, tf.constant(1f));
    masked =
        skipping.selections().isEmpty()
            ? null
            : model.build(
                AfOptions.withFrameSkipping(BuildContext.root(tf.withSubScope("masked"), store, Mode.INFERENCE), false),
                clips,
                tf.constant(1f));
    if (skipping.exitScores() != null) {
      thresholds = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(model.frames())));
      exiting =
          model.build(
              AdaFocusV2.withExitThresholds(BuildContext.root(tf.withSubScope("exit"), store, Mode.INFERENCE), thresholds),
              clips,
              tf.constant(1f));
    } else {
      thresholds = null;
      exiting = null;
    }
    buildMillis = (System.nanoTime() - t0) / 1e6;
    session = threads > 0 ? new Session(graph, threads(threads)) : new Session(graph);
    int size = batch * model.frames() * s * s * 3;
    if (input != null && input.length != size) {
      throw new IllegalArgumentException("latency input has " + input.length + " values, expected " + size);
    }
    this.input = input != null ? input : noise(size);
    if (checkpointPrefix != null) {
      session.restore(checkpointPrefix);
    }
    this.freeze = freeze;
    this.config = threads > 0 ? threads(threads) : null;
    refreeze();
  }

  private final boolean freeze;
  private final ConfigProto config;
  private FrozenGraph frozen;

  /** Replaces the frozen copy by one with the variables' current values (no-op unless freezing). */
  private void refreeze() {
    if (!freeze) {
      return;
    }
    if (frozen != null) {
      frozen.close();
    }
    List<Operand<?>> outs = new ArrayList<>(List.of(skipping.clipLogits(), skipping.dynamicGflops()));
    if (masked != null) {
      outs.addAll(List.of(masked.clipLogits(), masked.dynamicGflops()));
    }
    if (exiting != null) {
      outs.addAll(List.of(exiting.clipLogits(), exiting.dynamicGflops()));
    }
    // The variables must hold their initial values before they are read.
    try (Result r = session.runner().fetch(skipping.dynamicGflops()).feed(clips, zeros()).run()) {
      // initialises
    }
    frozen = FrozenGraph.freeze(session, graph, outs, config);
  }

  private TFloat32 zerosTensor;

  private TFloat32 zeros() {
    if (zerosTensor == null) {
      zerosTensor = TFloat32.tensorOf(clips.shape());
      zerosTensor.copyFrom(DataBuffers.of(new float[(int) clips.shape().size()], false, false));
    }
    return zerosTensor;
  }

  /** A session configuration with {@code n} intra-op and {@code n} inter-op threads. */
  static ConfigProto threads(int n) {
    return ConfigProto.newBuilder().setIntraOpParallelismThreads(n).setInterOpParallelismThreads(n).build();
  }

  /** Milliseconds spent building the inference graph(s) in Java. */
  double buildMillis() {
    return buildMillis;
  }

  /** Milliseconds of the first run (variable initialisation, TensorFlow's graph optimisation), NaN before it. */
  double firstRunMillis() {
    return firstRunMillis;
  }

  private static float[] noise(int n) {
    float[] x = new float[n];
    Random r = new Random(1);
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  /** Whether the network has a conditional exit (and so {@link #exitAfter}). */
  boolean exits() {
    return exiting != null;
  }

  /**
   * Runs from now on stop after {@code steps} processed frames (thresholds no confidence reaches before that
   * step, and one every confidence reaches at it), on the graph built to stop; 0 runs the batched graph,
   * which computes every step.
   */
  void exitAfter(int steps) {
    if (exiting == null && steps != 0) {
      throw new IllegalStateException(model.name() + " has no conditional exit");
    }
    if (steps < 0 || steps > model.frames()) {
      throw new IllegalArgumentException("exit step must be in [0, " + model.frames() + "], got " + steps);
    }
    exitAfter = steps;
  }

  /** The per-step thresholds that make every clip exit after {@link #exitAfter} steps. */
  private float[] thresholdValues() {
    float[] th = new float[model.frames()];
    for (int i = 0; i < th.length; i++) {
      th[i] = i < exitAfter - 1 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
    }
    return th;
  }

  /** Whether the network has navigation (and so a masked path and steerable ratios). */
  boolean adaptive() {
    return masked != null;
  }

  /**
   * Sets every navigation module's decision bias so that {@code round(ratio·T)} frames per clip, spread
   * evenly, are kept whatever the input (a logit margin of 2·10⁴ that no feature can overturn).
   */
  void steer(double ratio) {
    Navigation.setDecisions(session, Ops.create(graph), store, keptFrames(model.frames(), ratio), 2e4f);
    refreeze();
  }

  /** {@code round(ratio·t)} frames (at least one) of {@code t}, spread evenly. */
  static boolean[] keptFrames(int t, double ratio) {
    int keep = Math.max(1, (int) Math.round(ratio * t));
    boolean[] kept = new boolean[t];
    for (int i = 0; i < keep; i++) {
      kept[(int) ((i + 0.5) * t / keep)] = true;
    }
    return kept;
  }

  /**
   * Fixes TensorFlow's process-wide thread pools at {@code n} intra-op and inter-op threads (the first
   * session's configuration wins), for sessions made elsewhere without a configuration.
   */
  static void pinThreads(int n) {
    try (Graph g = new Graph(); Session s = new Session(g, threads(n))) {
      Ops tf = Ops.create(g);
      try (Result r = s.runner().fetch(tf.math.add(tf.constant(1f), tf.constant(1f))).run()) {
        // run once so the pools exist before any other session
      }
    }
  }

  /** Median latency of {@code iterations} timed runs after {@code warmup} untimed ones. */
  Measurement measure(boolean skip, int warmup, int iterations) {
    double[] times = times(skip, warmup, iterations);
    Arrays.sort(times);
    return new Measurement(times[iterations / 2], lastGflops);
  }

  private float lastGflops;

  /** The milliseconds of {@code iterations} timed runs after {@code warmup} untimed ones, in run order. */
  double[] times(boolean skip, int warmup, int iterations) {
    ModelOutputs out = outputs(skip);
    double[] times = new double[iterations];
    try (TFloat32 in = TFloat32.tensorOf(clips.shape(), DataBuffers.of(input))) {
      for (int i = -warmup; i < iterations; i++) {
        long t0 = System.nanoTime();
        try (Result r = run(in, out.clipLogits(), out.dynamicGflops(), null)) {
          double ms = (System.nanoTime() - t0) / 1e6;
          if (Double.isNaN(firstRunMillis)) {
            firstRunMillis = ms;
          }
          if (i >= 0) {
            times[i] = ms;
          }
          lastGflops = ((TFloat32) r.get(1)).getFloat(0);
        }
      }
    }
    return times;
  }

  /**
   * Round {@code round} of a side-by-side measurement: {@code runs} timed runs of each network on the
   * frame-skipping path, appended to its list, the first network first in even rounds and second in odd
   * ones, so a drift in the machine's speed hits both alike.
   */
  static void interleavedRound(int round, Latency a, List<Double> aTimes, Latency b, List<Double> bTimes, int runs) {
    for (int i = 0; i < 2; i++) {
      boolean first = (i == 0) == (round % 2 == 0);
      for (double t : (first ? a : b).times(true, 0, runs)) {
        (first ? aTimes : bTimes).add(t);
      }
    }
  }

  /**
   * One run with TensorFlow's full trace: the step statistics of every executed node (after the graph
   * optimisers' rewrites), for {@link OpProfile}.
   */
  RunMetadata traced(boolean skip) {
    ModelOutputs out = outputs(skip);
    RunOptions options = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    try (TFloat32 in = TFloat32.tensorOf(clips.shape(), DataBuffers.of(input));
        Result r = run(in, out.clipLogits(), out.dynamicGflops(), options)) {
      return r.getMetadata().orElseThrow(() -> new IllegalStateException("TensorFlow returned no run metadata"));
    }
  }

  /** The outputs a run fetches: the exiting graph when an exit is set, else the skipping or the masked path. */
  private ModelOutputs outputs(boolean skip) {
    if (exitAfter > 0) {
      return exiting;
    }
    return skip || masked == null ? skipping : masked;
  }

  /** One run on the frozen copy when freezing, else on the graph with variables; traced when {@code options} is given. */
  private Result run(TFloat32 in, Operand<?> logits, Operand<?> gflops, RunOptions options) {
    Session.Runner r;
    if (frozen != null) {
      r = frozen.session().runner().feed(frozen.output(clips), in).fetch(frozen.output(logits)).fetch(frozen.output(gflops));
    } else {
      r = session.runner().feed(clips, in).fetch(logits).fetch(gflops);
    }
    if (exitAfter == 0) {
      return options == null ? r.run() : r.setOptions(options).runAndFetchMetadata();
    }
    try (TFloat32 th = TFloat32.tensorOf(thresholds.shape(), DataBuffers.of(thresholdValues()))) {
      r = r.feed(frozen != null ? frozen.output(thresholds) : thresholds, th);
      return options == null ? r.run() : r.setOptions(options).runAndFetchMetadata();
    }
  }

  /** The dynamic GFLOPs per clip of the last run. */
  float lastGflops() {
    return lastGflops;
  }

  /** {@code --kept 1,0.5,0.25} as fractions in (0, 1]; anything else is a usage error naming the value. */
  static List<Double> ratios(String spec) {
    List<Double> out = new ArrayList<>();
    for (String part : spec.split(",", -1)) {
      double r;
      try {
        r = Double.parseDouble(part.trim());
      } catch (NumberFormatException e) {
        r = Double.NaN;
      }
      if (!(r > 0 && r <= 1)) {
        throw new IllegalArgumentException(
            "--kept takes kept-frame fractions in (0, 1] separated by commas, e.g. 1,0.5,0.25; got '" + spec + "' ('"
                + part.trim() + "' is not one)");
      }
      out.add(r);
    }
    return out;
  }

  @Override
  public void close() {
    if (frozen != null) {
      frozen.close();
    }
    if (zerosTensor != null) {
      zerosTensor.close();
    }
    session.close();
    graph.close();
  }
}
