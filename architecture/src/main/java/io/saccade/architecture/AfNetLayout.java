package io.saccade.architecture;

import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * AFNet's layout rules on a {@link BackboneLayout}, as the official code lays them out: an adaptive
 * stage runs all its blocks at its input resolution, so its downsampling moves into the block before it
 * (the previous adaptive stage's fusion block, or a dense stage's last block); an adaptive stage of n
 * dense blocks becomes n − 1 ample, focal and navigation blocks, a fusion attention and one fusion block.
 *
 * <pre>{@code
 * BackboneLayout r50 = BackboneLayout.afNet(Backbones.RESNET50);
 * AfNetLayout.Stage s1 = AfNetLayout.stage(r50, Set.of(1, 2, 3), 1, 2, 2, 2);   // α 2, groups 2, ample stride 2
 * s1.fusionStride();                                                            // 2: stage 2's downsampling
 * }</pre>
 */
public final class AfNetLayout {

  /** Reduction of the fusion attention's bottleneck (official: 16). */
  public static final int ATTENTION_REDUCTION = 16;

  private AfNetLayout() {}

  /**
   * An adaptive stage.
   *
   * @param kind the backbone's block family
   * @param blocks the dense stage's blocks, the first at stride 1 (its downsampling moved before the stage)
   * @param alpha channel divisor α of the ample branch (ResNet; 1 for MobileNets)
   * @param groups groups of the focal blocks' pointwise convs
   * @param ampleStride stride of the first ample block (the ample branch's resolution)
   * @param fusionStride stride of the fusion block, which takes over the next stage's downsampling
   */
  public record Stage(Kind kind, List<Block> blocks, int alpha, int groups, int ampleStride, int fusionStride) {
    public Stage {
      blocks = List.copyOf(blocks);
      if (blocks.size() < 2) {
        throw new IllegalArgumentException("an AF stage needs at least 2 blocks, got " + blocks.size());
      }
    }

    /**
     * A ResNet stage of {@code blocks} bottlenecks {@code in → out} (inner width out/4), as the runtime's
     * specs give it.
     */
    public static Stage resnet(int in, int out, int blocks, int alpha, int groups, int ampleStride, int fusionStride) {
      List<Block> dense = new ArrayList<>();
      for (int b = 0; b < blocks; b++) {
        dense.add(new Block(b == 0 ? in : out, out / 4, out, 3, 1, false, BackboneLayout.Activation.RELU));
      }
      return new Stage(Kind.RESNET, dense, alpha, groups, ampleStride, fusionStride);
    }

    public int in() {
      return blocks.get(0).in();
    }

    public int out() {
      return blocks.get(blocks.size() - 1).out();
    }

    /** Ample, focal and navigation blocks: one fewer than the dense stage's blocks. */
    public int branches() {
      return blocks.size() - 1;
    }

    /** The j-th ample block: ResNet's at 1/α of the width; the first strided by the ample stride. */
    public Block ample(int j) {
      Block dense = blocks.get(j);
      int stride = j == 0 ? ampleStride : 1;
      if (kind == Kind.MOBILENET) {
        return dense.withStride(stride);
      }
      return new Block(j == 0 ? in() : dense.in() / alpha, dense.mid() / alpha, dense.out() / alpha, dense.kernel(), stride, false,
          dense.activation());
    }

    /** The j-th focal block: the dense block at full resolution (stride 1); its pointwise convs take {@link #groups}. */
    public Block focal(int j) {
      return blocks.get(j).withStride(1);
    }

    /** The fusion block on the fused full-width maps, with the fusion stride. */
    public Block fusion() {
      Block last = blocks.get(blocks.size() - 1);
      if (kind == Kind.MOBILENET) {
        return last.withStride(fusionStride);
      }
      return new Block(out(), out() / 4, out(), 3, fusionStride, false, last.activation());
    }

    /** Channels the j-th navigation module reads: the ample branch's input. */
    public int navigationChannels(int j) {
      return j == 0 ? in() : ample(j).in();
    }

    /** Whether the ample output is projected to the focal width before the fusion (α ≠ 1 on a ResNet). */
    public boolean projectsAmple() {
      return kind == Kind.RESNET && alpha != 1;
    }
  }

  /** Stage {@code index} of {@code layout} made adaptive, with the strides moved as the official code moves them. */
  public static Stage stage(BackboneLayout layout, Set<Integer> adaptive, int index, int alpha, int groups, int ampleStride) {
    if (!adaptive.contains(index)) {
      throw new IllegalArgumentException("stage " + index + " is not adaptive in " + adaptive);
    }
    List<Block> blocks = new ArrayList<>(layout.stage(index).blocks());
    blocks.set(0, blocks.get(0).withStride(1));
    return new Stage(layout.kind(), blocks, alpha, groups, ampleStride, nextStride(layout, adaptive, index));
  }

  /**
   * The blocks of dense stage {@code index} with their final strides: the last one takes over the next
   * stage's downsampling when that stage is adaptive.
   */
  public static List<Block> denseBlocks(BackboneLayout layout, Set<Integer> adaptive, int index) {
    if (adaptive.contains(index)) {
      throw new IllegalArgumentException("stage " + index + " is adaptive in " + adaptive);
    }
    List<Block> blocks = new ArrayList<>(layout.stage(index).blocks());
    int next = nextStride(layout, adaptive, index);
    if (next != 1) {
      int last = blocks.size() - 1;
      blocks.set(last, blocks.get(last).withStride(next));
    }
    return List.copyOf(blocks);
  }

  /** The stride of stage {@code index + 1} when it is adaptive (its downsampling moves here), else 1. */
  public static int nextStride(BackboneLayout layout, Set<Integer> adaptive, int index) {
    boolean nextAdaptive = index < layout.lastStage() && adaptive.contains(index + 1);
    return nextAdaptive ? layout.stage(index + 1).stride() : 1;
  }
}
