package io.saccade.runtime.nn;

import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * MobileNetV3's squeeze-and-excitation: global average pool → 1×1 conv C→reduced (bias) → ReLU → 1×1 conv
 * reduced→C (bias) → hard sigmoid → scale the input per channel. Parameters {@code fc1/kernel},
 * {@code fc1/bias}, {@code fc2/kernel}, {@code fc2/bias} under the context's path.
 *
 * <pre>{@code
 * int reduced = Channels.squeeze(72);                                  // 24 (io.saccade.architecture)
 * Operand<TFloat32> y = SqueezeExcite.builder(reduced).build(ctx.child("se"), x);   // [M, H, W, 72]
 * }</pre>
 */
public final class SqueezeExcite {

  private SqueezeExcite() {}

  /** A block squeezing to {@code reducedChannels}. */
  public static Builder builder(int reducedChannels) {
    return new Builder(Windows.atLeast("SqueezeExcite reduced channels", reducedChannels, 1));
  }

  /** Configures and builds a {@link SqueezeExcite} block. */
  public static final class Builder {
    private final int reducedChannels;

    private Builder(int reducedChannels) {
      this.reducedChannels = reducedChannels;
    }

    /** Builds the block on {@code x} {@code [M, H, W, C]} (C static), giving the same shape. */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x) {
      return build(ctx, x, null);
    }

    /**
     * Like {@link #build(BuildContext, Operand)}, with the squeeze computed by {@code pool} ({@code [M, H, W, C]}
     * → {@code [M, 1, 1, C]}) instead of the plain mean over the frame, or by the mean when {@code null}. AFNet's
     * f(0) runs a block on a reduced frame standing for a larger one, whose mean is a weighted mean of it.
     */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x, UnaryOperator<Operand<TFloat32>> pool) {
      Windows.rank("SqueezeExcite", x, 4, "[M, H, W, C]");
      int c = (int) Windows.channels("SqueezeExcite", x);
      Ops tf = ctx.tf();
      Operand<TFloat32> s = pool == null ? Pooling.globalAvgPool(tf, x, true) : pool.apply(x);
      s = Conv2d.builder(reducedChannels).kernel(1).bias(true).build(ctx.child("fc1"), s);
      s = Activations.relu(tf, s);
      s = Conv2d.builder(c).kernel(1).bias(true).build(ctx.child("fc2"), s);
      return tf.math.mul(x, Activations.hardSigmoid(tf, s));
    }
  }
}
