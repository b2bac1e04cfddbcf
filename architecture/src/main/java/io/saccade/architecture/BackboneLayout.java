package io.saccade.architecture;

import io.saccade.dsl.Backbones;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The published layout of a backbone: stem, stages of blocks, and classifier head, as torchvision
 * defines them (ResNet v1.5 with the stride in the 3×3 conv; MobileNetV3 and V2 tables): the one definition
 * the processor sizes and writes, and the runtime builds its block tables from. Pure data;
 * {@link AfNetLayout} rearranges strides for AFNet, {@link CostModel} counts.
 *
 * <pre>{@code
 * BackboneLayout r50 = BackboneLayout.of(Backbones.RESNET50);
 * r50.stage(1).blocks().size();    // 3
 * }</pre>
 *
 * @param id the DSL constant
 * @param kind bottleneck ResNet or inverted-residual MobileNet
 * @param stem the layers before stage 1
 * @param stages stage 1 first
 * @param head the layers after the last stage
 * @param defaultAdaptive stages AFNet makes adaptive unless a {@code @Stage} says otherwise (empty: no AFNet layout)
 */
public record BackboneLayout(Backbones id, Kind kind, Stem stem, List<StageLayout> stages, Head head, Set<Integer> defaultAdaptive) {

  /** Total stride of every supported backbone (input side / final feature-map side). */
  public static final int TOTAL_STRIDE = 32;

  /** Stem channels of a ResNet at width 1; stage s has 64·2^(s-1)·4 output channels. */
  public static final int RESNET_STEM = 64;

  /** The largest width multiplier accepted (a ResNet-50 at width 16 has 32,768-channel outputs). */
  public static final double MAX_WIDTH = 16;

  /** Block family. */
  public enum Kind {
    /** Bottlenecks: 1×1 (mid) → 3×3 (mid, stride) → 1×1 (out). */
    RESNET,
    /** Inverted residuals: 1×1 expand (mid) → k×k depthwise (stride) → [SE] → 1×1 project (out). */
    MOBILENET
  }

  /** How a bottleneck's shortcut changes shape when the block changes stride or channels. */
  public enum Shortcut {
    /** torchvision: 1×1 conv with the block's stride → BN. */
    STRIDED_CONV,
    /** AFNet: AvgPool 3×3/2 (pad 1) when strided, then 1×1 conv → BN when the channels change. */
    AVG_POOL_CONV
  }

  /** A block's non-linearity (MobileNets; ResNet bottlenecks always use ReLU). */
  public enum Activation {
    RELU,
    RELU6,
    HARD_SWISH
  }

  /**
   * One block.
   *
   * @param in input channels
   * @param mid bottleneck width (ResNet) or expansion width (MobileNet)
   * @param out output channels
   * @param kernel spatial kernel of the middle conv
   * @param stride stride of the middle conv (1 or 2)
   * @param se whether a squeeze-and-excite layer follows the depthwise conv (MobileNetV3)
   * @param activation the block's non-linearity
   */
  public record Block(int in, int mid, int out, int kernel, int stride, boolean se, Activation activation) {
    public Block withStride(int s) {
      return new Block(in, mid, out, kernel, s, se, activation);
    }
  }

  /**
   * A run of blocks with the same output channels.
   *
   * @param index 1-based
   */
  public record StageLayout(int index, List<Block> blocks) {
    public StageLayout {
      blocks = List.copyOf(blocks);
    }

    public int in() {
      return blocks.get(0).in();
    }

    public int out() {
      return blocks.get(blocks.size() - 1).out();
    }

    /** Stride of the stage in the dense layout (its first block's). */
    public int stride() {
      return blocks.get(0).stride();
    }
  }

  /**
   * Before stage 1: a strided k×k conv to {@code channels} (+BN, then {@code activation}), then a 3×3/2
   * max-pool (ResNet) or one inverted-residual block (MobileNet).
   */
  public record Stem(int channels, int kernel, Activation activation, boolean maxPool, Optional<Block> block) {
    public int out() {
      return block.map(Block::out).orElse(channels);
    }
  }

  /**
   * After the last stage: optional 1×1 conv to {@code lastConv} channels (+BN, then {@code activation}),
   * global average pool, optional hidden linear layer ({@code hidden} units, with bias, then
   * {@code activation}), then the linear classifier.
   */
  public record Head(int lastConv, int hidden, Activation activation) {}

  /** The last stage's index. */
  public int lastStage() {
    return stages.size();
  }

  /** Stage {@code index} (1-based). */
  public StageLayout stage(int index) {
    return stages.get(index - 1);
  }

  /** Whether AFNet can be laid out on this backbone. */
  public boolean supportsAfNet() {
    return !defaultAdaptive.isEmpty();
  }

  /** The official AFNet channel divisor α of the ample branch. */
  public int officialChannelDivisor() {
    return kind == Kind.RESNET ? 2 : 1;
  }

  /** The dense layout of {@code id} (torchvision's). */
  public static BackboneLayout of(Backbones id) {
    return of(id, 1.0);
  }

  /**
   * The dense layout of {@code id} with a ResNet's channels multiplied by {@code width} (stem 64·width,
   * every stage's inner and output widths too); {@code width} must be 1 for MobileNets and give whole
   * channel counts for ResNets (see {@link #resnetStem}).
   */
  public static BackboneLayout of(Backbones id, double width) {
    return switch (id) {
      case RESNET50 -> resnet(id, new int[] {3, 4, 6, 3}, width);
      case RESNET101 -> resnet(id, new int[] {3, 4, 23, 3}, width);
      case MOBILENET_V3_LARGE -> unitWidth(mobileNetV3Large(), width);
      case MOBILENET_V3_SMALL -> unitWidth(mobileNetV3Small(), width);
      case MOBILENET_V2 -> unitWidth(mobileNetV2(), width);
    };
  }

  /**
   * The layout AFNet is built on: the dense one, except ResNet-101, whose official AFNet code
   * distributes its 33 blocks as [4, 8, 18, 3] instead of torchvision's [3, 4, 23, 3].
   */
  public static BackboneLayout afNet(Backbones id) {
    return afNet(id, 1.0);
  }

  /** {@link #afNet(Backbones)} with a ResNet's channels multiplied by {@code width}, as {@link #of(Backbones, double)}. */
  public static BackboneLayout afNet(Backbones id, double width) {
    return id == Backbones.RESNET101 ? resnet(id, new int[] {4, 8, 18, 3}, width) : of(id, width);
  }

  /** The stem channels 64·width of a width-scaled ResNet, when that is a whole number and width is in (0, 16]. */
  public static OptionalInt resnetStem(double width) {
    double channels = RESNET_STEM * width;
    long rounded = Math.round(channels);
    boolean whole = Math.abs(channels - rounded) < 1e-9 * Math.max(1, channels);
    return width > 0 && width <= MAX_WIDTH && whole && rounded >= 1 ? OptionalInt.of((int) rounded) : OptionalInt.empty();
  }

  private static BackboneLayout unitWidth(BackboneLayout layout, double width) {
    if (width != 1) {
      throw new IllegalArgumentException(layout.id() + " has no width multiplier, got " + width);
    }
    return layout;
  }

  private static BackboneLayout resnet(Backbones id, int[] depths, double width) {
    int stem = resnetStem(width).orElseThrow(() -> new IllegalArgumentException("width " + width + " gives 64·width = "
        + RESNET_STEM * width + " stem channels, not a whole number in [1, " + (int) (RESNET_STEM * MAX_WIDTH) + "]"));
    List<StageLayout> stages = new ArrayList<>();
    int in = stem;
    for (int s = 0; s < 4; s++) {
      int inner = stem << s;
      int out = inner * 4;
      List<Block> blocks = new ArrayList<>();
      for (int b = 0; b < depths[s]; b++) {
        blocks.add(new Block(b == 0 ? in : out, inner, out, 3, b == 0 && s > 0 ? 2 : 1, false, Activation.RELU));
      }
      stages.add(new StageLayout(s + 1, blocks));
      in = out;
    }
    return new BackboneLayout(
        id, Kind.RESNET, new Stem(stem, 7, Activation.RELU, true, Optional.empty()), stages, new Head(0, 0, Activation.RELU), Set.of(1, 2, 3));
  }

  // torchvision mobilenet_v3_large: (in, kernel, expansion, out, SE, stride) per block; ReLU up to
  // stage 2, hard-swish from stage 3 on.
  private static BackboneLayout mobileNetV3Large() {
    Block stemBlock = new Block(16, 16, 16, 3, 1, false, Activation.RELU);
    Activation re = Activation.RELU;
    Activation hs = Activation.HARD_SWISH;
    List<StageLayout> stages = List.of(
        new StageLayout(1, List.of(ir(16, 3, 64, 24, false, 2, re), ir(24, 3, 72, 24, false, 1, re))),
        new StageLayout(2, List.of(ir(24, 5, 72, 40, true, 2, re), ir(40, 5, 120, 40, true, 1, re), ir(40, 5, 120, 40, true, 1, re))),
        new StageLayout(3, List.of(
            ir(40, 3, 240, 80, false, 2, hs), ir(80, 3, 200, 80, false, 1, hs), ir(80, 3, 184, 80, false, 1, hs),
            ir(80, 3, 184, 80, false, 1, hs))),
        new StageLayout(4, List.of(ir(80, 3, 480, 112, true, 1, hs), ir(112, 3, 672, 112, true, 1, hs))),
        new StageLayout(5, List.of(ir(112, 5, 672, 160, true, 2, hs), ir(160, 5, 960, 160, true, 1, hs), ir(160, 5, 960, 160, true, 1, hs))));
    return new BackboneLayout(Backbones.MOBILENET_V3_LARGE, Kind.MOBILENET, new Stem(16, 3, hs, false, Optional.of(stemBlock)), stages,
        new Head(960, 1280, hs), Set.of(2, 3));
  }

  // torchvision mobilenet_v3_small: ReLU up to stage 1, hard-swish from stage 2 on.
  private static BackboneLayout mobileNetV3Small() {
    Block stemBlock = new Block(16, 16, 16, 3, 2, true, Activation.RELU);
    Activation re = Activation.RELU;
    Activation hs = Activation.HARD_SWISH;
    List<StageLayout> stages = List.of(
        new StageLayout(1, List.of(ir(16, 3, 72, 24, false, 2, re), ir(24, 3, 88, 24, false, 1, re))),
        new StageLayout(2, List.of(ir(24, 5, 96, 40, true, 2, hs), ir(40, 5, 240, 40, true, 1, hs), ir(40, 5, 240, 40, true, 1, hs))),
        new StageLayout(3, List.of(ir(40, 5, 120, 48, true, 1, hs), ir(48, 5, 144, 48, true, 1, hs))),
        new StageLayout(4, List.of(ir(48, 5, 288, 96, true, 2, hs), ir(96, 5, 576, 96, true, 1, hs), ir(96, 5, 576, 96, true, 1, hs))));
    return new BackboneLayout(Backbones.MOBILENET_V3_SMALL, Kind.MOBILENET, new Stem(16, 3, hs, false, Optional.of(stemBlock)), stages,
        new Head(576, 1024, hs), Set.of(2, 3));
  }

  // torchvision mobilenet_v2: (t, c, n, s) = (6,24,2,2) (6,32,3,2) (6,64,4,2) (6,96,3,1) (6,160,3,2) (6,320,1,1).
  private static BackboneLayout mobileNetV2() {
    Block stemBlock = new Block(32, 32, 16, 3, 1, false, Activation.RELU6);
    int[][] table = {{24, 2, 2}, {32, 3, 2}, {64, 4, 2}, {96, 3, 1}, {160, 3, 2}, {320, 1, 1}};
    List<StageLayout> stages = new ArrayList<>();
    int in = 16;
    for (int s = 0; s < table.length; s++) {
      List<Block> blocks = new ArrayList<>();
      for (int b = 0; b < table[s][1]; b++) {
        int bin = b == 0 ? in : table[s][0];
        blocks.add(new Block(bin, bin * 6, table[s][0], 3, b == 0 ? table[s][2] : 1, false, Activation.RELU6));
      }
      stages.add(new StageLayout(s + 1, blocks));
      in = table[s][0];
    }
    return new BackboneLayout(Backbones.MOBILENET_V2, Kind.MOBILENET, new Stem(32, 3, Activation.RELU6, false, Optional.of(stemBlock)),
        stages, new Head(1280, 0, Activation.RELU6), Set.of());
  }

  private static Block ir(int in, int kernel, int expansion, int out, boolean se, int stride, Activation activation) {
    return new Block(in, expansion, out, kernel, stride, se, activation);
  }
}
