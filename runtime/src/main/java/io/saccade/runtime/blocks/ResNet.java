package io.saccade.runtime.blocks;

import io.saccade.runtime.nn.BuildContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * ResNet building blocks as generated networks call them, on frames folded into the batch
 * ({@code [N·T, H, W, C]}).
 *
 * <pre>{@code
 * Operand<TFloat32> x = ResNet.stem(ctx.child("stem"), frames);               // [N·T, H/4, W/4, 64]
 * x = ResNet.bottleneck(ctx.child("stage4").child("block0"), x, BottleneckSpec.of(512, 2048).withStride(2));
 * }</pre>
 */
public final class ResNet {

  private ResNet() {}

  /** Output channels of the stem. */
  public static final int STEM_CHANNELS = 64;

  /**
   * conv 7×7/2 (pad 3, 64 channels, no bias) → BN → ReLU → max-pool 3×3/2 (pad 1): {@code [M, H, W, 3]}
   * to {@code [M, H/4, W/4, 64]}.
   */
  public static Operand<TFloat32> stem(BuildContext ctx, Operand<TFloat32> frames) {
    throw new UnsupportedOperationException("ResNet.stem: implemented with the nn layers");
  }

  /** One bottleneck block as {@code spec} describes; parameters under {@code ctx.path()}. */
  public static Operand<TFloat32> bottleneck(BuildContext ctx, Operand<TFloat32> x, BottleneckSpec spec) {
    throw new UnsupportedOperationException("ResNet.bottleneck: implemented with the nn layers");
  }
}
