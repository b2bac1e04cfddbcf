package io.saccade.runtime.blocks;

import org.tensorflow.Operand;

/** Static shape look-ups with errors that say which dimension a block needs. */
final class Shapes {

  private Shapes() {}

  /** Size of dimension {@code axis} (negative counts from the end), which must be statically known. */
  static int dim(Operand<?> x, int axis, String what) {
    var shape = x.shape();
    if (shape.isUnknown()) {
      throw new IllegalArgumentException(what + " needs an input of known rank, got unknown shape");
    }
    int rank = shape.numDimensions();
    int a = axis < 0 ? rank + axis : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException(what + " needs axis " + axis + " but the input has shape " + shape);
    }
    long d = shape.get(a);
    if (d < 0) {
      throw new IllegalArgumentException(what + " needs a static size for axis " + axis + ", input shape " + shape);
    }
    return Math.toIntExact(d);
  }

  static int channels(Operand<?> x, String what) {
    return dim(x, -1, what);
  }
}
