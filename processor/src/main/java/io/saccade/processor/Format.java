package io.saccade.processor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the processor writes a figure for a reader, in messages ({@link Validator}'s rule groups) and in
 * generated code and its Javadoc ({@link Writer}): the same text on every JDK and in every locale.
 *
 * <pre>{@code
 * Format.number(0.50)        // "0.5"
 * Format.gflops(28.3632)     // "28.36"
 * Format.thousands(9536)     // "9,536"
 * Format.underscored(9536)   // "9_536", a Java literal's grouping
 * }</pre>
 */
final class Format {

  private Format() {}

  /** A number as the user would write it: 0.5, 1.5, 100; 1e-300 and 1e300 in E notation. */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    double magnitude = Math.abs(v);
    if (magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e15)) {
      return d.toString().replace("E+", "e").replace('E', 'e');
    }
    return d.toPlainString();
  }

  /** GFLOPs with two decimals. */
  static String gflops(double v) {
    return new BigDecimal(v).setScale(2, RoundingMode.HALF_UP).toPlainString();
  }

  /** A computed figure to nine significant digits (tiny networks spend millionths of a GFLOP). */
  static double nineDigits(double v) {
    return new BigDecimal(v).round(new MathContext(9, RoundingMode.HALF_EVEN)).doubleValue();
  }

  /** A count with thousands separators: 2,147,483,639. */
  static String thousands(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** A count grouped as a Java literal: 23_204_966. */
  static String underscored(long v) {
    return thousands(v).replace(',', '_');
  }

  /** A feature map's shape: 56x56x64. */
  static String shape(int height, int width, int channels) {
    return height + "x" + width + "x" + channels;
  }

  /** {@code a, b, c}. */
  static String list(Collection<?> items) {
    return items.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  /** {@code a and b and c}: what is missing, or what to add. */
  static String and(Collection<?> items) {
    return items.stream().map(String::valueOf).collect(Collectors.joining(" and "));
  }

  /** {@code a or b}: alternatives. */
  static String or(Collection<?> items) {
    return items.stream().map(String::valueOf).collect(Collectors.joining(" or "));
  }
}
