package io.saccade.runtime.blocks;

import io.saccade.runtime.nn.BuildContext;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Inputs and classifier heads shared by the generated networks.
 *
 * <pre>{@code
 * Operand<TFloat32> frames = Heads.foldFrames(tf, clips);                  // [N·T, H, W, 3]
 * Heads.Logits logits = Heads.tsn(ctx.child("head"), features, 8, 174, 0.5f);
 * }</pre>
 */
public final class Heads {

  private Heads() {}

  /**
   * Logits of a clip classifier.
   *
   * @param frameLogits {@code [N, T, classes]}
   * @param clipLogits {@code [N, classes]}, the mean over frames (TSN consensus)
   */
  public record Logits(Operand<TFloat32> frameLogits, Operand<TFloat32> clipLogits) {}

  /** {@code [N, T, H, W, C]} → {@code [N·T, H, W, C]}. */
  public static Operand<TFloat32> foldFrames(Ops tf, Operand<TFloat32> clips) {
    throw new UnsupportedOperationException("Heads.foldFrames");
  }

  /**
   * TSN head: global average pool → dropout (training) → linear → per-frame logits, averaged over the
   * clip's frames.
   */
  public static Logits tsn(BuildContext ctx, Operand<TFloat32> features, int frames, int classes, float dropout) {
    throw new UnsupportedOperationException("Heads.tsn");
  }
}
