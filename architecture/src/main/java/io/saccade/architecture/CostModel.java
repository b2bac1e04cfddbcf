package io.saccade.architecture;

import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.Head;
import io.saccade.architecture.BackboneLayout.Kind;
import io.saccade.architecture.BackboneLayout.Shortcut;
import io.saccade.architecture.BackboneLayout.Stem;

/**
 * The multiply-adds and parameters of every block Saccade builds, by the conventions of {@link Cost}
 * and of the official AFNet counter ({@code forward_calc_flops}); the processor sizes a network with
 * them at compile time (times = frames, or the selected fraction of them), the runtime counts the frames
 * it really computes with them at build time (times = 1 per frame). Convolutions pad to keep
 * {@code ceil(h / stride)}.
 *
 * <pre>{@code
 * Cost c = new Cost();
 * int side = CostModel.bottleneck(c, block, 56, 1, 8, Shortcut.STRIDED_CONV, 8);   // one block on 8 frames
 * }</pre>
 */
public final class CostModel {

  private CostModel() {}

  /** The side of a feature map of side {@code size} after a padded conv or pooling with {@code stride}. */
  public static int side(int size, int stride) {
    return (size + stride - 1) / stride;
  }

  /**
   * The stem without its block: a strided k×k conv (+BN) on an RGB frame of side {@code size}, then the
   * 3×3/2 max-pool when the stem has one; returns the output side.
   */
  public static int stem(Cost c, Stem stem, int size, double times) {
    int h = side(size, 2);
    c.conv(3, stem.channels(), stem.kernel(), h, h, 1, false, times).bn(stem.channels());
    if (stem.maxPool()) {
      h = side(h, 2);
      c.pool(3, stem.channels(), h, h, times);
    }
    return h;
  }

  /**
   * A bottleneck on a map of side {@code h}: conv1 1×1 → conv2 3×3 (stride) → conv3 1×1, each + BN, in
   * {@code groups}, charged {@code branchTimes}; the projection {@code shortcut} (when the block reshapes)
   * charged {@code shortcutTimes}. Returns the output side.
   */
  public static int bottleneck(Cost c, Block b, int h, int groups, double branchTimes, Shortcut shortcut, double shortcutTimes) {
    int ho = side(h, b.stride());
    c.conv(b.in(), b.mid(), 1, h, h, groups, false, branchTimes).bn(b.mid());
    c.conv(b.mid(), b.mid(), 3, ho, ho, groups, false, branchTimes).bn(b.mid());
    c.conv(b.mid(), b.out(), 1, ho, ho, groups, false, branchTimes).bn(b.out());
    boolean reshape = b.stride() != 1 || b.in() != b.out();
    if (reshape && shortcut == Shortcut.STRIDED_CONV) {
      c.conv(b.in(), b.out(), 1, ho, ho, 1, false, shortcutTimes).bn(b.out());
    } else if (reshape) {
      if (b.stride() != 1) {
        c.pool(3, b.in(), ho, ho, shortcutTimes);
      }
      if (b.in() != b.out()) {
        c.conv(b.in(), b.out(), 1, ho, ho, 1, false, shortcutTimes).bn(b.out());
      }
    }
    return ho;
  }

  /**
   * An inverted residual: [1×1 expand] → k×k depthwise (stride) → [squeeze-excite] → 1×1 project, each
   * conv + BN, the pointwise convs in {@code groups}, charged {@code branchTimes}. With
   * {@code projectShortcut} (AFNet's focal blocks) a reshaping block gets a grouped 1×1 conv + BN shortcut,
   * charged {@code shortcutTimes}; otherwise the residual exists only when shapes match. Returns the output side.
   */
  public static int invertedResidual(
      Cost c, Block b, int h, int groups, double branchTimes, boolean projectShortcut, double shortcutTimes) {
    int ho = side(h, b.stride());
    if (b.mid() != b.in()) {
      c.conv(b.in(), b.mid(), 1, h, h, groups, false, branchTimes).bn(b.mid());
    }
    c.conv(b.mid(), b.mid(), b.kernel(), ho, ho, b.mid(), false, branchTimes).bn(b.mid());
    if (b.se()) {
      squeezeExcite(c, b.mid(), ho, branchTimes);
    }
    c.conv(b.mid(), b.out(), 1, ho, ho, groups, false, branchTimes).bn(b.out());
    if (projectShortcut && (b.stride() != 1 || b.in() != b.out())) {
      c.conv(b.in(), b.out(), 1, ho, ho, groups, false, shortcutTimes).bn(b.out());
    }
    return ho;
  }

  /**
   * A squeeze-and-excite on {@code channels × side²}: two 1×1 convs with bias through
   * {@link Channels#squeeze}; multiply-adds as the official AFNet counter counts them whatever the squeeze
   * width: pool {@code C·h·w}, then {@code 2·⌊C²/4⌋ + C}.
   */
  public static void squeezeExcite(Cost c, int channels, int side, double times) {
    int squeeze = Channels.squeeze(channels);
    c.parameters(2L * channels * squeeze + squeeze + channels);
    c.globalPool(channels, side, side, times)
        .macs(times * (2.0 * ((long) channels * channels / Channels.SQUEEZE_DIVISOR) + channels));
  }

  /**
   * One navigation module on a {@code side × side × channels} input of {@code t} frames: GAP → 1×1 conv C→2
   * (no bias) → BN → ReLU → 2T→2T 1×1 conv with bias (groups T unless frames are mixed), per clip (the
   * official MobileNet counter charges it per frame, {@code 4T²/groups} each); with a spatial mask also
   * 3×3 conv C→2 (no bias) → BN → ReLU → 1×1 conv 2→2 with bias on the map.
   */
  public static void navigation(Cost c, Kind kind, int channels, int side, int t, boolean mixFrames, boolean spatial) {
    c.globalPool(channels, side, side, t);
    c.conv(channels, 2, 1, 1, 1, 1, false, t).bn(2);
    int groups = mixFrames ? 1 : t;
    if (kind == Kind.RESNET) {
      c.conv(Math.multiplyExact(2, t), 2 * t, 1, 1, 1, groups, true, 1);
    } else {
      c.conv(Math.multiplyExact(2, t), 2 * t, 1, 1, 1, groups, true, 0).macs((double) t * 4L * t * t / groups);
    }
    if (spatial) {
      spatialMask(c, channels, side, t);
    }
  }

  /** The spatial mask of a navigation module: 3×3 conv C→2 (no bias) → BN → ReLU → 1×1 conv 2→2 with bias. */
  public static void spatialMask(Cost c, int channels, int side, double times) {
    c.conv(channels, 2, 3, side, side, 1, false, times).bn(2);
    c.conv(2, 2, 1, side, side, 1, true, times);
  }

  /**
   * The fusion attention on {@code channels × side²}: GAP(ample + focal) → FC C→C/16 → ReLU → FC → sigmoid
   * (biases only in MobileNet's); the official counter adds C for the gate ({@code c·h·w + 2·c·(c/16) + c};
   * MobileNet's {@code 2·⌊C²/16⌋ + C}, whatever C/16 rounds to).
   */
  public static void fusionAttention(Cost c, Kind kind, int channels, int side, double times) {
    int reduced = channels / AfNetLayout.ATTENTION_REDUCTION;
    c.globalPool(channels, side, side, times);
    if (kind == Kind.RESNET) {
      c.linear(channels, reduced, false, times).linear(reduced, channels, false, times).macs(times * channels);
    } else {
      c.parameters(2L * channels * reduced + reduced + channels)
          .macs(times * (2.0 * ((long) channels * channels / AfNetLayout.ATTENTION_REDUCTION) + channels));
    }
  }

  /**
   * An AFNet stage on {@code t} frames of side {@code h}, counted as the official counter does: ample
   * branch, navigation, fusion and the focal shortcuts on every frame; the focal branches charged
   * {@code focalTimes} (t × the selected fraction RT, × RS with a spatial mask; 0 for the part that does
   * not depend on navigation). Returns the output side.
   */
  public static int afStage(Cost c, AfNetLayout.Stage s, int h, int t, double focalTimes, boolean mixFrames, boolean spatial) {
    boolean resnet = s.kind() == Kind.RESNET;
    int ha = side(h, s.ampleStride());
    for (int j = 0; j < s.branches(); j++) {
      int sideIn = j == 0 ? h : ha;
      navigation(c, s.kind(), s.navigationChannels(j), sideIn, t, mixFrames, spatial);
      if (resnet) {
        bottleneck(c, s.ample(j), sideIn, 1, t, Shortcut.AVG_POOL_CONV, t);
        bottleneck(c, s.focal(j), h, s.groups(), focalTimes, Shortcut.STRIDED_CONV, t);
      } else {
        invertedResidual(c, s.ample(j), sideIn, 1, t, false, t);
        invertedResidual(c, s.focal(j), h, s.groups(), focalTimes, true, t);
      }
    }
    if (s.projectsAmple()) {
      c.conv(s.out() / s.alpha(), s.out(), 1, ha, ha, 1, false, t).bn(s.out()); // ample → focal width
    }
    fusionAttention(c, s.kind(), s.out(), h, t);
    return resnet
        ? bottleneck(c, s.fusion(), h, 1, t, Shortcut.AVG_POOL_CONV, t)
        : invertedResidual(c, s.fusion(), h, 1, t, false, t);
  }

  /** Multiply-adds of the j-th focal branch of {@code s} (convs only, no shortcut) on one frame of side {@code h}. */
  public static long focalBranch(AfNetLayout.Stage s, int j, int h) {
    Cost c = new Cost();
    if (s.kind() == Kind.RESNET) {
      bottleneck(c, s.focal(j), h, s.groups(), 1, Shortcut.STRIDED_CONV, 0);
    } else {
      invertedResidual(c, s.focal(j), h, s.groups(), 1, true, 0);
    }
    return c.multiplyAdds();
  }

  /** The head's optional last 1×1 conv (+BN) on {@code channels × side²}; returns the channels after it. */
  public static int lastConv(Cost c, Head head, int channels, int side, double times) {
    if (head.lastConv() == 0) {
      return channels;
    }
    c.conv(channels, head.lastConv(), 1, side, side, 1, false, times).bn(head.lastConv());
    return head.lastConv();
  }

  /** Global average pool of {@code channels × side²}, the optional hidden layer, the linear classifier. */
  public static void classifier(Cost c, Head head, int channels, int side, int classes, double times) {
    c.globalPool(channels, side, side, times);
    int features = channels;
    if (head.hidden() > 0) {
      c.linear(features, head.hidden(), true, times);
      features = head.hidden();
    }
    c.linear(features, classes, true, times);
  }
}
