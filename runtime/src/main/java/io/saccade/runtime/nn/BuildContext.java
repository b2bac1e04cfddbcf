package io.saccade.runtime.nn;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Where a layer is being built: the TensorFlow scope its ops go into, the parameter path its variables
 * are named by, the {@link Mode}, and the {@link ParameterStore} that owns the variables.
 *
 * <p>{@link #child(String)} descends one level in both the op names and the parameter path, so a graph
 * dump shows {@code stage1/focal/block0/conv2/Conv2D} and a checkpoint {@code params/stage1/focal/block0/conv2/kernel}.
 * Op names of a second build get TensorFlow's usual {@code _1} suffix; parameter paths do not, which is
 * how a training build and an inference build share their variables.
 *
 * <pre>{@code
 * BuildContext ctx = BuildContext.root(tf, store, Mode.TRAINING);
 * Operand<TFloat32> y = Conv2d.builder(64).kernel(3).build(ctx.child("conv1"), x);
 * }</pre>
 */
public final class BuildContext {

  private final Ops tf;
  private final ParameterStore store;
  private final Mode mode;
  private final String path;
  private final float learningRateMultiplier;
  private final Operand<TInt64> noiseSeed;
  private final boolean skipFrames;
  private final String noiseKey;
  private final float keepMargin;
  private final Operand<TFloat32> exitThresholds;

  private BuildContext(
      Ops tf,
      ParameterStore store,
      Mode mode,
      String path,
      float learningRateMultiplier,
      Operand<TInt64> noiseSeed,
      boolean skipFrames,
      String noiseKey,
      float keepMargin,
      Operand<TFloat32> exitThresholds) {
    this.tf = tf;
    this.store = store;
    this.mode = mode;
    this.path = path;
    this.learningRateMultiplier = learningRateMultiplier;
    this.noiseSeed = noiseSeed;
    this.skipFrames = skipFrames;
    this.noiseKey = noiseKey;
    this.keepMargin = keepMargin;
    this.exitThresholds = exitThresholds;
  }

  /** A context at the root of a network. */
  public static BuildContext root(Ops tf, ParameterStore store, Mode mode) {
    // TensorFlow Java's sub-scopes scan the whole graph; these are O(1), which keeps building linear.
    return new BuildContext(
        FastScope.wrap(Objects.requireNonNull(tf, "tf")),
        Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(mode, "mode"),
        "",
        1f,
        null,
        true,
        "",
        Float.NaN,
        null);
  }

  /**
   * Whether adaptive blocks really skip the frames their navigation drops at inference (true, the
   * default: gather → compute → scatter). False computes every frame with its input multiplied by the
   * mask, as the official AFNet does — the same values at full cost, for comparison and parity checks.
   * Training always uses the masked form.
   */
  public boolean skipFrames() {
    return skipFrames;
  }

  /** The same place with frame skipping at inference switched on or off (see {@link #skipFrames()}). */
  public BuildContext withFrameSkipping(boolean skip) {
    return new BuildContext(tf, store, mode, path, learningRateMultiplier, noiseSeed, skip, noiseKey, keepMargin, exitThresholds);
  }

  /**
   * The same place, with training noise (dropout, Gumbel) drawn from stateless random ops keyed by
   * {@code seed} ({@code [2]} int64, usually fed with the step) and the layer's path: a run repeated or
   * resumed from a checkpoint draws exactly the same noise.
   */
  public BuildContext withNoiseSeed(Operand<TInt64> seed) {
    return new BuildContext(tf, store, mode, path, learningRateMultiplier, Objects.requireNonNull(seed, "seed"), skipFrames, noiseKey,
        keepMargin, exitThresholds);
  }

  /**
   * Uniform noise in [0, 1) of the given shape, behind a stop-gradient (random ops have no gradient,
   * and TensorFlow Java fails on them even when only their shape comes from the graph): stateless and
   * keyed by the step under {@link #withNoiseSeed}, else seeded by the store and the op's unique name.
   */
  public Operand<TFloat32> uniformNoise(Operand<TInt32> shape) {
    return tf.stopGradient(uniform(tf.stopGradient(shape)));
  }

  private Operand<TFloat32> uniform(Operand<TInt32> s) {
    if (noiseSeed == null) {
      // Seeded by the store and an op name unique in the graph: the same program draws the same noise.
      long h = hash(tf.scope().makeOpName("Noise"));
      return tf.random.randomUniform(
          s,
          TFloat32.class,
          org.tensorflow.op.random.RandomUniform.seed(store.seed()),
          org.tensorflow.op.random.RandomUniform.seed2(h));
    }
    String stream = noiseKey.isEmpty() ? path : path + "#" + noiseKey;
    return tf.random.statelessRandomUniform(s, tf.math.add(noiseSeed, tf.constant(new long[] {0L, hash(stream)})));
  }

  /** FNV-1a of a name: stable across runs and independent of build order. */
  static long hash(String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /**
   * The same place drawing its training noise from a separate stream named {@code key}: a layer built
   * twice with the same parameters (AdaFocusV2's second pass of the local CNN) gets independent dropout
   * and random draws, still keyed by the step under {@link #withNoiseSeed}. Children inherit the key.
   *
   * <pre>{@code
   * Operand<TFloat32> again = localHead(ctx.withNoiseKey("random").child("classifier").child("local"), features);
   * }</pre>
   */
  public BuildContext withNoiseKey(String key) {
    Objects.requireNonNull(key, "key");
    return new BuildContext(tf, store, mode, path, learningRateMultiplier, noiseSeed, skipFrames,
        noiseKey.isEmpty() ? key : noiseKey + "#" + key, keepMargin, exitThresholds);
  }

  /**
   * The same place, with every navigation module built below it starting "keep" {@code margin} logits
   * above "skip" instead of its declared {@code NavigationSpec.keepMargin()} (a trainer's override: the
   * official margin 9 lets short runs barely learn to drop frames). Only the initial value changes; a
   * restored checkpoint wins.
   */
  public BuildContext withKeepMargin(float margin) {
    if (!(margin > 0f) || Float.isInfinite(margin)) {
      throw new IllegalArgumentException("keep margin must be finite and > 0 (every frame starts kept), got " + margin);
    }
    return new BuildContext(tf, store, mode, path, learningRateMultiplier, noiseSeed, skipFrames, noiseKey, margin, exitThresholds);
  }

  /** The keep margin navigation modules below start with: the context's override, else {@code declared}. */
  public float keepMargin(float declared) {
    return Float.isNaN(keepMargin) ? declared : keepMargin;
  }

  /**
   * The same place, with a network that has a conditional exit built for inference that really stops: after
   * each processed frame it exits when the step's confidence reaches {@code thresholds[step]} ({@code [T]},
   * usually fed), and the frames after it are never computed (AdaFocusV2's recurrent form; see
   * {@code AdaFocusV2Exit}). Without it the network computes every step and reports the scores.
   */
  public BuildContext withExitThresholds(Operand<TFloat32> thresholds) {
    return new BuildContext(tf, store, mode, path, learningRateMultiplier, noiseSeed, skipFrames, noiseKey, keepMargin,
        Objects.requireNonNull(thresholds, "thresholds"));
  }

  /** The per-step exit thresholds of {@link #withExitThresholds}, or null. */
  public Operand<TFloat32> exitThresholds() {
    return exitThresholds;
  }

  /** The ops, scoped to this context's op-name prefix. */
  public Ops tf() {
    return tf;
  }

  /** The store that owns this network's variables. */
  public ParameterStore store() {
    return store;
  }

  /** Training or inference. */
  public Mode mode() {
    return mode;
  }

  /** Shorthand for {@code mode().isTraining()}. */
  public boolean training() {
    return mode.isTraining();
  }

  /** The parameter path of this context, e.g. {@code stage1/focal/block0}; empty at the root. */
  public String path() {
    return path;
  }

  /** The learning-rate multiplier given to parameters created below this context. */
  public float learningRateMultiplier() {
    return learningRateMultiplier;
  }

  /** One level down: {@code name} is appended to both the op-name scope and the parameter path. */
  public BuildContext child(String name) {
    Objects.requireNonNull(name, "name");
    return new BuildContext(
        tf.withSubScope(name), store, mode, path.isEmpty() ? name : path + "/" + name, learningRateMultiplier, noiseSeed, skipFrames, noiseKey, keepMargin, exitThresholds);
  }

  /** The same place, with parameters created below it trained at {@code multiplier} × the base rate. */
  public BuildContext withLearningRateMultiplier(float multiplier) {
    if (!(multiplier >= 0f) || Float.isInfinite(multiplier)) {
      throw new IllegalArgumentException("learning-rate multiplier must be finite and >= 0, got " + multiplier);
    }
    return new BuildContext(tf, store, mode, path, multiplier, noiseSeed, skipFrames, noiseKey, keepMargin, exitThresholds);
  }

  /** The same place in another mode (shares parameters). */
  public BuildContext withMode(Mode other) {
    return new BuildContext(tf, store, Objects.requireNonNull(other, "mode"), path, learningRateMultiplier, noiseSeed, skipFrames, noiseKey, keepMargin, exitThresholds);
  }

  /** The parameter {@code path()/name}, created on first use with this context's learning-rate multiplier. */
  public Parameter parameter(String name, Parameter.Role role, Shape shape, Initializer initializer) {
    String full = path.isEmpty() ? name : path + "/" + name;
    return store.parameter(full, role, shape, initializer, learningRateMultiplier);
  }
}
