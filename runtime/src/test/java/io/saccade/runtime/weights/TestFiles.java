package io.saccade.runtime.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes .npy, .npz and .safetensors bytes by hand for the tests. */
final class TestFiles {

  private TestFiles() {}

  /** Float16 bit patterns with known float32 values. */
  static final short H_ONE = 0x3C00;
  static final short H_MINUS_2_5 = (short) 0xC100;
  static final short H_MAX = 0x7BFF; // 65504
  static final short H_MIN_NORMAL = 0x0400; // 2^-14 = 6.1035156e-05
  static final short H_MIN_SUBNORMAL = 0x0001; // 2^-24 = 5.9604645e-08
  static final short H_INF = 0x7C00;
  static final short H_MINUS_INF = (short) 0xFC00;
  static final short H_NAN = 0x7E00;
  static final short H_MINUS_ZERO = (short) 0x8000;

  /** An .npy file: format version {@code major}.0, the dict header padded to 64 bytes, then the data. */
  static byte[] npy(int major, String descr, boolean fortran, String shapeTuple, byte[] data) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
        + shapeTuple + ", }";
    return npyWithHeader(major, dict, data);
  }

  /** An .npy file with a verbatim header dict. */
  static byte[] npyWithHeader(int major, String dict, byte[] data) {
    int lengthBytes = major == 1 ? 2 : 4;
    int prefix = 8 + lengthBytes;
    StringBuilder header = new StringBuilder(dict);
    while ((prefix + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    byte[] h = header.toString().getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(prefix + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) h.length);
    } else {
      b.putInt(h.length);
    }
    b.put(h).put(data);
    return b.array();
  }

  static byte[] halves(ByteOrder order, short... bits) {
    ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(order);
    for (short s : bits) {
      b.putShort(s);
    }
    return b.array();
  }

  static byte[] floats(ByteOrder order, float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  static byte[] doubles(double... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  static byte[] longs(long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  static byte[] ints(int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    return b.array();
  }

  /** A zip of entries; each entry is stored when its name is in {@code stored}, deflated otherwise. */
  static byte[] zip(Map<String, byte[]> entries, java.util.Set<String> stored) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        if (stored.contains(e.getKey())) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(e.getValue().length);
          entry.setCompressedSize(e.getValue().length);
          entry.setCrc(crc.getValue());
        } else {
          entry.setMethod(ZipEntry.DEFLATED);
        }
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /** A safetensors file: 8-byte little-endian header length, the JSON header, then the data bytes. */
  static byte[] safetensors(String headerJson, byte[] data) {
    byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    return b.array();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static Path write(Path dir, String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  static Map<String, byte[]> entries(Object... nameThenBytes) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < nameThenBytes.length; i += 2) {
      out.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
    }
    return out;
  }
}
