package io.saccade.runtime.train;

import io.saccade.runtime.nn.FastScope;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Creates an optimizer's state variables ({@code VariableV2}, so checkpoints persist them) under one
 * root scope such as {@code optimizer/}, with slash paths mirroring the parameter names.
 */
final class OptimizerState {

  private final String root;
  private final Map<String, Ops> scopes = new HashMap<>();

  OptimizerState(Graph graph, String root) {
    this.root = root;
    // A fresh root Ops: state must not inherit the caller's control dependencies or name prefix.
    scopes.put("", FastScope.wrap(Ops.create(graph)).withSubScope(root));
  }

  /** The root scope name, e.g. {@code optimizer}. */
  String root() {
    return root;
  }

  /** A float variable of the given shape starting at zero, e.g. {@code momentum/conv1/kernel}. */
  Variable<TFloat32> zeros(String path, Shape shape) {
    return create(path, init -> init.fill(init.constant(shape), init.constant(0f)));
  }

  /** A float scalar variable starting at {@code value}. */
  Variable<TFloat32> scalar(String path, float value) {
    return create(path, init -> init.constant(value));
  }

  /** An int64 scalar variable starting at {@code value}. */
  Variable<TInt64> counter(String path, long value) {
    return create(path, init -> init.constant(value));
  }

  private <T extends TType> Variable<T> create(String path, java.util.function.Function<Ops, Operand<T>> initial) {
    int slash = path.lastIndexOf('/');
    Ops scope = scopeFor(slash < 0 ? "" : path.substring(0, slash));
    String leaf = path.substring(slash + 1);
    Operand<T> value = initial.apply(scope.withInitScope().withSubScope(leaf + "_init"));
    Variable<T> variable = scope.withName(leaf).variable(value);
    String expected = root + "/" + path;
    if (!variable.op().name().equals(expected)) {
      // TensorFlow renamed the scope because the name was taken: checkpoints would not find it.
      throw new IllegalArgumentException(
          "optimizer state " + expected + " would be named " + variable.op().name()
              + " because the graph already uses that name; give the optimizer another stateScope");
    }
    return variable;
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
}
