package io.saccade.architecture;

/**
 * A running count of trainable parameters and multiply-adds, by the convention of the AFNet and
 * AdaFocusV2 papers: convolutions {@code cin·cout·k²·h·w/groups}, linear layers {@code in·out},
 * pooling {@code k²·C·h·w} (global average pooling {@code C·h·w}); batch norm, activations, element-wise
 * ops, interpolation and temporal shifts cost nothing. Parameters count weights, biases and BN γ, β.
 *
 * <pre>{@code
 * Cost c = new Cost();
 * c.conv(3, 64, 7, 112, 112, 1, false, 8);   // ResNet stem conv on 8 frames
 * c.bn(64);
 * }</pre>
 *
 * <p>Parameter counts are exact: an overflow throws {@link ArithmeticException} rather than wrap.
 *
 * <p>{@code times} multiplies the multiply-adds only: frames per clip, times the fraction of them
 * computed (target ratio) where it applies; the runtime counts one frame ({@code times = 1}) and reads
 * {@link #multiplyAdds()}. The formulas of whole blocks and stages are in {@link CostModel}.
 */
public final class Cost {

  private long parameters;
  private double macs;

  /** A k×k conv producing {@code h × w × cout}. */
  public Cost conv(int cin, int cout, int k, int h, int w, int groups, boolean bias, double times) {
    parameters = Math.addExact(parameters,
        Math.addExact(Math.multiplyExact(Math.multiplyExact((long) cin / groups, (long) cout), (long) k * k), bias ? cout : 0));
    macs += times * ((double) cin / groups) * cout * k * k * h * w;
    return this;
  }

  /** Batch norm over {@code c} channels: γ and β. */
  public Cost bn(int c) {
    parameters = Math.addExact(parameters, 2L * c);
    return this;
  }

  /** A linear layer. */
  public Cost linear(int in, int out, boolean bias, double times) {
    parameters = Math.addExact(parameters, Math.addExact(Math.multiplyExact((long) in, (long) out), bias ? out : 0));
    macs += times * (double) in * out;
    return this;
  }

  /** A k×k pooling producing {@code h × w × c}. */
  public Cost pool(int k, int c, int h, int w, double times) {
    macs += times * (double) k * k * c * h * w;
    return this;
  }

  /** Global average pooling of an {@code h × w × c} map. */
  public Cost globalPool(int c, int h, int w, double times) {
    macs += times * (double) c * h * w;
    return this;
  }

  /** Extra parameters not covered above (e.g. a GRU's). */
  public Cost parameters(long n) {
    parameters = Math.addExact(parameters, n);
    return this;
  }

  /** Extra multiply-adds not covered above. */
  public Cost macs(double n) {
    macs += n;
    return this;
  }

  public long parameters() {
    return parameters;
  }

  public double macs() {
    return macs;
  }

  /** The multiply-adds as a whole number (exact: every term is an integer when {@code times} is). */
  public long multiplyAdds() {
    return Math.round(macs);
  }

  public double gflops() {
    return macs / 1e9;
  }
}
