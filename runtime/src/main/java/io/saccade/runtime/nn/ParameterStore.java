package io.saccade.runtime.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The parameters of one graph, created once by name and shared by every build of the network in it.
 *
 * <p>A network is usually built twice into one graph, once for {@link Mode#TRAINING} and once for
 * {@link Mode#INFERENCE}; asking for {@code stage1/conv1/kernel} the second time returns the variable
 * made the first time. Variables live under the op-name prefix {@code params/}, so a checkpoint or a
 * graph dump lists them as {@code params/stage1/conv1/kernel}.
 *
 * <pre>{@code
 * ParameterStore store = new ParameterStore(graph, 42L);
 * Parameter kernel = store.parameter("stem/conv/kernel", Parameter.Role.WEIGHT,
 *     Shape.of(7, 7, 3, 64), Initializer.heNormalFanOut(64 * 49), 1f);
 * }</pre>
 */
public final class ParameterStore {

  /** Op-name prefix of every variable this store creates. */
  public static final String PREFIX = "params";

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-]*(/[A-Za-z0-9.][A-Za-z0-9_.\\-]*)*");

  private final Ops root;
  private final long seed;
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Ops> scopes = new HashMap<>();
  private final List<Op> trainingUpdates = new ArrayList<>();

  /**
   * @param graph the graph to create variables in
   * @param seed base seed of every random initialiser; the same seed gives the same initial values
   */
  public ParameterStore(Graph graph, long seed) {
    this.root = FastScope.wrap(Ops.create(Objects.requireNonNull(graph, "graph")));
    this.seed = seed;
    scopes.put("", root.withSubScope(PREFIX));
  }

  /** The base seed. */
  public long seed() {
    return seed;
  }

  /**
   * Returns the parameter called {@code name}, creating it on first use.
   *
   * @param name slash-separated path, e.g. {@code stage1/focal/block0/conv2/kernel}
   * @param role what it is; decides trainability and weight decay
   * @param shape its static shape; a second request must ask for the same shape
   * @param initializer how its first value is made
   * @param learningRateMultiplier factor on the base learning rate (1 for most parameters)
   * @throws IllegalArgumentException if the name is not a valid path or the shape differs from the
   *     existing parameter's
   */
  public synchronized Parameter parameter(
      String name, Parameter.Role role, Shape shape, Initializer initializer, float learningRateMultiplier) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shape, "shape");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "parameter name '" + name + "' is not a slash-separated path of [A-Za-z0-9_.-] segments");
    }
    Parameter existing = parameters.get(name);
    if (existing != null) {
      if (!existing.shape().equals(shape)) {
        throw new IllegalArgumentException(
            "parameter " + name + " exists with shape " + existing.shape() + ", asked again with shape " + shape);
      }
      if (existing.role() != role) {
        throw new IllegalArgumentException(
            "parameter " + name + " exists with role " + existing.role() + ", asked again as " + role);
      }
      return existing;
    }
    for (long d : shape.asArray()) {
      if (d <= 0) {
        throw new IllegalArgumentException("parameter " + name + " needs a fully known positive shape, got " + shape);
      }
    }
    int slash = name.lastIndexOf('/');
    Ops scope = scopeFor(slash < 0 ? "" : name.substring(0, slash));
    String leaf = name.substring(slash + 1);
    Ops init = scope.withInitScope().withSubScope(leaf + "_init");
    Operand<TFloat32> value = initializer.create(init, shape, init.constant(seedFor(name)));
    Variable<TFloat32> variable = scope.withName(leaf).variable(value);
    Parameter parameter =
        new Parameter(
            name, role, shape, variable, role.trainableByDefault(), learningRateMultiplier, role.decayedByDefault());
    parameters.put(name, parameter);
    return parameter;
  }

  /** The parameter called {@code name}, or throws naming the closest existing ones. */
  public synchronized Parameter get(String name) {
    Parameter p = parameters.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no parameter named " + name + " (this store has " + parameters.size() + ")");
    }
    return p;
  }

  /** Whether a parameter of that name exists. */
  public synchronized boolean contains(String name) {
    return parameters.containsKey(name);
  }

  /** Every parameter in creation order. */
  public synchronized List<Parameter> all() {
    return List.copyOf(parameters.values());
  }

  /** The parameters gradient descent updates, in creation order. */
  public synchronized List<Parameter> trainables() {
    return parameters.values().stream().filter(Parameter::trainable).toList();
  }

  /** Total number of scalars over all trainable parameters. */
  public synchronized long trainableSize() {
    return trainables().stream().mapToLong(Parameter::size).sum();
  }

  /**
   * Registers an op that must run with every training step, such as a batch-norm moving-average
   * update. Trainers group these with the optimizer's apply ops.
   */
  public synchronized void addTrainingUpdate(Op update) {
    trainingUpdates.add(Objects.requireNonNull(update, "update"));
  }

  /** The ops registered by {@link #addTrainingUpdate}, in order. */
  public synchronized List<Op> trainingUpdates() {
    return Collections.unmodifiableList(new ArrayList<>(trainingUpdates));
  }

  private Ops scopeFor(String path) {
    Ops cached = scopes.get(path);
    if (cached != null) {
      return cached;
    }
    int slash = path.lastIndexOf('/');
    Ops parent = scopeFor(slash < 0 ? "" : path.substring(0, slash));
    Ops scope = parent.withSubScope(path.substring(slash + 1));
    scopes.put(path, scope);
    return scope;
  }

  /** A stable 128-bit seed from the store's seed and the name (FNV-1a, independent of build order). */
  private long[] seedFor(String name) {
    return new long[] {seed, BuildContext.hash(name)};
  }
}
