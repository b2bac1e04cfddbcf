package io.saccade.runtime.blocks;

/**
 * An AFNet navigation module: GAP → 1×1 conv C→2 → BN → ReLU → reshape T×2 → 2T → 1×1 conv 2T→2T
 * (groups = T in the official code, no cross-frame mixing; groups = 1 mixes frames, the paper's reading)
 * → Gumbel-softmax, hard straight-through; keep = channel 1.
 *
 * @param targetRatio RT in (0, 1]: the fraction of frames the ratio loss pulls the selection towards
 * @param mixFrames false for the official per-frame 2T conv (groups = T), true for a full 2T→2T conv
 * @param spatialTargetRatio RS in (0, 1] of the optional spatial mask, or 0 for none
 * @param keepMargin how many logits "keep" starts above "skip" (biases 1 and 1 + margin; official 9): large
 *     keeps every frame at first and makes the ratio loss's straight-through gradient tiny (≈ p(1−p)/τ);
 *     a small margin such as 1 lets short runs learn to drop frames
 */
public record NavigationSpec(float targetRatio, boolean mixFrames, float spatialTargetRatio, float keepMargin) {

  /** The official keep margin: the 2T conv's bias starts at (1, 10) for (skip, keep). */
  public static final float OFFICIAL_KEEP_MARGIN = (float) io.saccade.dsl.Navigation.OFFICIAL_KEEP_MARGIN;

  public NavigationSpec {
    if (!(keepMargin > 0f) || Float.isInfinite(keepMargin)) {
      throw new IllegalArgumentException("keep margin must be finite and > 0 (every frame starts kept), got " + keepMargin);
    }
    if (!(targetRatio > 0f && targetRatio <= 1f)) {
      throw new IllegalArgumentException("navigation target ratio must be in (0, 1], got " + targetRatio);
    }
    if (!(spatialTargetRatio >= 0f && spatialTargetRatio <= 1f)) {
      throw new IllegalArgumentException(
          "spatial target ratio must be in (0, 1], or 0 for no spatial mask, got " + spatialTargetRatio);
    }
  }

  /** A module with the official keep margin. */
  public NavigationSpec(float targetRatio, boolean mixFrames, float spatialTargetRatio) {
    this(targetRatio, mixFrames, spatialTargetRatio, OFFICIAL_KEEP_MARGIN);
  }

  /** The official module: per-frame logits, no spatial mask. */
  public static NavigationSpec official(float targetRatio) {
    return new NavigationSpec(targetRatio, false, 0f);
  }

  /** Whether a spatial mask is produced too. */
  public boolean spatial() {
    return spatialTargetRatio > 0f;
  }
}
