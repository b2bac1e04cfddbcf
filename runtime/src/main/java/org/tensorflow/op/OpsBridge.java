package org.tensorflow.op;

/**
 * The one thing Saccade needs from inside TensorFlow's package: {@code Ops} over a scope of its own
 * ({@code io.saccade.runtime.nn.FastScope}, whose sub-scopes do not scan the graph), through {@code Ops}'
 * package-private constructor. Because of this class the runtime jar shares the package
 * {@code org.tensorflow.op} with TensorFlow's, so it runs on the class path, not the module path.
 */
public final class OpsBridge {
  private OpsBridge() {}

  /** {@code new Ops(scope)}. */
  public static Ops create(Scope scope) {
    return new Ops(scope);
  }
}
