package io.saccade.runtime.nn;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * <p>The context is generic: what a family of blocks needs besides (AFNet's frame skipping and keep margin,
 * {@code blocks.AfOptions}; AdaFocusV2's exit thresholds, {@code blocks.AdaFocusV2Exit}) travels as a typed
 * {@linkplain #with(Class, Object) extension} that its blocks read and every other layer ignores.
 *
 * <pre>{@code
 * BuildContext ctx = BuildContext.root(tf, store, Mode.TRAINING);
 * Operand<TFloat32> y = Conv2d.builder(64).kernel(3).build(ctx.child("conv1"), x);
 * }</pre>
 */
public final class BuildContext {

  /** What a context passes to its children unchanged unless a {@code with…} method replaces it. */
  private record Settings(
      ParameterStore store,
      Mode mode,
      float learningRateMultiplier,
      Operand<TInt64> noiseSeed,
      String noiseKey,
      Map<Class<?>, Object> extensions) {

    Settings mode(Mode m) {
      return new Settings(store, m, learningRateMultiplier, noiseSeed, noiseKey, extensions);
    }

    Settings learningRateMultiplier(float f) {
      return new Settings(store, mode, f, noiseSeed, noiseKey, extensions);
    }

    Settings noise(Operand<TInt64> seed, String key) {
      return new Settings(store, mode, learningRateMultiplier, seed, key, extensions);
    }

    Settings extension(Class<?> type, Object value) {
      Map<Class<?>, Object> copy = new LinkedHashMap<>(extensions);
      copy.put(type, value);
      return new Settings(store, mode, learningRateMultiplier, noiseSeed, noiseKey, Map.copyOf(copy));
    }
  }

  private final Ops tf;
  private final String path;
  private final Settings settings;

  private BuildContext(Ops tf, String path, Settings settings) {
    this.tf = tf;
    this.path = path;
    this.settings = settings;
  }

  /** A context at the root of a network. */
  public static BuildContext root(Ops tf, ParameterStore store, Mode mode) {
    // TensorFlow Java's sub-scopes scan the whole graph; these are O(1), which keeps building linear.
    return new BuildContext(
        FastScope.wrap(Objects.requireNonNull(tf, "tf")),
        "",
        new Settings(Objects.requireNonNull(store, "store"), Objects.requireNonNull(mode, "mode"), 1f, null, "", Map.of()));
  }

  /**
   * The same place carrying {@code value} as its extension of {@code type}, inherited by every child: the
   * options of one family of blocks (e.g. {@code AfOptions}), read by those blocks with
   * {@link #extension(Class)} and ignored by every other layer.
   */
  public <T> BuildContext with(Class<T> type, T value) {
    return new BuildContext(tf, path, settings.extension(Objects.requireNonNull(type, "type"), type.cast(Objects.requireNonNull(value, "value"))));
  }

  /** This context's extension of {@code type}, if one was set here or above. */
  public <T> Optional<T> extension(Class<T> type) {
    return Optional.ofNullable(type.cast(settings.extensions().get(type)));
  }

  /**
   * The same place, with training noise (dropout, Gumbel) drawn from stateless random ops keyed by
   * {@code seed} ({@code [2]} int64, usually fed with the step) and the layer's path: a run repeated or
   * resumed from a checkpoint draws exactly the same noise.
   */
  public BuildContext withNoiseSeed(Operand<TInt64> seed) {
    return new BuildContext(tf, path, settings.noise(Objects.requireNonNull(seed, "seed"), settings.noiseKey()));
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
    if (settings.noiseSeed() == null) {
      // Seeded by the store and an op name unique in the graph: the same program draws the same noise.
      long h = hash(tf.scope().makeOpName("Noise"));
      return tf.random.randomUniform(
          s,
          TFloat32.class,
          org.tensorflow.op.random.RandomUniform.seed(settings.store().seed()),
          org.tensorflow.op.random.RandomUniform.seed2(h));
    }
    String stream = settings.noiseKey().isEmpty() ? path : path + "#" + settings.noiseKey();
    return tf.random.statelessRandomUniform(s, tf.math.add(settings.noiseSeed(), tf.constant(new long[] {0L, hash(stream)})));
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
    String old = settings.noiseKey();
    return new BuildContext(tf, path, settings.noise(settings.noiseSeed(), old.isEmpty() ? key : old + "#" + key));
  }

  /** The ops, scoped to this context's op-name prefix. */
  public Ops tf() {
    return tf;
  }

  /** The store that owns this network's variables. */
  public ParameterStore store() {
    return settings.store();
  }

  /** Training or inference. */
  public Mode mode() {
    return settings.mode();
  }

  /** Shorthand for {@code mode().isTraining()}. */
  public boolean training() {
    return settings.mode().isTraining();
  }

  /** The parameter path of this context, e.g. {@code stage1/focal/block0}; empty at the root. */
  public String path() {
    return path;
  }

  /** The learning-rate multiplier given to parameters created below this context. */
  public float learningRateMultiplier() {
    return settings.learningRateMultiplier();
  }

  /** One level down: {@code name} is appended to both the op-name scope and the parameter path. */
  public BuildContext child(String name) {
    Objects.requireNonNull(name, "name");
    return new BuildContext(tf.withSubScope(name), path.isEmpty() ? name : path + "/" + name, settings);
  }

  /** The same place, with parameters created below it trained at {@code multiplier} × the base rate. */
  public BuildContext withLearningRateMultiplier(float multiplier) {
    if (!(multiplier >= 0f) || Float.isInfinite(multiplier)) {
      throw new IllegalArgumentException("learning-rate multiplier must be finite and >= 0, got " + multiplier);
    }
    return new BuildContext(tf, path, settings.learningRateMultiplier(multiplier));
  }

  /** The same place in another mode (shares parameters). */
  public BuildContext withMode(Mode other) {
    return new BuildContext(tf, path, settings.mode(Objects.requireNonNull(other, "mode")));
  }

  /** The parameter {@code path()/name}, created on first use with this context's learning-rate multiplier. */
  public Parameter parameter(String name, Parameter.Role role, Shape shape, Initializer initializer) {
    String full = path.isEmpty() ? name : path + "/" + name;
    return settings.store().parameter(full, role, shape, initializer, settings.learningRateMultiplier());
  }
}
