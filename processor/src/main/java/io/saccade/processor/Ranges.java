package io.saccade.processor;

import io.saccade.architecture.BackboneLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The valid values of the numeric attributes, as the generated code and the runtime use them, and the
 * rule every such value obeys first: finite, and still valid once the generated code holds it as a
 * {@code float}.
 *
 * <pre>{@code
 * if (Ranges.representable(report, ratio, at, "targetRatio", Ranges.RATIO, true) && !Ranges.RATIO.contains(ratio)) {
 *   report.error(Message.RATIO_RANGE, at, ...);
 * }
 * }</pre>
 */
final class Ranges {

  private Ranges() {}

  /** The most values one Java array holds: a clip is loaded into one float array. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  static final Interval RATIO = new Interval(0, true, 1, false);
  static final Interval DROPOUT = new Interval(0, false, 1, true);
  static final Interval LOSS_WEIGHT = new Interval(0, false, 1e6, false);
  static final Interval TEMPERATURE = new Interval(1e-6, false, 1e6, false);
  static final Interval KEEP_MARGIN = new Interval(0, true, 1e6, false);
  static final Interval WIDTH = new Interval(0, true, BackboneLayout.MAX_WIDTH, false);
  static final Interval BUDGET = new Interval(0, true, Double.POSITIVE_INFINITY, true);

  /** An interval of valid values, written as the user reads it: {@code (0, 1]}. */
  record Interval(double min, boolean minOpen, double max, boolean maxOpen) {
    boolean contains(double v) {
      return (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
    }

    /** The float nearest to {@code v} inside the interval. */
    float nearestFloatInside(double v) {
      float f = (float) v;
      while (!contains(f) && Float.isFinite(f)) {
        f = f <= min ? Math.nextUp(f) : Math.nextDown(f);
      }
      return f;
    }

    @Override
    public String toString() {
      return (minOpen ? "(" : "[") + Format.number(min) + ", " + (Double.isInfinite(max) ? "∞" : Format.number(max))
          + (maxOpen ? ")" : "]");
    }
  }

  /**
   * Whether {@code v} is finite and, when the generated code holds it as a {@code float}, still inside
   * {@code valid} as one; reports not-finite or float-range otherwise. The interval itself is the caller's
   * to check, with the attribute's own message.
   */
  static boolean representable(ValidationReport.Builder report, double v, Origin at, String attribute, Interval valid,
      boolean float32) {
    if (!Double.isFinite(v)) {
      report.error(Message.NOT_FINITE, at, attribute, Format.number(v), valid);
      return false;
    }
    if (float32 && valid.contains(v) && !valid.contains((float) v)) {
      report.error(Message.FLOAT_ROUNDING, at, attribute, Format.number(v), Float.toString((float) v), valid, valid,
          Float.toString(valid.nearestFloatInside(v)));
      return false;
    }
    return true;
  }

  /** Whether {@code size} is a positive multiple of every backbone's total stride. */
  static boolean multipleOfStride(int size) {
    return size > 0 && size % BackboneLayout.TOTAL_STRIDE == 0;
  }

  /** The multiples of the total stride next to {@code size}: "192 or 224". */
  static String nearestMultiples(int size) {
    int s = BackboneLayout.TOTAL_STRIDE;
    int lower = Math.max(0, size) / s * s;
    if (lower == 0) {
      return String.valueOf(s);
    }
    return Format.or(List.of(lower, lower + s));
  }

  /** The divisors of {@code n}, at most six: "1, 2, 4, 8, 16, 32". */
  static String divisors(int n) {
    List<Integer> out = new ArrayList<>();
    for (int d = 1; d <= n && out.size() < 6; d++) {
      if (n % d == 0) {
        out.add(d);
      }
    }
    return Format.list(out);
  }

  static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
