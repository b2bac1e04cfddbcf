package io.saccade.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
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

  @Test
  void syntaxErrorsCarryLineColumnAndReason() {
    Json.SyntaxError e = assertThrows(Json.SyntaxError.class, () -> Json.parse("{\n  \"a\": 0,\n  \"b\" 1\n}"));
    assertEquals(3, e.line());
    assertEquals(7, e.column());
    assertEquals("expected ':' after the key \"b\"", e.reason());
    assertEquals("JSON error at line 3, column 7: expected ':' after the key \"b\"", e.getMessage());
    // Strict: a byte order mark and non-JSON whitespace are not skipped.
    assertError("\uFEFF{}", "line 1, column 1: expected a value");
    assertError("[1,\u00A02]", "line 1, column 4: expected a value");
  }

  @Test
  void writesIndentedInInsertionOrderAndReadsBack() {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("a\\b\t\"c\"\u0001é", -1.5e-300);
    metrics.put("nan", Double.NaN);
    metrics.put("inf", Float.NEGATIVE_INFINITY);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("step", 9_000_000_000L);
    object.put("epoch", 3);
    object.put("lr", 0.5f);
    object.put("flag", true);
    object.put("none", null);
    object.put("empty", Map.of());
    object.put("metrics", metrics);
    String text = Json.write(object);
    assertEquals(
        "{\n"
            + "  \"step\": 9000000000,\n"
            + "  \"epoch\": 3,\n"
            + "  \"lr\": 0.5,\n"
            + "  \"flag\": true,\n"
            + "  \"none\": null,\n"
            + "  \"empty\": {},\n"
            + "  \"metrics\": {\n"
            + "    \"a\\\\b\\t\\\"c\\\"\\u0001é\": -1.5E-300,\n"
            + "    \"nan\": \"NaN\",\n"
            + "    \"inf\": \"-Infinity\"\n"
            + "  }\n"
            + "}\n",
        text);
    Map<String, Object> read = Json.object(Json.parse(text), "root");
    assertEquals(List.copyOf(object.keySet()), List.copyOf(read.keySet()));
    assertEquals(9_000_000_000L, read.get("step"));
    assertEquals(3L, read.get("epoch"));
    assertEquals(true, read.get("flag"));
    assertTrue(read.containsKey("none") && read.get("none") == null);
    Map<String, Object> m = Json.object(read.get("metrics"), "metrics");
    assertEquals(-1.5e-300, Json.real(m.get("a\\b\t\"c\"\u0001é"), "a"), 0.0);
    assertTrue(Double.isNaN(Json.real(m.get("nan"), "nan")));
    assertEquals(Double.NEGATIVE_INFINITY, Json.real(m.get("inf"), "inf"));
    Object x = Json.object(Json.parse(Json.write(Map.of("x", 0.1 + 0.2))), "root").get("x");
    assertEquals(0.1 + 0.2, Json.real(x, "x"), 0.0, "doubles round-trip exactly");
    assertEquals(2.0, Json.real(Json.parse("2"), "x"));
  }

  @Test
  void listsAreWrittenOnOneLineAndReadBack() {
    String text = Json.write(Map.of("shape", List.of(3L, 3L, 16L)));
    assertEquals("{\n  \"shape\": [3, 3, 16]\n}\n", text);
    assertEquals(List.of(3L, 3L, 16L), Json.object(Json.parse(text), "x").get("shape"));
  }

  @Test
  void writeAndRealNameWhatTheyCannotHandle() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("shape", List.of(1, new Object()))));
    assertTrue(e.getMessage().startsWith("cannot write the ") && e.getMessage().contains("under \"shape\""),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Json.real("nan", "metric \"top1\""));
    assertEquals("metric \"top1\" must be a JSON number (or \"NaN\", \"Infinity\", \"-Infinity\"), got String nan",
        e.getMessage());
  }

  private static void assertError(String json, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(json));
    assertTrue(e.getMessage().contains(expected), json + " -> " + e.getMessage());
  }
}
