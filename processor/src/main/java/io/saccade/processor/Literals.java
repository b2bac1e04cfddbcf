package io.saccade.processor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Java source literals for the numbers the {@link Writer} prints: the shortest decimal that javac reads
 * back as exactly the same {@code float} or {@code double}, plain ({@code 0.5}, {@code 224.0}) where that
 * stays short and in E notation otherwise ({@code 1.0E-40}), the same text on every JDK. A value no
 * literal can hold (NaN, ±∞, a float out of range) is a bug upstream, where the {@link Validator} should
 * have rejected it: it throws.
 *
 * <pre>{@code
 * Literals.floatLiteral(0.01)   // "0.01f"
 * Literals.doubleLiteral(30)    // "30.0"
 * }</pre>
 */
final class Literals {

  private Literals() {}

  /** A {@code float} literal, with its {@code f}, for {@code (float) v}. */
  static String floatLiteral(double v) {
    float f = (float) v;
    if (!Float.isFinite(f)) {
      throw new IllegalArgumentException("no float literal for " + v);
    }
    for (int digits = 1; digits <= 9; digits++) {
      BigDecimal d = new BigDecimal(f).round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (Float.parseFloat(d.toString()) == f) {
        return text(d) + "f";
      }
    }
    throw new AssertionError("9 digits always round-trip a float: " + f);
  }

  /** A {@code double} literal for {@code v}. */
  static String doubleLiteral(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("no double literal for " + v);
    }
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal d = new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (Double.parseDouble(d.toString()) == v) {
        return text(d);
      }
    }
    throw new AssertionError("17 digits always round-trip a double: " + v);
  }

  /** {@code d} with a decimal point: plain from 1e-7 to 1e15, else {@code 1.5E-40}. */
  private static String text(BigDecimal d) {
    if (d.signum() == 0) {
      return "0.0";
    }
    d = d.stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1;
    if (exponent >= -7 && exponent < 15) {
      String plain = d.toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String unscaled = d.unscaledValue().abs().toString();
    String mantissa = unscaled.charAt(0) + "." + (unscaled.length() > 1 ? unscaled.substring(1) : "0");
    return (d.signum() < 0 ? "-" : "") + mantissa + "E" + exponent;
  }
}
