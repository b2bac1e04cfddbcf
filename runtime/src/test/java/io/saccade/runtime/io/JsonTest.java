package io.saccade.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void valuesMapToJavaTypes() {
    Object v = Json.parse(" {\"a\": [1, -2, 3.5, -0.0, 1e3, 2E-2, true, false, null], \"b\": {}, \"c\": [], \"d\": \"x\"}\n");
    Map<String, Object> m = Json.object(v, "root");
    assertEquals(List.of("a", "b", "c", "d"), List.copyOf(m.keySet()));
    assertEquals(Arrays.asList(1L, -2L, 3.5, -0.0, 1000.0, 0.02, true, false, null), m.get("a"));
    assertEquals(Map.of(), m.get("b"));
    assertEquals(List.of(), m.get("c"));
    assertEquals("x", m.get("d"));
    assertEquals(9_223_372_036_854_775_807L, Json.parse("9223372036854775807"));
    assertEquals(1e19, Json.parse("10000000000000000000")); // beyond long: a double
    assertEquals(0L, Json.parse("0"));
    assertEquals(-0L, Json.parse("-0"));
    assertNull(Json.parse("null"));
    assertArrayEquals(new long[] {64, 3, 7, 7}, Json.longs(Json.parse("[64, 3, 7, 7]"), "shape"));
  }

  @Test
  void stringEscapes() {
    assertEquals("q\" b\\ s/ \b\f\n\r\t é €", Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\u20AC\""));
    assertEquals("😀", Json.parse("\"\\ud83d\\ude00\"")); // a surrogate pair
    assertEquals("é raw", Json.parse("\"é raw\""));
    assertEquals("", Json.parse("\"\""));
  }

  @Test
  void errorsNameLineColumnAndCause() {
    assertError("{\"a\": 1,}", "line 1, column 9: expected a string key");
    assertError("[1, 2,]", "line 1, column 7: expected a value, found ']'");
    assertError("{\"a\": 1}\n x", "line 2, column 2: unexpected text after the JSON value");
    assertError("{\"a\" 1}", "expected ':' after the key \"a\"");
    assertError("[1 2]", "expected ',' or ']' in an array");
    assertError("{\"a\":1 \"b\":2}", "expected ',' or '}' in an object");
    assertError("{\"a\":1,\"a\":2}", "line 1, column 8: duplicate key \"a\"");
    assertError("01", "leading zero");
    assertError("1.", "expected a digit after the decimal point");
    assertError("1e", "expected a digit in the exponent");
    assertError("-", "expected a digit");
    assertError("NaN", "expected a value, found 'N'");
    assertError("tru", "expected true");
    assertError("\"abc", "unterminated string");
    assertError("\"a\\x\"", "invalid escape '\\x'");
    assertError("\"\\u12G4\"", "invalid \\u escape");
    assertError("\"a\nb\"", "control character U+000A must be escaped");
    assertError("", "expected a value, found the end of the text");
    assertError("[", "unexpected end of the text");
    assertError("[".repeat(Json.MAX_DEPTH + 2), "nesting deeper than " + Json.MAX_DEPTH);
    assertError("// comment\n1", "expected a value, found '/'");
  }

  @Test
  void typedAccessorsNameWhatWasExpected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.longs(Json.parse("[1, \"2\"]"), "shape"));
    assertEquals("shape[1] must be a JSON integer, got String 2", e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.object(Json.parse("[]"), "meta")).getMessage()
        .startsWith("meta must be a JSON object"));
  }

  private static void assertError(String json, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(json));
    assertTrue(e.getMessage().contains(expected), json + " -> " + e.getMessage());
  }
}
