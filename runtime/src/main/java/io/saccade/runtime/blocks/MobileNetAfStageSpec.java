package io.saccade.runtime.blocks;

import io.saccade.architecture.AfNetLayout;
import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.dsl.Backbones;
import io.saccade.runtime.adaptive.TemporalShift;
import io.saccade.runtime.blocks.MobileNetInvertedResidualSpec.Excitation;
import java.util.ArrayList;
import java.util.List;

/**
 * One AFNet stage of a MobileNetV3, as the official {@code AF_MobileNetv3.py} builds stages 2 and 3: for
 * each of the dense stage's blocks an ample block (same channels, the first one strided 2, so half
 * resolution), a focal block (full resolution, stride 1, pointwise and shortcut convs in
 * {@code groups}, only the selected frames) and a navigation module on the ample block's input; then
 * nearest-neighbour upsampling of the ample output to the focal size, attention fusion (no activation)
 * and a full-width fusion block with its own stride.
 *
 * <pre>{@code
 * MobileNetAfStageSpec s = MobileNetAfStageSpec.officialStage2(8, NavigationSpec.official(0.5f));
 * AfStage.Result r = MobileNetAfStage.build(ctx.child("stage2"), x, s, temperature);   // x: [N·8, 12, 12, 24]
 * }</pre>
 *
 * @param inChannels channels of the stage input
 * @param blocks the dense stage's blocks, each at stride 1 with groups 1 and no shift (the stage sets
 *     them): the i-th gives ample block i (stride 2 when i = 0) and focal block i
 * @param fusion the fusion block (any stride; groups 1, no shift), run on the fused full-width maps
 * @param groups groups of the focal blocks' 1×1 convs (official 2)
 * @param frames frames per clip T
 * @param temporalShift whether ample, focal and fusion blocks shift 1/shiftDivisor of the channels each way (TSM; the
 *     official AF-MobileNetV3 always does)
 * @param shiftDivisor with {@code temporalShift}, {@code C / shiftDivisor} channels move each way (TSM: 8)
 * @param navigation the navigation modules' settings (frame masks only)
 */
public record MobileNetAfStageSpec(
    int inChannels,
    List<MobileNetInvertedResidualSpec> blocks,
    MobileNetInvertedResidualSpec fusion,
    int groups,
    int frames,
    boolean temporalShift,
    NavigationSpec navigation,
    int shiftDivisor) {

  public MobileNetAfStageSpec {
    if (inChannels < 1) {
      throw new IllegalArgumentException("inChannels must be >= 1, got " + inChannels);
    }
    if (blocks == null || blocks.isEmpty()) {
      throw new IllegalArgumentException("a MobileNet AF stage needs at least 1 block");
    }
    blocks = List.copyOf(blocks);
    int out = blocks.get(0).out();
    for (int i = 0; i < blocks.size(); i++) {
      MobileNetInvertedResidualSpec b = blocks.get(i);
      if (b.stride() != 1 || b.groups() != 1 || b.shiftFrames() != 0) {
        throw new IllegalArgumentException(
            "block " + i + " must have stride 1, groups 1 and no shift (the stage sets them), got " + b);
      }
      if (b.out() != out) {
        throw new IllegalArgumentException(
            "every block of an AF stage must have the same output channels, block 0 has " + out + ", block " + i
                + " has " + b.out());
      }
      if (b.expanded() % groups != 0) {
        throw new IllegalArgumentException("groups=" + groups + " must divide block " + i + "'s expanded " + b.expanded());
      }
    }
    if (fusion == null || fusion.groups() != 1 || fusion.shiftFrames() != 0) {
      throw new IllegalArgumentException("the fusion block must be given with groups 1 and no shift, got " + fusion);
    }
    if (groups < 1 || inChannels % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException(
          "groups=" + groups + " must be >= 1 and divide inChannels=" + inChannels + " and out=" + out);
    }
    if (out < AfNetLayout.ATTENTION_REDUCTION) {
      throw new IllegalArgumentException(
          "the fusion attention needs at least " + AfNetLayout.ATTENTION_REDUCTION + " channels, got " + out);
    }
    if (frames < 1) {
      throw new IllegalArgumentException("frames must be >= 1, got " + frames);
    }
    if (navigation == null) {
      throw new IllegalArgumentException("navigation must not be null");
    }
    if (shiftDivisor < 1) {
      throw new IllegalArgumentException("shiftDivisor must be >= 1, got " + shiftDivisor);
    }
    if (navigation.spatial()) {
      throw new IllegalArgumentException("MobileNet AF stages support frame masks only, not spatial masks");
    }
  }

  /** A stage shifting the official 1/8 of the channels when it shifts. */
  public MobileNetAfStageSpec(
      int inChannels, List<MobileNetInvertedResidualSpec> blocks, MobileNetInvertedResidualSpec fusion, int groups, int frames,
      boolean temporalShift, NavigationSpec navigation) {
    this(inChannels, blocks, fusion, groups, frames, temporalShift, navigation, TemporalShift.DEFAULT_FOLD_DIV);
  }

  /** Output channels of the stage. */
  public int out() {
    return fusion.out();
  }

  /** The stage as the shared layout rules describe it (the fusion block as the last dense block). */
  public AfNetLayout.Stage layout() {
    List<Block> dense = new ArrayList<>();
    int in = inChannels;
    for (MobileNetInvertedResidualSpec b : blocks) {
      dense.add(b.block(in));
      in = b.out();
    }
    dense.add(fusion.withStride(1).block(in));
    return new AfNetLayout.Stage(BackboneLayout.Kind.MOBILENET, dense, 1, groups, 2, fusion.stride());
  }

  /**
   * The official stage 2: 24 → 40 channels, two k5 SE ReLU blocks (expanded 72 and 120), fusion block k5 SE
   * (120) with stride 2 (stage 3's downsampling); groups 2, TSM on.
   */
  public static MobileNetAfStageSpec officialStage2(int frames, NavigationSpec navigation) {
    return official(2, frames, navigation);
  }

  /**
   * The official stage 3: 40 → 80 channels, three k3 hard-swish blocks without SE (expanded 240, 200, 184),
   * fusion block k3 (184), stride 1; groups 2, TSM on.
   */
  public static MobileNetAfStageSpec officialStage3(int frames, NavigationSpec navigation) {
    return official(3, frames, navigation);
  }

  /** Adaptive stage {@code index} of AF-MobileNetV3-Large as the shared layout lays it out. */
  private static MobileNetAfStageSpec official(int index, int frames, NavigationSpec navigation) {
    BackboneLayout af = BackboneLayout.afNet(Backbones.MOBILENET_V3_LARGE);
    // α 1, focal groups 2, ample stride 2: the official code's
    AfNetLayout.Stage s = AfNetLayout.stage(af, af.defaultAdaptive(), index, 1, 2, 2);
    List<MobileNetInvertedResidualSpec> blocks = MobileNetV3.specs(s.blocks().subList(0, s.branches()), Excitation.BEFORE_ACTIVATION, 0);
    MobileNetInvertedResidualSpec fusion = MobileNetV3.specs(List.of(s.fusion()), Excitation.BEFORE_ACTIVATION, 0).get(0);
    return new MobileNetAfStageSpec(s.in(), blocks, fusion, s.groups(), frames, true, navigation);
  }
}
