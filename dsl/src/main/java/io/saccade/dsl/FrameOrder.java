package io.saccade.dsl;

/**
 * The order in which a conditional-exit network processes a clip's frames.
 *
 * <pre>{@code
 * @ConditionalExit(order = FrameOrder.COARSE_TO_FINE)
 * }</pre>
 */
public enum FrameOrder {
  /** Frames in time order. */
  SEQUENTIAL,
  /** A coarse, evenly spread subset first, then the frames between (AdaFocusV2's order). */
  COARSE_TO_FINE
}
