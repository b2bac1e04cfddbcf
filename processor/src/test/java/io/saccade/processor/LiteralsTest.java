package io.saccade.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Writer's literals read back as exactly the value, are short, and never what javac rejects. */
class LiteralsTest {

  @Test
  void shortFormsForEverydayValues() {
    assertEquals("0.5f", Literals.floatLiteral(0.5));
    assertEquals("0.01f", Literals.floatLiteral(0.01));
    assertEquals("1.0f", Literals.floatLiteral(1));
    assertEquals("0.0f", Literals.floatLiteral(1e-300), "a double below float's range is the float it becomes: 0");
    assertEquals("30.0", Literals.doubleLiteral(30));
    assertEquals("0.015625", Literals.doubleLiteral(0.015625));
    assertEquals("1.0E300", Literals.doubleLiteral(1e300));
    assertEquals("5.0E-324", Literals.doubleLiteral(Double.MIN_VALUE), "the shortest that reads back as the smallest double");
    assertEquals("1.0E-45f", Literals.floatLiteral(Float.MIN_VALUE));
    assertEquals("-2.5E20", Literals.doubleLiteral(-2.5e20));
  }

  @Test
  void everyFiniteValueRoundTrips() {
    Random random = new Random(3);
    for (int i = 0; i < 4_000; i++) {
      double d = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
      if (Double.isFinite(d)) {
        String text = Literals.doubleLiteral(d);
        assertEquals(d, Double.parseDouble(text), text);
        assertTrue(text.contains(".") && text.length() <= 27, text);
      }
      float f = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(f)) {
        String text = Literals.floatLiteral(f);
        assertEquals(f, Float.parseFloat(text), text);
        assertTrue(text.endsWith("f") && text.contains("."), text);
      }
    }
  }

  @Test
  void noLiteralForWhatIsNotANumber() {
    assertThrows(IllegalArgumentException.class, () -> Literals.floatLiteral(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Literals.floatLiteral(1e39));
    assertThrows(IllegalArgumentException.class, () -> Literals.doubleLiteral(Double.NEGATIVE_INFINITY));
  }
}
