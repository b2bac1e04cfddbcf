package io.saccade.runtime.weights;

/**
 * Exact conversion of IEEE 754 half precision (float16) and bfloat16 bit patterns to float32.
 *
 * <p>Every float16 and bfloat16 value, including subnormals, infinities and NaN, has an exact float32
 * equivalent, so these conversions lose nothing. (JDK 20 added {@code Float.float16ToFloat}; Saccade
 * targets Java 17.)
 *
 * <pre>{@code
 * float one = Float16.toFloat((short) 0x3C00);     // 1.0f
 * float max = Float16.toFloat((short) 0x7BFF);     // 65504.0f
 * float tiny = Float16.toFloat((short) 0x0001);    // 2^-24 ≈ 5.96e-8f (smallest subnormal)
 * }</pre>
 */
public final class Float16 {

  private Float16() {}

  /**
   * The float32 value of a float16 bit pattern (1 sign bit, 5 exponent bits with bias 15, 10 fraction
   * bits). NaN payloads are kept in the high fraction bits.
   */
  public static float toFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int fraction = h & 0x3ff;
    if (exponent == 0x1f) {
      // Infinity (fraction 0) or NaN: all-ones float32 exponent, fraction widened.
      return Float.intBitsToFloat(sign | 0x7f800000 | (fraction << 13));
    }
    if (exponent != 0) {
      // Normal: re-bias the exponent from 15 to 127.
      return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (fraction << 13));
    }
    // Zero or subnormal: fraction · 2^-24 is exact in float32 (fraction < 2^10).
    float magnitude = fraction * 0x1p-24f;
    return sign != 0 ? -magnitude : magnitude;
  }

  /** The float32 value of a bfloat16 bit pattern (the high 16 bits of a float32). */
  public static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }
}
