package io.saccade.runtime.weights;

import static io.saccade.runtime.weights.TestFiles.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

  @TempDir Path dir;

  private static NpyArray parse(byte[] bytes) throws IOException {
    return Npy.read(new ByteArrayInputStream(bytes), "test.npy", null);
  }

  @Test
  void float16ValuesConvertExactly() throws IOException {
    byte[] data = TestFiles.halves(ByteOrder.LITTLE_ENDIAN,
        TestFiles.H_ONE, TestFiles.H_MINUS_2_5, TestFiles.H_MAX, TestFiles.H_MIN_NORMAL,
        TestFiles.H_MIN_SUBNORMAL, TestFiles.H_INF, TestFiles.H_NAN, TestFiles.H_MINUS_INF);
    NpyArray a = Npy.read(TestFiles.write(dir, "h.npy", npy(1, "<f2", false, "(2, 4)", data)));
    assertEquals(NpyArray.DType.FLOAT16, a.dtype());
    assertArrayEquals(new long[] {2, 4}, a.shape());
    float[] f = a.floats();
    assertEquals(1.0f, f[0]);
    assertEquals(-2.5f, f[1]);
    assertEquals(65504f, f[2]);
    assertEquals(6.1035156e-05f, f[3]);
    assertEquals(5.9604645e-08f, f[4]);
    assertEquals(Float.POSITIVE_INFINITY, f[5]);
    assertTrue(Float.isNaN(f[6]));
    assertEquals(Float.NEGATIVE_INFINITY, f[7]);
    assertEquals(-2.5f, a.getFloat(0, 1));
    assertEquals(5.9604645e-08, a.doubles()[4], 1e-15);
  }

  @Test
  void everySupportedDtype() throws IOException {
    NpyArray f4 = parse(npy(1, "<f4", false, "(3,)", TestFiles.floats(ByteOrder.LITTLE_ENDIAN, 1.5f, -0.25f, 1e30f)));
    assertArrayEquals(new float[] {1.5f, -0.25f, 1e30f}, f4.floats());
    NpyArray f4be = parse(npy(1, ">f4", false, "(2,)", TestFiles.floats(ByteOrder.BIG_ENDIAN, 3f, -7f)));
    assertArrayEquals(new float[] {3f, -7f}, f4be.floats());
    NpyArray f2be = parse(npy(1, ">f2", false, "(1,)", TestFiles.halves(ByteOrder.BIG_ENDIAN, TestFiles.H_MINUS_2_5)));
    assertArrayEquals(new float[] {-2.5f}, f2be.floats());

    NpyArray f8 = parse(npy(1, "<f8", false, "(2,)", TestFiles.doubles(0.1, -1e-300)));
    assertEquals(NpyArray.DType.FLOAT64, f8.dtype());
    assertArrayEquals(new double[] {0.1, -1e-300}, f8.doubles());
    assertArrayEquals(new float[] {0.1f, -0f}, f8.floats());

    NpyArray i8 = parse(npy(1, "<i8", false, "()", TestFiles.longs(-9_000_000_000L)));
    assertEquals(0, i8.rank());
    assertArrayEquals(new long[] {-9_000_000_000L}, i8.longs());
    assertEquals(-9e9f, i8.getFloat());

    NpyArray i4 = parse(npy(1, "<i4", false, "(2,)", TestFiles.ints(-3, 70000)));
    assertArrayEquals(new long[] {-3, 70000}, i4.longs());
    assertArrayEquals(new float[] {-3f, 70000f}, i4.floats());

    NpyArray b1 = parse(npy(1, "|b1", false, "(3,)", new byte[] {1, 0, 1}));
    assertEquals(NpyArray.DType.BOOL, b1.dtype());
    assertArrayEquals(new long[] {1, 0, 1}, b1.longs());
    assertArrayEquals(new float[] {1f, 0f, 1f}, b1.floats());

    NpyArray u1 = parse(npy(1, "|u1", false, "(2,)", new byte[] {(byte) 255, 7}));
    assertArrayEquals(new long[] {255, 7}, u1.longs());
    NpyArray i1 = parse(npy(1, "|i1", false, "(2,)", new byte[] {(byte) 255, 7}));
    assertArrayEquals(new long[] {-1, 7}, i1.longs());
    NpyArray u8 = parse(npy(1, "<u8", false, "(1,)", TestFiles.longs(-1L)));
    assertEquals(1.8446744073709552e19, u8.doubles()[0], 0.0);
  }

  @Test
  void formatVersions2And3AndPython2LongSuffix() throws IOException {
    byte[] data = TestFiles.floats(ByteOrder.LITTLE_ENDIAN, 1f, 2f);
    assertArrayEquals(new float[] {1f, 2f}, parse(npy(2, "<f4", false, "(2,)", data)).floats());
    assertArrayEquals(new float[] {1f, 2f}, parse(npy(3, "<f4", false, "(1, 2)", data)).floats());
    NpyArray old = parse(TestFiles.npyWithHeader(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }", data));
    assertArrayEquals(new long[] {2}, old.shape());
    // Keys in another order, double quotes: still a dict literal.
    NpyArray reordered = parse(TestFiles.npyWithHeader(1, "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}", data));
    assertArrayEquals(new float[] {1f, 2f}, reordered.floats());
  }

  @Test
  void emptyAndScalarShapes() throws IOException {
    NpyArray empty = parse(npy(1, "<f4", false, "(0, 3)", new byte[0]));
    assertArrayEquals(new long[] {0, 3}, empty.shape());
    assertEquals(0, empty.size());
    NpyArray scalar = parse(npy(1, "<f2", false, "()", TestFiles.halves(ByteOrder.LITTLE_ENDIAN, TestFiles.H_ONE)));
    assertEquals(1, scalar.size());
    assertEquals(1f, scalar.getFloat());
  }

  @Test
  void fortranOrderIsTransposedToRowMajor() throws IOException {
    // Row-major a = [[1, 2, 3], [4, 5, 6]]; Fortran order stores the columns: 1 4 2 5 3 6.
    NpyArray a = parse(npy(1, "<f4", true, "(2, 3)", TestFiles.floats(ByteOrder.LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6)));
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.floats());
    // Rank 3, shape (2, 3, 2): Fortran offset of (i, j, k) is i + 2j + 6k.
    float[] fortran = new float[12];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 2; k++) {
          fortran[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
        }
      }
    }
    NpyArray b = parse(npy(1, "<f4", true, "(2, 3, 2)", TestFiles.floats(ByteOrder.LITTLE_ENDIAN, fortran)));
    float[] rowMajor = b.floats();
    int at = 0;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 2; k++) {
          assertEquals(100 * i + 10 * j + k, rowMajor[at++]);
        }
      }
    }
    NpyArray longs = parse(npy(1, "<i8", true, "(2, 2)", TestFiles.longs(1, 3, 2, 4)));
    assertArrayEquals(new long[] {1, 2, 3, 4}, longs.longs());
  }

  @Test
  void unsupportedDtypesAreNamed() {
    for (String descr : new String[] {"<c8", "<U3", "|O", "<M8[s]"}) {
      WeightFileException e = assertThrows(WeightFileException.class, () -> parse(npy(1, descr, false, "(1,)", new byte[16])));
      assertTrue(e.getMessage().startsWith("test.npy: unsupported dtype '" + descr + "'"), e.getMessage());
    }
    WeightFileException structured = assertThrows(WeightFileException.class, () -> parse(TestFiles.npyWithHeader(
        1, "{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }", new byte[8])));
    assertTrue(structured.getMessage().contains("structured dtypes are not supported"), structured.getMessage());
  }

  @Test
  void truncatedAndCorruptInputsSayWhatIsWrong() {
    byte[] full = npy(1, "<f4", false, "(2, 3)", TestFiles.floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6));
    WeightFileException shortData =
        assertThrows(WeightFileException.class, () -> parse(Arrays.copyOf(full, full.length - 3)));
    assertEquals("test.npy: truncated: a float32 array of shape [2, 3] needs 24 data bytes, found only 21", shortData.getMessage());
    WeightFileException shortHeader = assertThrows(WeightFileException.class, () -> parse(Arrays.copyOf(full, 30)));
    assertTrue(shortHeader.getMessage().startsWith("test.npy: truncated: header says 118 bytes, found 20"), shortHeader.getMessage());
    byte[] badMagic = full.clone();
    badMagic[1] = 'X';
    assertTrue(assertThrows(WeightFileException.class, () -> parse(badMagic)).getMessage().contains("no \\x93NUMPY magic"));
    byte[] version9 = full.clone();
    version9[6] = 9;
    assertTrue(assertThrows(WeightFileException.class, () -> parse(version9)).getMessage().contains("unsupported .npy format version 9.0"));
    WeightFileException badHeader = assertThrows(WeightFileException.class,
        () -> parse(TestFiles.npyWithHeader(1, "{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,)}", new byte[4])));
    assertTrue(badHeader.getMessage().contains("unexpected 'Maybe'"), badHeader.getMessage());
    WeightFileException trailing = assertThrows(WeightFileException.class,
        () -> Npy.read(TestFiles.write(dir, "t.npy", TestFiles.concat(full, new byte[] {0}))));
    assertTrue(trailing.getMessage().endsWith("t.npy: unexpected bytes after the array data float32 [2, 3]"), trailing.getMessage());
  }
}
