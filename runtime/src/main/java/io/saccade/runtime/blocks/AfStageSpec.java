package io.saccade.runtime.blocks;

import io.saccade.architecture.AfNetLayout;
import io.saccade.runtime.adaptive.TemporalShift;

/**
 * One AFNet stage of a ResNet: {@code blocks − 1} ample blocks (out/α channels, half resolution, the
 * first strided), {@code blocks − 1} focal blocks (full resolution, grouped convs, selected frames
 * only), one navigation module per block pair, fusion, and a full-width fusion bottleneck with the
 * stage's stride.
 *
 * @param blocks bottleneck blocks of the dense stage this replaces (ResNet-50 stage 1: 3), at least 2
 * @param inChannels channels of the stage input
 * @param out output channels (ResNet-50 stage 1: 256)
 * @param alpha channel divisor α of the ample branch (official 2)
 * @param groups groups of the focal convs (official 2)
 * @param stride stride of the fusion block (official 2, 2, 1 for stages 1–3)
 * @param frames frames per clip T
 * @param temporalShift whether ample, focal and fusion blocks shift 1/shiftDivisor of the channels each way (TSM)
 * @param shiftDivisor with {@code temporalShift}, {@code C / shiftDivisor} channels move each way (TSM: 8)
 * @param navigation the navigation modules' settings
 */
public record AfStageSpec(
    int blocks,
    int inChannels,
    int out,
    int alpha,
    int groups,
    int stride,
    int frames,
    boolean temporalShift,
    NavigationSpec navigation,
    int shiftDivisor) {

  public AfStageSpec {
    if (blocks < 2) {
      throw new IllegalArgumentException("an AF stage needs at least 2 blocks, got " + blocks);
    }
    if (alpha < 1 || out % (4 * alpha) != 0) {
      throw new IllegalArgumentException("alpha=" + alpha + " must be >= 1 and 4·alpha must divide out=" + out);
    }
    if (groups < 1 || (out / 4) % groups != 0) {
      throw new IllegalArgumentException("groups=" + groups + " must divide the focal inner channels " + out / 4);
    }
    if (stride != 1 && stride != 2) {
      throw new IllegalArgumentException("stride must be 1 or 2, got " + stride);
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
  }

  /** The stage as the shared layout rules describe it (AFNet's ample branch at stride 2). */
  public AfNetLayout.Stage layout() {
    return AfNetLayout.Stage.resnet(inChannels, out, blocks, alpha, groups, 2, stride);
  }

  /** A stage shifting the official 1/8 of the channels when it shifts. */
  public AfStageSpec(
      int blocks, int inChannels, int out, int alpha, int groups, int stride, int frames, boolean temporalShift,
      NavigationSpec navigation) {
    this(blocks, inChannels, out, alpha, groups, stride, frames, temporalShift, navigation, TemporalShift.DEFAULT_FOLD_DIV);
  }
}
