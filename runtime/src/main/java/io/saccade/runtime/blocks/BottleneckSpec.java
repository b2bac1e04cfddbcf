package io.saccade.runtime.blocks;

import io.saccade.runtime.adaptive.TemporalShift;

/**
 * A ResNet bottleneck block: 1×1 conv (inner) → 3×3 conv (inner, stride) → 1×1 conv (out), each
 * followed by batch norm, ReLU after the first two; the shortcut is the identity when channels and
 * stride are unchanged, else a projection.
 *
 * <pre>{@code
 * BottleneckSpec b = BottleneckSpec.of(64, 256).withStride(2).withTemporalShift(8);
 * }</pre>
 *
 * @param inner channels of the 3×3 conv (out / 4 in ResNet-50)
 * @param out output channels
 * @param stride stride of the 3×3 conv and of the shortcut (1 or 2)
 * @param groups groups of all three convs (AFNet's focal branch uses 2); 1 for a plain ResNet
 * @param shiftFrames frames per clip T when the block applies a temporal shift (TSM) to its input
 *     before conv1, 0 for no shift
 * @param finalRelu whether ReLU follows the residual addition (AFNet's last ample/focal block has none)
 * @param shortcut how the shortcut changes shape when it must
 * @param shiftDivisor with a shift, {@code C / shiftDivisor} channels move each way in time (TSM: 8)
 */
public record BottleneckSpec(
    int inner, int out, int stride, int groups, int shiftFrames, boolean finalRelu, Shortcut shortcut, int shiftDivisor) {

  /** How a shortcut projects when the channels or the stride change. */
  public enum Shortcut {
    /** torchvision ResNet: 1×1 conv with the block's stride → BN. */
    STRIDED_CONV,
    /** AFNet: AvgPool(3, stride 2, pad 1, padding counted) → 1×1 conv → BN (conv and BN only when unstrided). */
    AVG_POOL_CONV
  }

  public BottleneckSpec {
    if (inner <= 0 || out <= 0) {
      throw new IllegalArgumentException("bottleneck channels must be > 0, got inner=" + inner + ", out=" + out);
    }
    if (stride != 1 && stride != 2) {
      throw new IllegalArgumentException("bottleneck stride must be 1 or 2, got " + stride);
    }
    if (groups < 1 || inner % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException(
          "groups=" + groups + " must be >= 1 and divide inner=" + inner + " and out=" + out);
    }
    if (shiftFrames < 0) {
      throw new IllegalArgumentException("shiftFrames must be >= 0, got " + shiftFrames);
    }
    if (shiftDivisor < 1) {
      throw new IllegalArgumentException("shiftDivisor must be >= 1, got " + shiftDivisor);
    }
  }

  /** A spec shifting the official 1/8 of the channels when it shifts. */
  public BottleneckSpec(int inner, int out, int stride, int groups, int shiftFrames, boolean finalRelu, Shortcut shortcut) {
    this(inner, out, stride, groups, shiftFrames, finalRelu, shortcut, TemporalShift.DEFAULT_FOLD_DIV);
  }

  /** A plain torchvision bottleneck: stride 1, groups 1, no shift, final ReLU, strided-conv shortcut. */
  public static BottleneckSpec of(int inner, int out) {
    return new BottleneckSpec(inner, out, 1, 1, 0, true, Shortcut.STRIDED_CONV);
  }

  public BottleneckSpec withStride(int s) {
    return new BottleneckSpec(inner, out, s, groups, shiftFrames, finalRelu, shortcut, shiftDivisor);
  }

  public BottleneckSpec withGroups(int g) {
    return new BottleneckSpec(inner, out, stride, g, shiftFrames, finalRelu, shortcut, shiftDivisor);
  }

  /** Shifts {@code C / shiftDivisor} channels each way across {@code frames} frames per clip (the divisor kept). */
  public BottleneckSpec withTemporalShift(int frames) {
    return new BottleneckSpec(inner, out, stride, groups, frames, finalRelu, shortcut, shiftDivisor);
  }

  /** Shifts {@code C / divisor} channels each way across {@code frames} frames per clip. */
  public BottleneckSpec withTemporalShift(int frames, int divisor) {
    return new BottleneckSpec(inner, out, stride, groups, frames, finalRelu, shortcut, divisor);
  }

  public BottleneckSpec withFinalRelu(boolean relu) {
    return new BottleneckSpec(inner, out, stride, groups, shiftFrames, relu, shortcut, shiftDivisor);
  }

  public BottleneckSpec withShortcut(Shortcut s) {
    return new BottleneckSpec(inner, out, stride, groups, shiftFrames, finalRelu, s, shiftDivisor);
  }
}
