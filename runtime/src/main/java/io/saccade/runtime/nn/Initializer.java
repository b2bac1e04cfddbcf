package io.saccade.runtime.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * How a parameter's first value is made, inside the graph's init scope.
 *
 * <p>Random initialisers use TensorFlow's <em>stateless</em> random ops with a seed derived from the
 * store's seed and the parameter's name, so the same network built twice starts from the same values,
 * whatever order the layers are built in.
 */
@FunctionalInterface
public interface Initializer {

  /**
   * Builds the initial value.
   *
   * @param init ops in the graph's init scope
   * @param shape the parameter's static shape
   * @param seed a two-element seed unique to this parameter
   */
  Operand<TFloat32> create(Ops init, Shape shape, Operand<TInt64> seed);

  /** All zeros (biases, BN offsets, moving means). */
  static Initializer zeros() {
    return (init, shape, seed) -> init.fill(init.constant(shape), init.constant(0f));
  }

  /** All ones (BN scales, moving variances). */
  static Initializer ones() {
    return constant(1f);
  }

  /** Every element equal to {@code value}. */
  static Initializer constant(float value) {
    return (init, shape, seed) -> init.fill(init.constant(shape), init.constant(value));
  }

  /** Normal with mean 0 and the given standard deviation. */
  static Initializer normal(float stddev) {
    return normal(0f, stddev);
  }

  /** Normal with the given mean and standard deviation. */
  static Initializer normal(float mean, float stddev) {
    if (!(stddev >= 0f)) {
      throw new IllegalArgumentException("stddev must be >= 0, got " + stddev);
    }
    return (init, shape, seed) ->
        init.math.add(
            init.math.mul(init.random.statelessRandomNormal(init.constant(shape), seed), init.constant(stddev)),
            init.constant(mean));
  }

  /** Uniform on {@code [-limit, limit)}. */
  static Initializer uniform(float limit) {
    if (!(limit >= 0f)) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    return (init, shape, seed) ->
        init.math.sub(
            init.math.mul(
                init.random.statelessRandomUniform(init.constant(shape), seed), init.constant(2f * limit)),
            init.constant(limit));
  }

  /**
   * He (Kaiming) normal for a ReLU network, {@code std = sqrt(2 / fanOut)} as torchvision's ResNets use.
   *
   * @param fanOut output channels × kernel area ÷ groups
   */
  static Initializer heNormalFanOut(long fanOut) {
    if (fanOut <= 0) {
      throw new IllegalArgumentException("fanOut must be > 0, got " + fanOut);
    }
    return normal((float) Math.sqrt(2.0 / fanOut));
  }

  /** The given values, reshaped to the parameter's shape (tests and weight import). */
  static Initializer values(float[] values) {
    return (init, shape, seed) -> {
      if (values.length != shape.size()) {
        throw new IllegalArgumentException(
            "initial values have " + values.length + " elements but the shape " + shape + " needs " + shape.size());
      }
      return init.reshape(init.constant(values), init.constant(shape));
    };
  }
}
