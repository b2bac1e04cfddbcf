package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelMapTest {

  @TempDir Path dir;

  private LabelMap read(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return LabelMap.read(f);
  }

  @Test
  void somethingSomethingV2JsonWithStringIndices() throws Exception {
    LabelMap m = read("labels.json", "{\n  \"Pushing something from left to right\": \"1\",\n"
        + "  \"Approaching something with your camera\": \"0\",\n  \"Tearing \\\"x\\\" \\u00e9\": 2\n}");
    assertEquals(List.of("Approaching something with your camera", "Pushing something from left to right",
        "Tearing \"x\" \u00e9"), m.names());
    assertEquals(1, m.indexOf("Pushing something from left to right"));
    assertEquals(-1, m.indexOf("nope"));
  }

  @Test
  void jsonIndicesAsIntegersDecimalsOrStringsAndAByteOrderMark() throws Exception {
    assertEquals(List.of("a", "b", "c"), read("n.json", "\uFEFF{\"c\": 2.0, \"a\": 0, \"b\": \" 1 \"}").names());
    var e = assertThrows(IOException.class, () -> read("neg.json", "{\"a\": -1}"));
    assertTrue(e.getMessage().contains("label 'a' maps to -1, expected a non-negative integer"), e.getMessage());
    e = assertThrows(IOException.class, () -> read("big.json", "{\"a\": 4294967296}"));
    assertTrue(e.getMessage().contains("label 'a' maps to 4294967296"), e.getMessage());
  }

  @Test
  void jsonListAndCsvVariants() throws Exception {
    assertEquals(List.of("a", "b"), read("l.json", "[\"a\", \"b\"]").names());
    // One name per line (Jester, SSv1): commas belong to the name.
    assertEquals(List.of("Putting something, something and something on the table", "Holding something"),
        read("l.csv", "Putting something, something and something on the table\nHolding something\n\n").names());
    assertEquals(List.of("zero", "one"), read("i.csv", "id,name\n1,one\n0,zero\n").names());
    assertEquals(List.of("zero", "one, quoted"), read("n.csv", "zero,0\n\"one, quoted\",1\n").names());
  }

  @Test
  void errorsNameTheFileAndLine() {
    Path f = dir.resolve("bad.json");
    var e = assertThrows(IOException.class, () -> read("bad.json", "{\n\"a\": 0,\n\"b\" 1\n}"));
    assertEquals(f + ":3: expected ':' after the key \"b\" (column 5)", e.getMessage());
    // Strict JSON: a leading zero, a trailing comma, a raw line break in a name, on the line they are.
    e = assertThrows(IOException.class, () -> read("zero.json", "{\n\"a\": 00\n}"));
    assertEquals(dir.resolve("zero.json") + ":2: leading zero in a number (column 7)", e.getMessage());
    e = assertThrows(IOException.class, () -> read("comma.json", "[\"a\",\n \"b\",\n]"));
    assertEquals(dir.resolve("comma.json") + ":3: expected a value, found ']' (column 1)", e.getMessage());
    e = assertThrows(IOException.class, () -> read("raw.json", "[\"a\nb\"]"));
    assertTrue(e.getMessage().startsWith(dir.resolve("raw.json") + ":1: control character U+000A"), e.getMessage());
    e = assertThrows(IOException.class, () -> read("gap.json", "{\"a\": 0, \"c\": 2}"));
    assertTrue(e.getMessage().contains("index 1 is missing"), e.getMessage());
    e = assertThrows(IOException.class, () -> read("dup.csv", "0,a\n0,b\n"));
    assertTrue(e.getMessage().startsWith(dir.resolve("dup.csv") + ":2: index 0 is given to both"), e.getMessage());
    e = assertThrows(IOException.class, () -> read("same.json", "[\"a\", \"a\"]"));
    assertTrue(e.getMessage().contains("duplicate class name 'a'"), e.getMessage());
  }
}
