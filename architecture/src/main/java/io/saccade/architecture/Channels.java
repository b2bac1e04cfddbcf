package io.saccade.architecture;

/**
 * Channel-width rules of the MobileNet family, as torchvision's {@code _make_divisible}.
 *
 * <pre>{@code
 * Channels.squeeze(72);                  // 24: the squeeze-and-excite width of a 72-channel block
 * Channels.makeDivisible(16 * 0.75, 8);  // 16
 * }</pre>
 */
public final class Channels {

  /** A squeeze-and-excite layer squeezes to a quarter of its channels, rounded by {@link #makeDivisible}. */
  public static final int SQUEEZE_DIVISOR = 4;

  /** MobileNet widths are multiples of 8. */
  public static final int DIVISOR = 8;

  private Channels() {}

  /**
   * {@code v} rounded half up to a multiple of {@code divisor}, at least {@code divisor}, and one more
   * multiple when rounding down lost more than 10 %.
   */
  public static int makeDivisible(double v, int divisor) {
    if (divisor < 1) {
      throw new IllegalArgumentException("makeDivisible divisor must be >= 1, got " + divisor);
    }
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("makeDivisible value must be finite and > 0, got " + v);
    }
    int rounded = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
    return rounded < 0.9 * v ? rounded + divisor : rounded;
  }

  /** The width a squeeze-and-excite on {@code channels} squeezes to: makeDivisible(channels / 4, 8) (72 → 24, 120 → 32). */
  public static int squeeze(int channels) {
    return makeDivisible(channels / SQUEEZE_DIVISOR, DIVISOR);
  }
}
