package io.saccade.architecture;

/**
 * The fixed widths of AdaFocusV2's policy network (the official code's), shared by the processor's
 * sizing and the runtime's policy.
 */
public final class AdaFocusV2Layout {

  /** Channels of the 1×1 conv that opens the policy on the global encoder's feature map. */
  public static final int POLICY_CHANNELS = 64;

  private AdaFocusV2Layout() {}
}
