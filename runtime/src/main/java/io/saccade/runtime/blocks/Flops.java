package io.saccade.runtime.blocks;

/**
 * Multiply-add counts, the convention of the AFNet and AdaFocusV2 papers and of AFNet's official
 * counter: a convolution costs {@code cin·cout·h·w·k²/groups} (h, w of its output), a linear layer
 * {@code in·out}, a 3×3 pooling {@code 9·C·H·W} (output size), a global average pool {@code C·H·W}
 * (input size); batch norm, activations, interpolation and element-wise ops are not counted.
 */
public final class Flops {

  private Flops() {}

  /** A convolution: {@code cin·cout·hOut·wOut·k²/groups}. */
  public static long conv(int cin, int cout, int hOut, int wOut, int kernel, int groups) {
    return (long) cin * cout * hOut * wOut * kernel * kernel / groups;
  }

  /** A 3×3 pooling window over an output of {@code c × h × w}. */
  public static long pool3x3(int c, int hOut, int wOut) {
    return 9L * c * hOut * wOut;
  }

  /** A global average pool over an input of {@code c × h × w}. */
  public static long globalPool(int c, int h, int w) {
    return (long) c * h * w;
  }

  /** A linear layer. */
  public static long linear(int in, int out) {
    return (long) in * out;
  }

  /** Multiply-adds → GFLOPs. */
  public static double giga(double flops) {
    return flops / 1e9;
  }
}
