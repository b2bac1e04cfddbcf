package io.saccade.runtime.blocks;

import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.Channels;
import io.saccade.architecture.CostModel;
import io.saccade.runtime.adaptive.TemporalShift;

/**
 * A MobileNetV3 inverted residual block: 1×1 expand conv (in → expanded, skipped when expanded = in)
 * → BN → activation → depthwise k×k conv (stride) → BN → activation, with an optional squeeze-and-excite
 * → 1×1 project conv (expanded → out) → BN. The residual is the identity when stride is 1 and in = out;
 * otherwise there is none ({@link Shortcut#NONE}, MobileNetV3) or a 1×1 projection ({@link Shortcut#PROJECT},
 * AFNet's focal blocks). No activation follows the addition.
 *
 * <pre>{@code
 * // MobileNetV3-Large's 4th block: 24 → 72 → 40 channels, depthwise 5×5 / 2, SE, ReLU
 * MobileNetInvertedResidualSpec b = MobileNetInvertedResidualSpec.of(72, 40, 5).withStride(2)
 *     .withSqueezeExcitation(MobileNetInvertedResidualSpec.Excitation.AFTER_ACTIVATION);
 * }</pre>
 *
 * @param expanded channels of the depthwise conv (hidden_dim); equal to the input channels for a block
 *     without expansion
 * @param out output channels
 * @param kernel depthwise kernel size in pixels (odd; padding (k − 1)/2)
 * @param stride depthwise stride (1 or 2)
 * @param activation the non-linearity after expand and after depthwise
 * @param excitation whether and where the squeeze-and-excite sits
 * @param groups groups of the two 1×1 convs and of a projected shortcut (AFNet's focal blocks: 2)
 * @param shiftFrames frames per clip T when the block shifts 1/shiftDivisor of its input channels each way in time
 *     (TSM) before the expand conv (the residual is not shifted), 0 for no shift
 * @param shortcut what the residual is when the shape changes
 * @param shiftDivisor with a shift, {@code C / shiftDivisor} channels move each way in time (TSM: 8)
 */
public record MobileNetInvertedResidualSpec(
    int expanded,
    int out,
    int kernel,
    int stride,
    Activation activation,
    Excitation excitation,
    int groups,
    int shiftFrames,
    Shortcut shortcut,
    int shiftDivisor) {

  /** The block's non-linearity. */
  public enum Activation {
    /** {@code max(x, 0)}. */
    RELU,
    /** {@code min(max(x, 0), 6)}: MobileNetV2. */
    RELU6,
    /** {@code x·relu6(x + 3)/6}. */
    HARD_SWISH
  }

  /**
   * Squeeze-and-excite (global pool → 1×1 conv to {@link #squeezeChannels()} → ReLU → 1×1 conv back →
   * hard sigmoid → scale) and where it sits.
   */
  public enum Excitation {
    /** No squeeze-and-excite. */
    NONE,
    /** torchvision: after the depthwise BN and its activation. */
    AFTER_ACTIVATION,
    /**
     * The official AFNet (d-li14) MobileNetV3: between the depthwise BN and its activation in an expanding
     * block; after the activation in a block without expansion, as that code does.
     */
    BEFORE_ACTIVATION
  }

  /** The residual of a block whose stride or channels change. */
  public enum Shortcut {
    /** MobileNetV3: no residual. */
    NONE,
    /** AFNet focal blocks: 1×1 conv (the block's groups and stride, no bias) → BN. */
    PROJECT
  }

  public MobileNetInvertedResidualSpec {
    if (expanded <= 0 || out <= 0) {
      throw new IllegalArgumentException(
          "inverted residual channels must be > 0, got expanded=" + expanded + ", out=" + out);
    }
    if (kernel < 1 || kernel % 2 == 0) {
      throw new IllegalArgumentException("inverted residual kernel must be odd and >= 1, got " + kernel);
    }
    if (stride != 1 && stride != 2) {
      throw new IllegalArgumentException("inverted residual stride must be 1 or 2, got " + stride);
    }
    if (activation == null || excitation == null || shortcut == null) {
      throw new IllegalArgumentException("activation, excitation and shortcut must not be null");
    }
    if (groups < 1 || expanded % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException(
          "groups=" + groups + " must be >= 1 and divide expanded=" + expanded + " and out=" + out);
    }
    if (shiftFrames < 0) {
      throw new IllegalArgumentException("shiftFrames must be >= 0, got " + shiftFrames);
    }
    if (shiftDivisor < 1) {
      throw new IllegalArgumentException("shiftDivisor must be >= 1, got " + shiftDivisor);
    }
  }

  /** A spec shifting the official 1/8 of the channels when it shifts. */
  public MobileNetInvertedResidualSpec(
      int expanded, int out, int kernel, int stride, Activation activation, Excitation excitation, int groups, int shiftFrames,
      Shortcut shortcut) {
    this(expanded, out, kernel, stride, activation, excitation, groups, shiftFrames, shortcut, TemporalShift.DEFAULT_FOLD_DIV);
  }

  /** A stride-1 ReLU block without SE, groups 1, no shift, no residual when reshaped. */
  public static MobileNetInvertedResidualSpec of(int expanded, int out, int kernel) {
    return new MobileNetInvertedResidualSpec(expanded, out, kernel, 1, Activation.RELU, Excitation.NONE, 1, 0, Shortcut.NONE);
  }

  /**
   * A shared layout's block with the squeeze-and-excite (where it has one) placed as {@code excitation}
   * says; stride 1 blocks keep stride 1, groups 1, no shift, no residual when reshaped.
   */
  public static MobileNetInvertedResidualSpec of(Block block, Excitation excitation) {
    return of(block.mid(), block.out(), block.kernel())
        .withStride(block.stride())
        .withActivation(Activation.valueOf(block.activation().name()))
        .withSqueezeExcitation(block.se() ? excitation : Excitation.NONE);
  }

  /** The block as the shared layouts describe it, on {@code in} input channels (groups and shortcut aside). */
  public Block block(int in) {
    return new Block(in, expanded, out, kernel, stride, excitation != Excitation.NONE, BackboneLayout.Activation.valueOf(activation.name()));
  }

  /** MobileNetV3's expanded width for {@code in} channels and expansion ratio t: makeDivisible(in·t, 8). */
  public static int expandedChannels(int in, double ratio) {
    return Channels.makeDivisible(in * ratio, Channels.DIVISOR);
  }

  /** Channels the squeeze-and-excite squeezes to: makeDivisible(expanded / 4, 8) (72 → 24, 120 → 32). */
  public int squeezeChannels() {
    return Channels.squeeze(expanded);
  }

  public MobileNetInvertedResidualSpec withStride(int s) {
    return new MobileNetInvertedResidualSpec(expanded, out, kernel, s, activation, excitation, groups, shiftFrames, shortcut, shiftDivisor);
  }

  public MobileNetInvertedResidualSpec withActivation(Activation a) {
    return new MobileNetInvertedResidualSpec(expanded, out, kernel, stride, a, excitation, groups, shiftFrames, shortcut, shiftDivisor);
  }

  /** Shorthand for {@code withActivation(Activation.HARD_SWISH)}. */
  public MobileNetInvertedResidualSpec withHardSwish() {
    return withActivation(Activation.HARD_SWISH);
  }

  public MobileNetInvertedResidualSpec withSqueezeExcitation(Excitation e) {
    return new MobileNetInvertedResidualSpec(expanded, out, kernel, stride, activation, e, groups, shiftFrames, shortcut, shiftDivisor);
  }

  public MobileNetInvertedResidualSpec withGroups(int g) {
    return new MobileNetInvertedResidualSpec(expanded, out, kernel, stride, activation, excitation, g, shiftFrames, shortcut, shiftDivisor);
  }

  /** Shifts {@code C / shiftDivisor} channels each way across {@code frames} frames per clip (the divisor kept). */
  public MobileNetInvertedResidualSpec withTemporalShift(int frames) {
    return new MobileNetInvertedResidualSpec(expanded, out, kernel, stride, activation, excitation, groups, frames, shortcut, shiftDivisor);
  }

  /** Shifts {@code C / divisor} channels each way across {@code frames} frames per clip. */
  public MobileNetInvertedResidualSpec withTemporalShift(int frames, int divisor) {
    return new MobileNetInvertedResidualSpec(expanded, out, kernel, stride, activation, excitation, groups, frames, shortcut, divisor);
  }

  public MobileNetInvertedResidualSpec withShortcut(Shortcut s) {
    return new MobileNetInvertedResidualSpec(expanded, out, kernel, stride, activation, excitation, groups, shiftFrames, s, shiftDivisor);
  }

  /** Spatial size after the depthwise conv for an input of {@code size} pixels. */
  public int outputSize(int size) {
    return CostModel.side(size, stride);
  }
}
