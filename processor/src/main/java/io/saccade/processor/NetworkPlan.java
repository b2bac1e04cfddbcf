package io.saccade.processor;

import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.Shortcut;
import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.Interpolation;
import io.saccade.processor.NetworkSpec.Family;
import java.util.List;
import java.util.Optional;

/**
 * A checked declaration laid out as concrete blocks: every stage with the strides, widths and groups
 * it will be built with. The {@link Sizer} counts it; the {@link Writer} turns it into code. AFNet's
 * stride rearrangement (a stage's downsampling moves into the block before it) is already applied.
 *
 * <pre>{@code
 * NetworkPlan plan = new Planner().plan(spec);
 * plan.cnn().orElseThrow().stages().get(0);   // AfStagePlan[index=1, ...] for AFNet on ResNet-50
 * }</pre>
 *
 * @param family what kind of network
 * @param networkName the declaring type's simple name
 * @param frames frames per clip T
 * @param classes number of classes
 * @param inputSize side of the input frame in pixels
 * @param dropout dropout rate before the classifier
 * @param cnn the per-frame CNN of a dense or AFNet network
 * @param focus the parts of an AdaFocusV2 network
 * @param schedule AFNet's loss weight and temperature schedule
 */
record NetworkPlan(
    Family family,
    String networkName,
    int frames,
    int classes,
    int inputSize,
    double dropout,
    Optional<CnnPlan> cnn,
    Optional<FocusPlan> focus,
    Optional<Schedule> schedule) {

  /**
   * A 2-D CNN applied to every frame.
   *
   * @param layout the backbone's published layout
   * @param inputSize side of the frames it sees
   * @param shiftFrames T when every block shifts channels in time (TSM), else 0
   * @param shiftDivisor 1/shiftDivisor of the channels move each way
   * @param shortcut how dense bottlenecks project their shortcut
   * @param stages stage 1 first
   */
  record CnnPlan(BackboneLayout layout, int inputSize, int shiftFrames, int shiftDivisor, Shortcut shortcut, List<StagePlan> stages) {
    CnnPlan {
      stages = List.copyOf(stages);
    }
  }

  /** One stage of a {@link CnnPlan}. */
  sealed interface StagePlan permits DenseStagePlan, AfStagePlan {
    /** 1-based stage index. */
    int index();

    /** {@code stage<index>}: the op scope, parameter path and summary row of the stage. */
    default String name() {
      return "stage" + index();
    }
  }

  /** Plain blocks, with their final strides. */
  record DenseStagePlan(int index, List<Block> blocks) implements StagePlan {
    DenseStagePlan {
      blocks = List.copyOf(blocks);
    }
  }

  /**
   * An AFNet module replacing a dense stage of {@code blocks.size()} blocks: that many minus one ample,
   * focal and navigation blocks, then fusion and one fusion block.
   *
   * @param blocks the dense stage's blocks (the ample and focal branches derive their widths from them)
   * @param alpha ample channel divisor α
   * @param groups focal groups
   * @param ampleStride resolution stride of the ample branch (its first block's stride)
   * @param fusionStride stride of the fusion block, which takes over the next stage's downsampling
   * @param navigation the stage's navigation settings
   */
  record AfStagePlan(int index, List<Block> blocks, int alpha, int groups, int ampleStride, int fusionStride, NavigationPlan navigation)
      implements StagePlan {
    AfStagePlan {
      blocks = List.copyOf(blocks);
    }

    int in() {
      return blocks.get(0).in();
    }

    int out() {
      return blocks.get(blocks.size() - 1).out();
    }
  }

  /**
   * @param targetRatio RT
   * @param mixFrames whether the 2T→2T layer mixes frames
   * @param spatialRatio RS of the spatial mask, 0 for none
   * @param keepMargin logits "keep" starts above "skip"
   */
  record NavigationPlan(double targetRatio, boolean mixFrames, double spatialRatio, double keepMargin) {}

  /** AFNet's network-wide training settings. */
  record Schedule(double lossWeight, double temperatureFrom, double temperatureTo, int annealEpochs) {}

  /**
   * AdaFocusV2's parts.
   *
   * @param global the global encoder at its input size
   * @param local the local encoder at the patch size
   * @param focusFrames Tf, the frames the local encoder sees per clip; when it differs from T the input
   *     clip holds T glance frames followed by Tf focus frames
   * @param patchSize side of the patch
   * @param recurrent GRU policy (one centre per frame) or one centre per clip
   * @param interpolation how the patch is sampled
   * @param policyHidden width of the policy's GRU (recurrent) or of its first MLP layer (per clip)
   * @param hidden width of the classifier's hidden layer
   * @param exitOrder frame order of the conditional exit, if declared
   */
  record FocusPlan(
      CnnPlan global, CnnPlan local, int focusFrames, int patchSize, boolean recurrent, Interpolation interpolation, int policyHidden, int hidden, Optional<FrameOrder> exitOrder) {

    /** Whether the focus frames are a set of their own, after the glance's in the input clip. */
    boolean separateFocusFrames(int frames) {
      return focusFrames != frames;
    }
  }
}
