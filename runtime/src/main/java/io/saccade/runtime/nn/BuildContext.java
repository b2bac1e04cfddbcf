package io.saccade.runtime.nn;

import java.util.Objects;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;

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

  private BuildContext(Ops tf, ParameterStore store, Mode mode, String path, float learningRateMultiplier) {
    this.tf = tf;
    this.store = store;
    this.mode = mode;
    this.path = path;
    this.learningRateMultiplier = learningRateMultiplier;
  }

  /** A context at the root of a network. */
  public static BuildContext root(Ops tf, ParameterStore store, Mode mode) {
    return new BuildContext(
        Objects.requireNonNull(tf, "tf"), Objects.requireNonNull(store, "store"), Objects.requireNonNull(mode, "mode"), "", 1f);
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
        tf.withSubScope(name), store, mode, path.isEmpty() ? name : path + "/" + name, learningRateMultiplier);
  }

  /** The same place, with parameters created below it trained at {@code multiplier} × the base rate. */
  public BuildContext withLearningRateMultiplier(float multiplier) {
    if (!(multiplier >= 0f) || Float.isInfinite(multiplier)) {
      throw new IllegalArgumentException("learning-rate multiplier must be finite and >= 0, got " + multiplier);
    }
    return new BuildContext(tf, store, mode, path, multiplier);
  }

  /** The same place in another mode (shares parameters). */
  public BuildContext withMode(Mode other) {
    return new BuildContext(tf, store, Objects.requireNonNull(other, "mode"), path, learningRateMultiplier);
  }

  /** The parameter {@code path()/name}, created on first use with this context's learning-rate multiplier. */
  public Parameter parameter(String name, Parameter.Role role, Shape shape, Initializer initializer) {
    String full = path.isEmpty() ? name : path + "/" + name;
    return store.parameter(full, role, shape, initializer, learningRateMultiplier);
  }
}
