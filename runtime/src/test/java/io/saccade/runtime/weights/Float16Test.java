package io.saccade.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Float16Test {

  @Test
  void knownValuesConvertExactly() {
    assertEquals(1.0f, Float16.toFloat(TestFiles.H_ONE));
    assertEquals(-2.5f, Float16.toFloat(TestFiles.H_MINUS_2_5));
    assertEquals(65504f, Float16.toFloat(TestFiles.H_MAX));
    assertEquals(0x1p-14f, Float16.toFloat(TestFiles.H_MIN_NORMAL));
    assertEquals(6.1035156e-05f, Float16.toFloat(TestFiles.H_MIN_NORMAL));
    assertEquals(0x1p-24f, Float16.toFloat(TestFiles.H_MIN_SUBNORMAL));
    assertEquals(5.9604645e-08f, Float16.toFloat(TestFiles.H_MIN_SUBNORMAL));
    assertEquals(1023 * 0x1p-24f, Float16.toFloat((short) 0x03FF)); // largest subnormal
    assertEquals(-0x1p-24f, Float16.toFloat((short) 0x8001));
    assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat(TestFiles.H_INF));
    assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat(TestFiles.H_MINUS_INF));
    assertTrue(Float.isNaN(Float16.toFloat(TestFiles.H_NAN)));
    assertTrue(Float.isNaN(Float16.toFloat((short) 0xFC01)));
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Float16.toFloat(TestFiles.H_MINUS_ZERO)));
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(Float16.toFloat((short) 0)));
  }

  @Test
  void everyBitPatternMatchesTheDefinition() {
    // Reference from the IEEE definition in double arithmetic: (-1)^s · 2^(e-15) · (1 + f/1024), or f · 2^-24.
    for (int bits = 0; bits < 0x10000; bits++) {
      int s = bits >>> 15;
      int e = (bits >>> 10) & 0x1f;
      int f = bits & 0x3ff;
      double expected;
      if (e == 31) {
        expected = f == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
      } else if (e == 0) {
        expected = Math.scalb((double) f, -24);
      } else {
        expected = Math.scalb(1.0 + f / 1024.0, e - 15);
      }
      if (s == 1) {
        expected = -expected;
      }
      float actual = Float16.toFloat((short) bits);
      if (Double.isNaN(expected)) {
        assertTrue(Float.isNaN(actual), "bits " + Integer.toHexString(bits));
      } else {
        assertEquals(expected, actual, 0.0, "bits " + Integer.toHexString(bits));
        assertEquals(expected == 0 && s == 1, Float.floatToRawIntBits(actual) == 0x80000000, "sign of zero");
      }
    }
  }

  @Test
  void bfloat16IsTheHighHalfOfAFloat() {
    assertEquals(1.0f, Float16.bfloat16ToFloat((short) 0x3F80));
    assertEquals(-2.5f, Float16.bfloat16ToFloat((short) 0xC020));
    assertEquals(Float.POSITIVE_INFINITY, Float16.bfloat16ToFloat((short) 0x7F80));
    assertTrue(Float.isNaN(Float16.bfloat16ToFloat((short) 0x7FC0)));
    assertEquals(0x1p-133f, Float16.bfloat16ToFloat((short) 0x0001)); // smallest bfloat16 subnormal
  }
}
