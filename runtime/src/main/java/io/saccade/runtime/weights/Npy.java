package io.saccade.runtime.weights;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader of numpy's {@code .npy} format (versions 1.0, 2.0 and 3.0): a magic string, a header that is a
 * Python dict literal ({@code {'descr': '<f2', 'fortran_order': False, 'shape': (64, 3, 7, 7), }}) and the
 * raw values.
 *
 * <p>Supported dtypes: {@code f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1}, either byte order. Fortran-ordered
 * arrays are transposed into row-major order on reading. Structured, string, complex and object dtypes
 * are rejected with a {@link WeightFileException} naming the dtype.
 *
 * <pre>{@code
 * NpyArray a = Npy.read(Path.of("clips.npy"));
 * }</pre>
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private Npy() {}

  /** Reads one {@code .npy} file; trailing bytes after the data are an error. */
  public static NpyArray read(Path path) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
      NpyArray array = read(in, path.toString(), null);
      if (in.read() != -1) {
        throw new WeightFileException(path, null, "unexpected bytes after the array data " + array, null);
      }
      return array;
    }
  }

  /**
   * Reads one array from a stream positioned at the magic string and leaves the stream just after its
   * data.
   *
   * @param file names the source in error messages
   * @param entry names the zip entry in error messages, or null
   */
  public static NpyArray read(InputStream in, String file, String entry) throws IOException {
    byte[] magic = in.readNBytes(8);
    if (magic.length < 8) {
      throw new WeightFileException(file, entry, "truncated: " + magic.length + " bytes, too short for an .npy header", null);
    }
    if (!Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
      throw new WeightFileException(file, entry, "not an .npy array (no \\x93NUMPY magic string)", null);
    }
    int major = magic[6] & 0xff;
    int minor = magic[7] & 0xff;
    int lengthBytes;
    switch (major) {
      case 1 -> lengthBytes = 2;
      case 2, 3 -> lengthBytes = 4;
      default -> throw new WeightFileException(
          file, entry, "unsupported .npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)", null);
    }
    byte[] lengthField = in.readNBytes(lengthBytes);
    if (lengthField.length < lengthBytes) {
      throw new WeightFileException(file, entry, "truncated inside the .npy header length", null);
    }
    long headerLength = 0;
    for (int i = lengthBytes - 1; i >= 0; i--) {
      headerLength = (headerLength << 8) | (lengthField[i] & 0xff);
    }
    if (headerLength > 1 << 20) {
      throw new WeightFileException(file, entry, "implausible .npy header length " + headerLength + " bytes", null);
    }
    byte[] headerBytes = in.readNBytes((int) headerLength);
    if (headerBytes.length < headerLength) {
      throw new WeightFileException(
          file, entry, "truncated: header says " + headerLength + " bytes, found " + headerBytes.length, null);
    }
    String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Header h = parseHeader(header, file, entry);
    NpyArray data;
    if (!h.fortranOrder || h.shape.length < 2) {
      data = Values.decode(in, h.dtype, h.order, h.shape, file, entry);
    } else {
      // Fortran order stores the transpose of the row-major array; read that and transpose back.
      long[] reversed = new long[h.shape.length];
      int[] perm = new int[h.shape.length];
      for (int i = 0; i < reversed.length; i++) {
        reversed[i] = h.shape[h.shape.length - 1 - i];
        perm[i] = h.shape.length - 1 - i;
      }
      data = Layouts.transpose(Values.decode(in, h.dtype, h.order, reversed, file, entry), perm);
    }
    return data;
  }

  /** The parsed header fields. */
  record Header(NpyArray.DType dtype, ByteOrder order, boolean fortranOrder, long[] shape) {}

  static Header parseHeader(String header, String file, String entry) throws WeightFileException {
    Object parsed;
    try {
      PyLiteral p = new PyLiteral(header.strip());
      parsed = p.value();
      p.end();
    } catch (IllegalArgumentException e) {
      throw new WeightFileException(file, entry, "unreadable .npy header " + header.strip() + ": " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> dict)) {
      throw new WeightFileException(file, entry, ".npy header is not a dict: " + header.strip(), null);
    }
    Object descr = dict.get("descr");
    Object fortran = dict.get("fortran_order");
    Object shape = dict.get("shape");
    if (!(descr instanceof String d)) {
      throw new WeightFileException(
          file, entry, "unsupported dtype " + descr + " (structured dtypes are not supported; need a plain descr such as '<f4')", null);
    }
    if (!(fortran instanceof Boolean f)) {
      throw new WeightFileException(file, entry, ".npy header has no boolean 'fortran_order': " + header.strip(), null);
    }
    if (!(shape instanceof List<?> dims)) {
      throw new WeightFileException(file, entry, ".npy header has no tuple 'shape': " + header.strip(), null);
    }
    long[] s = new long[dims.size()];
    for (int i = 0; i < s.length; i++) {
      if (!(dims.get(i) instanceof Long v) || v < 0) {
        throw new WeightFileException(file, entry, ".npy shape " + dims + " is not a tuple of non-negative integers", null);
      }
      s[i] = v;
    }
    ByteOrder order;
    String code;
    if (d.length() >= 2 && "<>|=".indexOf(d.charAt(0)) >= 0) {
      order = d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      code = d.substring(1);
    } else {
      order = ByteOrder.LITTLE_ENDIAN;
      code = d;
    }
    NpyArray.DType dtype = NpyArray.DType.fromNumpyCode("?".equals(code) ? "b1" : code);
    if (dtype == null) {
      throw new WeightFileException(
          file, entry, "unsupported dtype '" + d + "' (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1)", null);
    }
    return new Header(dtype, order, f, s);
  }

  /** A parser for the subset of Python literals an .npy header uses: dict, tuple, list, str, int, bool, None. */
  static final class PyLiteral {
    private final String s;
    private int pos;

    PyLiteral(String s) {
      this.s = s;
    }

    Object value() {
      skipSpace();
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return dict();
        case '(':
          return sequence('(', ')');
        case '[':
          return sequence('[', ']');
        case '\'':
        case '"':
          return string();
        default:
          if (c == '-' || Character.isDigit(c)) {
            return integer();
          }
          return word();
      }
    }

    void end() {
      skipSpace();
      if (pos != s.length()) {
        throw error("unexpected text");
      }
    }

    private Map<Object, Object> dict() {
      Map<Object, Object> out = new LinkedHashMap<>();
      pos++;
      while (true) {
        skipSpace();
        if (peek() == '}') {
          pos++;
          return out;
        }
        Object key = value();
        skipSpace();
        expect(':');
        out.put(key, value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<Object> sequence(char open, char close) {
      List<Object> out = new ArrayList<>();
      pos++;
      while (true) {
        skipSpace();
        if (peek() == close) {
          pos++;
          return out;
        }
        out.add(value());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != close) {
          throw error("expected ',' or '" + close + "'");
        }
      }
    }

    private String string() {
      char quote = s.charAt(pos++);
      StringBuilder out = new StringBuilder();
      while (pos < s.length() && s.charAt(pos) != quote) {
        char c = s.charAt(pos++);
        if (c == '\\' && pos < s.length()) {
          c = s.charAt(pos++);
        }
        out.append(c);
      }
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      pos++;
      return out.toString();
    }

    private Long integer() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      String digits = s.substring(start, pos);
      if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
        pos++; // Python 2 long suffix, written by old numpy versions
      }
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw error("bad integer '" + digits + "'");
      }
    }

    private Object word() {
      int start = pos;
      while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
        pos++;
      }
      String w = s.substring(start, pos);
      switch (w) {
        case "True":
          return Boolean.TRUE;
        case "False":
          return Boolean.FALSE;
        case "None":
          return null;
        default:
          throw error("unexpected '" + (w.isEmpty() ? String.valueOf(s.charAt(start)) : w) + "'");
      }
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private char peek() {
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(pos);
    }

    private void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at character " + pos);
    }
  }
}
