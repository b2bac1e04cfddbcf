package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlatJsonTest {

  @Test
  void writesAndReadsBack() {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("a\\b\t\"c\"\u0001é", -1.5e-300);
    metrics.put("nan", Double.NaN);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("step", 9_000_000_000L);
    object.put("flag", true);
    object.put("none", null);
    object.put("metrics", metrics);
    Map<String, Object> read = FlatJson.read(FlatJson.write(object));
    assertEquals(9_000_000_000L, read.get("step"));
    assertEquals(true, read.get("flag"));
    assertTrue(read.containsKey("none") && read.get("none") == null);
    Map<?, ?> m = (Map<?, ?>) read.get("metrics");
    assertEquals(-1.5e-300, FlatJson.toDouble(m.get("a\\b\t\"c\"\u0001é")));
    assertTrue(Double.isNaN(FlatJson.toDouble(m.get("nan"))));
  }

  @Test
  void readsHandWrittenJsonAndRejectsBrokenJson() {
    Map<String, Object> read = FlatJson.read(" { \"x\" : 1e3 , \"u\": \"\\u00e9\\/\" , \"e\": {} } ");
    assertEquals(1000.0, read.get("x"));
    assertEquals("é/", read.get("u"));
    assertEquals(Map.of(), read.get("e"));
    for (String bad : new String[] {"", "{", "{\"a\": }", "{\"a\": 1,}", "{\"a\": 1} x", "{\"a\": 1, \"a\": 2}", "[1]"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlatJson.read(bad), bad);
      assertTrue(e.getMessage().startsWith("JSON: "), e.getMessage());
    }
  }
}
