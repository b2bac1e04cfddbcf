package io.saccade.dsl;

/**
 * How a patch is sampled from a frame at a fractional location.
 *
 * <pre>{@code
 * @PatchPolicy(patchSize = 128, interpolation = Interpolation.BILINEAR)
 * }</pre>
 */
public enum Interpolation {
  /** Bilinear sampling: gradients reach the patch location (AdaFocusV2's choice). */
  BILINEAR,
  /**
   * Nearest-pixel sampling: at inference pixels are copied, no interpolation; in training the values are
   * the nearest pixels' and the location's gradient is the bilinear one (straight-through), so the
   * policy still learns.
   */
  NEAREST
}
