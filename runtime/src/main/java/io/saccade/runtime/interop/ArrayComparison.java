package io.saccade.runtime.interop;

import java.util.Locale;
import java.util.Objects;

/**
 * One array of an official parity fixture compared element by element with ours, under a tolerance
 * {@code limit_i} per element: how far the worst element is ({@link #maxAbsDiff}) and how much of its
 * limit the closest-to-failing element uses ({@link #limitUsed}: 0 equal, 1 exactly at the limit,
 * {@code > 1} failed). A non-finite value of ours fails.
 *
 * <pre>{@code
 * ArrayComparison c = ArrayComparison.absolute("final_logits", ours, official, 2e-2);
 * c.passed();   // every |ours − official| ≤ 2e-2
 * }</pre>
 *
 * @param name the array's name, e.g. {@code final_logits} or {@code stage/local_feat}
 * @param maxAbsDiff the largest {@code |ours − official|}
 * @param limitUsed the largest {@code |ours − official| / limit_i}
 * @param tolerance the rule, for print-outs (e.g. {@code atol 0.02})
 */
public record ArrayComparison(String name, double maxAbsDiff, double limitUsed, String tolerance) {

  public ArrayComparison {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tolerance, "tolerance");
  }

  /** Whether every element is within its limit. */
  public boolean passed() {
    return limitUsed <= 1.0;
  }

  /** {@code |a − b| ≤ atol} for every element. */
  public static ArrayComparison absolute(String name, float[] ours, float[] official, double atol) {
    return compare(name, ours, official, atol, 0, String.format(Locale.ROOT, "atol %.3g", atol));
  }

  /** {@code |a − b| ≤ abs + rel·|b|} for every element (AFNet logits). */
  public static ArrayComparison relative(String name, float[] ours, float[] official, double abs, double rel) {
    return compare(name, ours, official, abs, rel, String.format(Locale.ROOT, "%.3g + %.3g|b|", abs, rel));
  }

  /**
   * {@code |a − b| ≤ abs + rel·max|b|}, the tolerance relative to the tensor's scale (AFNet stage
   * activations: float32 accumulation error grows with the largest values a layer carries).
   */
  public static ArrayComparison scaled(String name, float[] ours, float[] official, double abs, double rel) {
    checkLength(name, ours, official);
    double scale = 0;
    for (float v : official) {
      scale = Math.max(scale, Math.abs(v));
    }
    double atol = abs + rel * scale;
    return compare(name, ours, official, atol, 0,
        String.format(Locale.ROOT, "%.3g + %.3g·max|b| = %.3g", abs, rel, atol));
  }

  /** Every element equal (navigation masks). */
  public static ArrayComparison exact(String name, float[] ours, float[] official) {
    checkLength(name, ours, official);
    double max = 0;
    for (int i = 0; i < ours.length; i++) {
      double d = Math.abs((double) ours[i] - official[i]);
      max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
    }
    return new ArrayComparison(name, max, max == 0 ? 0 : Double.POSITIVE_INFINITY, "equal");
  }

  private static ArrayComparison compare(
      String name, float[] ours, float[] official, double abs, double rel, String tolerance) {
    checkLength(name, ours, official);
    double max = 0;
    double used = 0;
    for (int i = 0; i < ours.length; i++) {
      double d = Math.abs((double) ours[i] - official[i]);
      if (Double.isNaN(d)) {
        d = Double.POSITIVE_INFINITY;
      }
      max = Math.max(max, d);
      double limit = abs + rel * Math.abs(official[i]);
      used = Math.max(used, limit > 0 ? d / limit : d == 0 ? 0 : Double.POSITIVE_INFINITY);
    }
    return new ArrayComparison(name, max, used, tolerance);
  }

  private static void checkLength(String name, float[] ours, float[] official) {
    if (ours.length != official.length) {
      throw new IllegalArgumentException(
          name + ": ours has " + ours.length + " values but the fixture has " + official.length);
    }
  }

  /** One line for a table: name, largest difference, tolerance, share of the limit used. */
  public String describe() {
    return String.format(Locale.ROOT, "%-28s max_abs_diff=%-10.3g %-32s %s (%.0f%% of the limit)",
        name, maxAbsDiff, tolerance, passed() ? "ok  " : "FAIL", Math.min(limitUsed, 9.99e4) * 100);
  }
}
