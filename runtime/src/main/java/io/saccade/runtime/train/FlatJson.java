package io.saccade.runtime.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small JSON subset checkpoint metadata needs: objects, strings, numbers, true/false/null. Numbers
 * without a fraction or exponent read as {@link Long}, others as {@link Double}; non-finite doubles are
 * written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 */
final class FlatJson {

  private FlatJson() {}

  /** Writes an object whose values are String, Long/Integer, Double/Float, Boolean, null or nested maps. */
  static String write(Map<String, ?> object) {
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
      writeValue(out, e.getValue(), indent + "  ");
      out.append(++i < object.size() ? ",\n" : "\n");
    }
    out.append(indent).append('}');
  }

  @SuppressWarnings("unchecked")
  private static void writeValue(StringBuilder out, Object v, String indent) {
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
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass().getSimpleName() + " as JSON");
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

  /** Reads one JSON object. */
  static Map<String, Object> read(String text) {
    Parser p = new Parser(text);
    p.skipSpace();
    Map<String, Object> object = p.object();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("trailing characters");
    }
    return object;
  }

  /** A metric value as written by {@link #write}: a number, or a non-finite string. */
  static double toDouble(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s && (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity"))) {
      return Double.parseDouble(s);
    }
    throw new IllegalArgumentException("not a number: " + v);
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    Map<String, Object> object() {
      expect('{');
      Map<String, Object> out = new LinkedHashMap<>();
      skipSpace();
      if (peek() == '}') {
        pos++;
        return out;
      }
      while (true) {
        skipSpace();
        String key = string();
        skipSpace();
        expect(':');
        skipSpace();
        if (out.put(key, value()) != null) {
          throw error("duplicate key \"" + key + "\"");
        }
        skipSpace();
        char c = next();
        if (c == '}') {
          return out;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    Object value() {
      char c = peek();
      if (c == '{') {
        return object();
      }
      if (c == '"') {
        return string();
      }
      if (s.startsWith("true", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (s.startsWith("false", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      if (s.startsWith("null", pos)) {
        pos += 4;
        return null;
      }
      return number();
    }

    Object number() {
      int start = pos;
      boolean integral = true;
      while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
        integral &= Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '-';
        pos++;
      }
      String t = s.substring(start, pos);
      if (t.isEmpty()) {
        throw error("expected a value");
      }
      try {
        return integral ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
      } catch (NumberFormatException e) {
        throw error("bad number '" + t + "'");
      }
    }

    String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw error("short \\u escape");
            }
            out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> throw error("bad escape \\" + e);
        }
      }
    }

    void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    char peek() {
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(pos);
    }

    char next() {
      char c = peek();
      pos++;
      return c;
    }

    void expect(char c) {
      if (next() != c) {
        pos--;
        throw error("expected '" + c + "'");
      }
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("JSON: " + what + " at character " + pos);
    }
  }
}
