package io.saccade.runtime.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The GFLOPs a network spends per clip as a tensor, for {@link ModelOutputs#dynamicGflops()}: generated
 * networks call it with the cost the processor computed at compile time.
 *
 * <pre>{@code
 * // a dense network spends the same on every clip of the batch
 * Operand<TFloat32> gflops = ClipGflops.constant(tf, logits.clipLogits(), GFLOPS_PER_CLIP);   // [N]
 * }</pre>
 */
public final class ClipGflops {

  private ClipGflops() {}

  /**
   * {@code [N]} filled with {@code gflops}, N being the batch of {@code clipLogits} ({@code [N, classes]}).
   *
   * @param gflops GFLOPs (multiply-adds) per clip
   */
  public static Operand<TFloat32> constant(Ops tf, Operand<TFloat32> clipLogits, double gflops) {
    Operand<TInt32> shape = tf.shape(clipLogits);
    Operand<TInt32> batch = tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    return tf.fill(batch, tf.constant((float) gflops));
  }
}
