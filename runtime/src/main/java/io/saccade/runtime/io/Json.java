package io.saccade.runtime.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime's one JSON reader and writer: a small strict RFC 8259 parser (safetensors headers, fixture
 * {@code meta.json}, label maps, checkpoint metadata) and a deterministic writer for small metadata objects.
 *
 * <p>Values map to Java as: object → {@code Map<String, Object>} (insertion-ordered, unmodifiable),
 * array → {@code List<Object>} (unmodifiable, may hold nulls), string → {@code String}, integer →
 * {@code Long} (or {@code Double} beyond the long range), other numbers → {@code Double}, {@code true}/{@code false}
 * → {@code Boolean}, {@code null} → {@code null}. Duplicate object keys, trailing commas, comments, leading
 * zeros, NaN and a byte order mark are errors; a syntax error is a {@link SyntaxError} that names the line
 * and column.
 *
 * <pre>{@code
 * Map<String, Object> meta = Json.object(Json.parse(Files.readString(path)), "meta.json");
 * long frames = (Long) meta.get("frames");   // 8
 * String text = Json.write(Map.of("loss", Double.NaN));   // {\n  "loss": "NaN"\n}\n
 * double loss = Json.real(Json.object(Json.parse(text), "metrics").get("loss"), "loss");   // NaN
 * }</pre>
 */
public final class Json {

  /** Nesting deeper than this is rejected instead of overflowing the stack. */
  public static final int MAX_DEPTH = 512;

  /**
   * A syntax error: the message reads {@code JSON error at line L, column C: reason}; {@link #line()},
   * {@link #column()} (both 1-based) and {@link #reason()} let a caller name the place in its own format,
   * e.g. {@code labels.json:3: expected ':' after the key "b"}.
   */
  public static final class SyntaxError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;
    private final String reason;

    SyntaxError(int line, int column, String reason) {
      super("JSON error at line " + line + ", column " + column + ": " + reason);
      this.line = line;
      this.column = column;
      this.reason = reason;
    }

    /** The 1-based line of the error. */
    public int line() {
      return line;
    }

    /** The 1-based column (in UTF-16 characters) of the error. */
    public int column() {
      return column;
    }

    /** What was wrong, without the place. */
    public String reason() {
      return reason;
    }
  }

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON value that makes up the whole text (surrounding whitespace allowed).
   *
   * @throws SyntaxError naming the line, column and what was expected
   */
  public static Object parse(String text) {
    Json p = new Json(text);
    p.skipSpace();
    Object value = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the JSON value");
    }
    return value;
  }

  /** Parses a UTF-8 JSON file; the message of a syntax error starts with the file name. */
  public static Object parse(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** {@code value} as a JSON object, or throws naming {@code what}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(Object value, String what) {
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException(what + " must be a JSON object, got " + describe(value));
  }

  /** {@code value} as a JSON array, or throws naming {@code what}. */
  @SuppressWarnings("unchecked")
  public static List<Object> array(Object value, String what) {
    if (value instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new IllegalArgumentException(what + " must be a JSON array, got " + describe(value));
  }

  /** {@code value} as a long (a JSON integer), or throws naming {@code what}. */
  public static long integer(Object value, String what) {
    if (value instanceof Long l) {
      return l;
    }
    throw new IllegalArgumentException(what + " must be a JSON integer, got " + describe(value));
  }

  /** {@code value} as a string, or throws naming {@code what}. */
  public static String string(Object value, String what) {
    if (value instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(what + " must be a JSON string, got " + describe(value));
  }

  /**
   * {@code value} as a double: a JSON number, or one of the strings {@code "NaN"}, {@code "Infinity"},
   * {@code "-Infinity"} that {@link #write} puts in place of non-finite doubles; otherwise throws naming
   * {@code what}.
   */
  public static double real(Object value, String what) {
    if (value instanceof Long || value instanceof Double) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof String s && (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity"))) {
      return Double.parseDouble(s);
    }
    throw new IllegalArgumentException(what + " must be a JSON number (or \"NaN\", \"Infinity\", \"-Infinity\"), got "
        + describe(value));
  }

  /** {@code value} (a JSON array of integers) as a {@code long[]}, e.g. a shape. */
  public static long[] longs(Object value, String what) {
    List<Object> list = array(value, what);
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = integer(list.get(i), what + "[" + i + "]");
    }
    return out;
  }

  /**
   * Writes {@code object} as indented JSON (two spaces a level, {@code "key": value}, a final newline), in
   * the map's iteration order, so equal insertion-ordered maps give equal text. Values may be String,
   * Long/Integer, Double/Float, Boolean, null, lists of these (written on one line) or nested maps with
   * String keys; a non-finite double is
   * written as the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"} (read it back with
   * {@link #real}), a finite one as {@link Double#toString(double)}, which reads back exactly.
   *
   * @throws IllegalArgumentException naming the key of a value of another type
   */
  public static String write(Map<String, ?> object) {
    StringBuilder out = new StringBuilder();
    writeObject(out, object, "");
    return out.append('\n').toString();
  }

  private static void writeObject(StringBuilder out, Map<String, ?> object, String indent) {
    if (object.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append("{\n");
    int i = 0;
    for (Map.Entry<String, ?> e : object.entrySet()) {
      out.append(indent).append("  ");
      writeString(out, e.getKey());
      out.append(": ");
      writeValue(out, e.getKey(), e.getValue(), indent + "  ");
      out.append(++i < object.size() ? ",\n" : "\n");
    }
    out.append(indent).append('}');
  }

  @SuppressWarnings("unchecked")
  private static void writeValue(StringBuilder out, String key, Object v, String indent) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      writeString(out, s);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d)) {
        out.append(Double.toString(d));
      } else {
        writeString(out, Double.toString(d));
      }
    } else if (v instanceof Long || v instanceof Integer) {
      out.append(((Number) v).longValue());
    } else if (v instanceof Boolean b) {
      out.append(b);
    } else if (v instanceof Map<?, ?> m) {
      writeObject(out, (Map<String, ?>) m, indent);
    } else if (v instanceof List<?> list) {
      // Arrays on one line: shapes, class names and mean/std stay readable.
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        writeValue(out, key, list.get(i), indent);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("cannot write the " + v.getClass().getSimpleName() + " under \"" + key
          + "\" as JSON; expected String, Long, Integer, Double, Float, Boolean, null, a list or a map");
    }
  }

  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String s = String.valueOf(value);
    return value.getClass().getSimpleName() + " " + (s.length() > 60 ? s.substring(0, 60) + "…" : s);
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
    if (pos >= text.length()) {
      throw error("expected a value, found the end of the text");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("expected a value, found '" + c + "'");
    }
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> out = new LinkedHashMap<>();
    pos++;
    skipSpace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(out);
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      int keyAt = pos;
      String key = string();
      skipSpace();
      if (peek() != ':') {
        throw error("expected ':' after the key \"" + key + "\"");
      }
      pos++;
      skipSpace();
      Object value = value(depth + 1);
      if (out.containsKey(key)) {
        pos = keyAt;
        throw error("duplicate key \"" + key + "\"");
      }
      out.put(key, value);
      skipSpace();
      char c = peek();
      pos++;
      if (c == '}') {
        return Collections.unmodifiableMap(out);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}' in an object");
      }
    }
  }

  private List<Object> array(int depth) {
    List<Object> out = new ArrayList<>();
    pos++;
    skipSpace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(out);
    }
    while (true) {
      skipSpace();
      out.add(value(depth + 1));
      skipSpace();
      char c = peek();
      pos++;
      if (c == ']') {
        return Collections.unmodifiableList(out);
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']' in an array");
      }
    }
  }

  private String string() {
    pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character U+" + String.format("%04X", (int) c) + " must be escaped in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case '/' -> out.append('/');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(hex4());
        default -> {
          pos--;
          throw error("invalid escape '\\" + e + "'");
        }
      }
    }
  }

  private char hex4() {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos + i), 16);
      if (d < 0) {
        throw error("invalid \\u escape");
      }
      v = v * 16 + d;
    }
    pos += 4;
    // Surrogate pairs arrive as two escapes; appending both chars rebuilds the code point.
    return (char) v;
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (pos < text.length() && text.charAt(pos) == '0') {
      pos++;
      if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        throw error("leading zero in a number");
      }
    } else {
      digits("a digit");
    }
    boolean integral = true;
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      digits("a digit after the decimal point");
      integral = false;
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      digits("a digit in the exponent");
      integral = false;
    }
    String s = text.substring(start, pos);
    if (integral) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException tooBig) {
        return Double.parseDouble(s);
      }
    }
    return Double.parseDouble(s);
  }

  private void digits(String what) {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == start) {
      throw error("expected " + what);
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
    return value;
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end of the text");
    }
    return text.charAt(pos);
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private SyntaxError error(String what) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(pos, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new SyntaxError(line, column, what);
  }
}
