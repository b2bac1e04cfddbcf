package io.saccade.runtime.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * MobileNetV3's squeeze-and-excitation: GAP → 1×1 conv C→r (bias) → ReLU → 1×1 conv r→C (bias) →
 * hard-sigmoid → rescale the input's channels.
 *
 * <pre>{@code
 * int r = SqueezeExcite.makeDivisible(c / 4, 8);
 * Operand<TFloat32> y = SqueezeExcite.builder(r).build(ctx.child("se"), x);
 * }</pre>
 *
 * <p>Parameters: {@code fc1/kernel}, {@code fc1/bias}, {@code fc2/kernel}, {@code fc2/bias}.
 */
public final class SqueezeExcite {

  private SqueezeExcite() {}

  public static Builder builder(int reducedChannels) {
    return new Builder(reducedChannels);
  }

  /**
   * Rounds {@code v} to the nearest multiple of {@code divisor}, at least {@code divisor} and never below
   * 90 % of {@code v} (the rule MobileNet uses for channel counts).
   */
  public static int makeDivisible(double v, int divisor) {
    if (divisor < 1) {
      throw new IllegalArgumentException("divisor must be >= 1, got " + divisor);
    }
    int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
    if (rounded < 0.9 * v) {
      rounded += divisor;
    }
    return rounded;
  }

  /** Settings of one squeeze-and-excitation module. */
  public static final class Builder {
    private final int reduced;

    private Builder(int reduced) {
      if (reduced < 1) {
        throw new IllegalArgumentException("squeeze channels must be >= 1, got " + reduced);
      }
      this.reduced = reduced;
    }

    /** Creates (or reuses) the parameters under {@code ctx} and rescales {@code x}'s channels. */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x) {
      Ops tf = ctx.tf();
      if (x.shape().numDimensions() != 4 || x.shape().get(3) < 0) {
        throw new IllegalArgumentException("squeeze-excite " + ctx.path() + " needs [M, H, W, C], got " + x.shape());
      }
      int c = (int) x.shape().get(3);
      Operand<TFloat32> s = Pooling.globalAvgPoolKeepDims(tf, x);
      s = Activations.relu(tf, Conv2d.builder(reduced).kernel(1).bias(true).build(ctx.child("fc1"), s));
      s = Activations.hardSigmoid(tf, Conv2d.builder(c).kernel(1).bias(true).build(ctx.child("fc2"), s));
      return tf.math.mul(x, s);
    }
  }
}
