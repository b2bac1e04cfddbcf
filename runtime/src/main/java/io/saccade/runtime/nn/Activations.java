package io.saccade.runtime.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Element-wise activations with PyTorch's definitions.
 *
 * <pre>{@code
 * Operand<TFloat32> y = Activations.hardSwish(tf, x);   // x·relu6(x + 3)/6, MobileNetV3
 * }</pre>
 */
public final class Activations {

  private Activations() {}

  /** {@code max(x, 0)}. */
  public static Operand<TFloat32> relu(Ops tf, Operand<TFloat32> x) {
    return tf.nn.relu(x);
  }

  /** {@code min(max(x, 0), 6)}. */
  public static Operand<TFloat32> relu6(Ops tf, Operand<TFloat32> x) {
    return tf.nn.relu6(x);
  }

  /** PyTorch's {@code Hardsigmoid}: {@code relu6(x + 3) / 6}. */
  public static Operand<TFloat32> hardSigmoid(Ops tf, Operand<TFloat32> x) {
    return tf.math.realDiv(tf.nn.relu6(tf.math.add(x, tf.constant(3f))), tf.constant(6f));
  }

  /** PyTorch's {@code Hardswish}: {@code x · relu6(x + 3) / 6}. */
  public static Operand<TFloat32> hardSwish(Ops tf, Operand<TFloat32> x) {
    return tf.math.realDiv(tf.math.mul(x, tf.nn.relu6(tf.math.add(x, tf.constant(3f)))), tf.constant(6f));
  }

  /**
   * {@code tanh(x)}, computed as {@code 2σ(2x) − 1}: TensorFlow's CPU graph optimizer fuses an
   * inference-mode batch norm followed by {@code Tanh} into a kernel it does not implement ("Fusion is not
   * implemented: [FusedBatchNorm,Tanh]"), so a BN → tanh is written without the Tanh op.
   */
  public static Operand<TFloat32> tanh(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> two = tf.constant(2f);
    return tf.math.sub(tf.math.mul(two, tf.math.sigmoid(tf.math.mul(two, x))), tf.constant(1f));
  }

  /** {@code 1 / (1 + e^−x)}. */
  public static Operand<TFloat32> sigmoid(Ops tf, Operand<TFloat32> x) {
    return tf.math.sigmoid(x);
  }
}
