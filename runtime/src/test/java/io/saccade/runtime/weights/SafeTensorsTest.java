package io.saccade.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  @TempDir Path dir;

  // Data layout: w F16 [2,2] at 0..8, b F32 [2] at 8..16, n I64 [] at 16..24, m BOOL [3] at 24..27,
  // g BF16 [1] at 27..29, d F64 [1] at 29..37.
  private static final String HEADER =
      "{\"__metadata__\":{\"format\":\"pt\",\"source\":\"test \\u00e9\"},"
          + "\"w\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
          + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
          + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[16,24]},"
          + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[24,27]},"
          + "\"g\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[27,29]},"
          + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[29,37]}}";

  private static byte[] data() {
    return TestFiles.concat(
        TestFiles.halves(ByteOrder.LITTLE_ENDIAN, TestFiles.H_MIN_NORMAL, TestFiles.H_MINUS_2_5, TestFiles.H_INF, TestFiles.H_NAN),
        TestFiles.floats(ByteOrder.LITTLE_ENDIAN, 0.75f, -8f),
        TestFiles.longs(42),
        new byte[] {0, 1, 1},
        TestFiles.halves(ByteOrder.LITTLE_ENDIAN, (short) 0xC020),
        TestFiles.doubles(Math.PI));
  }

  @Test
  void readsEveryDtypeInHeaderOrder() throws IOException {
    Path file = TestFiles.write(dir, "m.safetensors", TestFiles.safetensors(HEADER, data()));
    Map<String, NpyArray> t = SafeTensors.read(file);
    assertEquals(List.of("w", "b", "n", "m", "g", "d"), List.copyOf(t.keySet()));
    float[] w = t.get("w").floats();
    assertEquals(NpyArray.DType.FLOAT16, t.get("w").dtype());
    assertArrayEquals(new long[] {2, 2}, t.get("w").shape());
    assertEquals(6.1035156e-05f, w[0]);
    assertEquals(-2.5f, w[1]);
    assertEquals(Float.POSITIVE_INFINITY, w[2]);
    assertTrue(Float.isNaN(w[3]));
    assertArrayEquals(new float[] {0.75f, -8f}, t.get("b").floats());
    assertArrayEquals(new long[] {42}, t.get("n").longs());
    assertEquals(0, t.get("n").rank());
    assertArrayEquals(new long[] {0, 1, 1}, t.get("m").longs());
    assertArrayEquals(new float[] {-2.5f}, t.get("g").floats());
    assertArrayEquals(new double[] {Math.PI}, t.get("d").doubles());
    assertEquals(Map.of("format", "pt", "source", "test é"), SafeTensors.metadata(file));
    assertEquals(List.of("b", "d"), List.copyOf(SafeTensors.read(file, n -> n.equals("b") || n.equals("d")).keySet()));
  }

  @Test
  void truncatedFilesNameTheTensor() throws IOException {
    byte[] full = TestFiles.safetensors(HEADER, data());
    Path cut = TestFiles.write(dir, "cut.safetensors", Arrays.copyOf(full, full.length - 4));
    WeightFileException e = assertThrows(WeightFileException.class, () -> SafeTensors.read(cut));
    assertEquals("d", e.entry());
    assertEquals(cut + ", entry d: truncated or corrupt: data_offsets [29, 37] lie outside the 33 data bytes of the file",
        e.getMessage());
    Path headerCut = TestFiles.write(dir, "h.safetensors", Arrays.copyOf(full, 100));
    WeightFileException h = assertThrows(WeightFileException.class, () -> SafeTensors.read(headerCut));
    assertNull(h.entry());
    assertTrue(h.getMessage().contains("truncated: header says " + HEADER.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        + " bytes, the file has only 92"), h.getMessage());
    Path tiny = TestFiles.write(dir, "t.safetensors", new byte[] {1, 2, 3});
    assertTrue(assertThrows(WeightFileException.class, () -> SafeTensors.read(tiny)).getMessage().contains("too short"));
  }

  @Test
  void corruptHeadersAreExplained() throws IOException {
    Path huge = TestFiles.write(dir, "x.safetensors", TestFiles.concat(TestFiles.longs(1L << 40), new byte[16]));
    assertTrue(assertThrows(WeightFileException.class, () -> SafeTensors.read(huge)).getMessage()
        .contains("not a safetensors file: header length 1099511627776"));
    Path fp8 = TestFiles.write(dir, "f8.safetensors",
        TestFiles.safetensors("{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]));
    WeightFileException u = assertThrows(WeightFileException.class, () -> SafeTensors.read(fp8));
    assertEquals("q", u.entry());
    assertTrue(u.getMessage().contains("unsupported dtype F8_E4M3"), u.getMessage());
    Path span = TestFiles.write(dir, "s.safetensors",
        TestFiles.safetensors("{\"q\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[12]));
    assertTrue(assertThrows(WeightFileException.class, () -> SafeTensors.read(span)).getMessage()
        .endsWith("entry q: data_offsets [0, 8] span 8 bytes, a F32 tensor of shape [3] needs 12"));
    Path json = TestFiles.write(dir, "j.safetensors", TestFiles.safetensors("{\"q\":{\"dtype\":\"F32\",}}", new byte[0]));
    assertTrue(assertThrows(WeightFileException.class, () -> SafeTensors.read(json)).getMessage()
        .contains("corrupt safetensors header: JSON error at line 1, column 21: expected a string key"));
    Path noShape = TestFiles.write(dir, "n.safetensors",
        TestFiles.safetensors("{\"q\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]));
    WeightFileException ns = assertThrows(WeightFileException.class, () -> SafeTensors.read(noShape));
    assertEquals("q", ns.entry());
    assertTrue(ns.getMessage().contains("\"shape\" must be a JSON array, got null"), ns.getMessage());
  }
}
