package io.saccade.runtime.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for label maps (the runtime has no JSON dependency): objects become
 * {@link LinkedHashMap}, arrays {@link ArrayList}, numbers {@link Double}, plus String, Boolean, null.
 */
final class MiniJson {

  /** A syntax error at a 1-based line. */
  static final class Error extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;

    Error(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  private final String s;
  private int pos;

  MiniJson(String text) {
    this.s = text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  Object parse() throws Error {
    Object v = value();
    skipSpace();
    if (pos != s.length()) {
      throw error("unexpected '" + s.charAt(pos) + "' after the end of the JSON value");
    }
    return v;
  }

  private Error error(String message) {
    int line = 1;
    for (int i = 0; i < Math.min(pos, s.length()); i++) {
      if (s.charAt(i) == '\n') {
        line++;
      }
    }
    return new Error(line, message);
  }

  private void skipSpace() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private Object value() throws Error {
    skipSpace();
    if (pos >= s.length()) {
      throw error("unexpected end of JSON");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
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
        throw error("unexpected '" + c + "'");
    }
  }

  private Object literal(String word, Object value) throws Error {
    if (!s.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
    return value;
  }

  private Map<String, Object> object() throws Error {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++;
    skipSpace();
    if (pos < s.length() && s.charAt(pos) == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipSpace();
      if (pos >= s.length() || s.charAt(pos) != '"') {
        throw error("expected a quoted key");
      }
      String key = string();
      skipSpace();
      expect(':');
      Object v = value();
      if (map.containsKey(key)) {
        throw error("duplicate key \"" + key + "\"");
      }
      map.put(key, v);
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect('}');
      return map;
    }
  }

  private List<Object> array() throws Error {
    List<Object> list = new ArrayList<>();
    pos++;
    skipSpace();
    if (pos < s.length() && s.charAt(pos) == ']') {
      pos++;
      return list;
    }
    while (true) {
      list.add(value());
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect(']');
      return list;
    }
  }

  private void expect(char c) throws Error {
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw error("expected '" + c + "'" + (pos < s.length() ? ", found '" + s.charAt(pos) + "'" : " at the end"));
    }
    pos++;
  }

  private String string() throws Error {
    pos++;
    StringBuilder b = new StringBuilder();
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (pos >= s.length()) {
        break;
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) {
            throw error("truncated \\u escape");
          }
          try {
            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          pos += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
    throw error("unterminated string");
  }

  private Double number() throws Error {
    int start = pos;
    while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
    try {
      return Double.valueOf(s.substring(start, pos));
    } catch (NumberFormatException e) {
      throw error("bad number '" + s.substring(start, pos) + "'");
    }
  }
}
