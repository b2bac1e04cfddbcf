package io.saccade.runtime.nn;

import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Copies between tensors and Java arrays.
 *
 * <pre>{@code
 * float[] logits = Tensors.floats((TFloat32) result.get(0));
 * }</pre>
 */
public final class Tensors {

  private Tensors() {}

  /** The values of {@code t} in row-major order. */
  public static float[] floats(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }
}
