package io.saccade.runtime.data;

import io.saccade.runtime.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Class names and their indices, read from the files datasets ship with.
 *
 * <ul>
 *   <li>JSON object {@code {"Approaching something": "0", ...}} (Something-Something V2; values may be
 *       numbers or strings of digits), or JSON array {@code ["name0", "name1", ...]}.
 *   <li>CSV/text: one name per line, index = line order (Jester, Something-Something V1; commas inside
 *       a name are kept), or two columns {@code index,name} / {@code name,index}; a non-numeric header
 *       row of a two-column file is skipped; fields may be double-quoted.
 * </ul>
 * Indices must run {@code 0 … K−1}, each once. JSON is read strictly (RFC 8259, {@link Json}; a leading
 * byte order mark is skipped). Errors name the file and line, e.g.
 * {@code labels.json:3: expected ':' after the key "b" (column 5)}.
 *
 * <pre>{@code
 * LabelMap labels = LabelMap.read(Path.of("something-something-v2-labels.json"));
 * int k = labels.size();                 // 174
 * int i = labels.indexOf("Pushing something from left to right");
 * }</pre>
 */
public final class LabelMap {

  private final List<String> names;
  private final Map<String, Integer> index;

  private LabelMap(List<String> names) {
    this.names = List.copyOf(names);
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      if (m.put(names.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate class name '" + names.get(i) + "'");
      }
    }
    this.index = Collections.unmodifiableMap(m);
  }

  /** Names in index order. */
  public static LabelMap of(List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a label map needs at least one class");
    }
    return new LabelMap(names);
  }

  /** {@code K} classes named {@code class_0 … class_K−1}, for lists without a label file. */
  public static LabelMap numbered(int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, got " + classes);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      names.add("class_" + i);
    }
    return new LabelMap(names);
  }

  /** Reads {@code file} as JSON if it ends in {@code .json} or starts with <code>{</code> or <code>[</code>, else as CSV. */
  public static LabelMap read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String trimmed = text.stripLeading();
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
        || trimmed.startsWith("{")
        || trimmed.startsWith("[");
    return json ? parseJson(file.toString(), text) : parseCsv(file.toString(), text);
  }

  /** Parses JSON {@code text}; {@code source} names it in errors. */
  static LabelMap parseJson(String source, String text) throws IOException {
    Object root;
    try {
      // Editors on Windows may put a byte order mark in front; strict JSON has none.
      root = Json.parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
    } catch (Json.SyntaxError e) {
      throw new IOException(source + ":" + e.line() + ": " + e.reason() + " (column " + e.column() + ")", e);
    }
    if (root instanceof List<?> list) {
      List<String> names = new ArrayList<>();
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw new IOException(source + ": a JSON label list must hold strings, found " + o);
        }
        names.add(s);
      }
      return checked(source, names);
    }
    if (root instanceof Map<?, ?> map) {
      Map<Integer, String> byIndex = new TreeMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String name = (String) e.getKey();
        int i = parseIndex(e.getValue());
        if (i < 0) {
          throw new IOException(source + ": label '" + name + "' maps to " + e.getValue()
              + ", expected a non-negative integer");
        }
        String previous = byIndex.put(i, name);
        if (previous != null) {
          throw new IOException(source + ": index " + i + " is given to both '" + previous + "' and '" + name + "'");
        }
      }
      return dense(source, byIndex);
    }
    throw new IOException(source + ": expected a JSON object {\"name\": index} or a list of names");
  }

  private static int parseIndex(Object value) {
    if (value instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) {
      return l.intValue();
    }
    if (value instanceof Double d && d >= 0 && d == Math.rint(d) && d <= Integer.MAX_VALUE) {
      return d.intValue();
    }
    if (value instanceof String s) {
      return parseNonNegative(s.strip());
    }
    return -1;
  }

  /** A non-negative decimal int, or -1. */
  static int parseNonNegative(String s) {
    if (s.isEmpty() || s.length() > 9) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(s);
  }

  /** Parses CSV {@code text}; {@code source} names it in errors. */
  static LabelMap parseCsv(String source, String text) throws IOException {
    String[] lines = text.split("\r?\n", -1);
    List<String> ordered = new ArrayList<>();
    Map<Integer, String> byIndex = new TreeMap<>();
    String firstLine = null; // a non-numeric first line: a header if index lines follow, else a name
    boolean first = true;
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (n == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isEmpty()) {
        continue;
      }
      List<String> fields = splitCsv(line, source, n + 1);
      int a = fields.size() == 2 ? parseNonNegative(fields.get(0).strip()) : -1;
      int b = fields.size() == 2 ? parseNonNegative(fields.get(1).strip()) : -1;
      // One name per line may itself contain commas, so keep the line whole unless quoted.
      String name = fields.size() == 1 ? fields.get(0).strip() : line;
      if (first) {
        first = false;
        if (a < 0 && b < 0) {
          firstLine = name;
          continue;
        }
      }
      if (a >= 0 || b >= 0) {
        if (!ordered.isEmpty()) {
          throw new IOException(source + ":" + (n + 1) + ": mixes 'name' lines and 'index,name' lines");
        }
        int i = a >= 0 ? a : b;
        String named = (a >= 0 ? fields.get(1) : fields.get(0)).strip();
        String previous = byIndex.put(i, named);
        if (previous != null) {
          throw new IOException(source + ":" + (n + 1) + ": index " + i + " is given to both '" + previous
              + "' and '" + named + "'");
        }
        continue;
      }
      if (!byIndex.isEmpty()) {
        throw new IOException(source + ":" + (n + 1) + ": expected 'index,name', got '" + line + "'");
      }
      if (firstLine != null) {
        ordered.add(firstLine);
        firstLine = null;
      }
      ordered.add(name);
    }
    if (!byIndex.isEmpty()) {
      return dense(source, byIndex);
    }
    if (firstLine != null) {
      ordered.add(firstLine);
    }
    return checked(source, ordered);
  }

  private static List<String> splitCsv(String line, String source, int lineNumber) throws IOException {
    List<String> fields = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"' && cur.toString().isBlank()) {
        cur.setLength(0);
        quoted = true;
      } else if (ch == ',') {
        fields.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    if (quoted) {
      throw new IOException(source + ":" + lineNumber + ": unterminated quoted field");
    }
    fields.add(cur.toString());
    return fields;
  }

  private static LabelMap dense(String source, Map<Integer, String> byIndex) throws IOException {
    List<String> names = new ArrayList<>();
    for (Map.Entry<Integer, String> e : byIndex.entrySet()) {
      if (e.getKey() != names.size()) {
        throw new IOException(source + ": class indices must run 0.." + (byIndex.size() - 1) + ", index "
            + names.size() + " is missing");
      }
      names.add(e.getValue());
    }
    return checked(source, names);
  }

  private static LabelMap checked(String source, List<String> names) throws IOException {
    if (names.isEmpty()) {
      throw new IOException(source + ": no class names");
    }
    try {
      return new LabelMap(names);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage());
    }
  }

  /** Number of classes. */
  public int size() {
    return names.size();
  }

  /** Names in index order. */
  public List<String> names() {
    return names;
  }

  /** The name of class {@code index}. */
  public String name(int index) {
    return names.get(Objects.checkIndex(index, names.size()));
  }

  /** The index of {@code name}, or -1 if there is no such class. */
  public int indexOf(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  @Override
  public String toString() {
    return "LabelMap[" + names.size() + " classes]";
  }
}
