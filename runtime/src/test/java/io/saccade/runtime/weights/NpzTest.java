package io.saccade.runtime.weights;

import static io.saccade.runtime.weights.TestFiles.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {

  @TempDir Path dir;

  /** conv.weight: float16 [2, 1, 1, 2] stored; bias: float32 [2] deflated; steps: int64 scalar deflated. */
  private static Map<String, byte[]> sample() {
    byte[] conv = npy(1, "<f2", false, "(2, 1, 1, 2)", TestFiles.halves(ByteOrder.LITTLE_ENDIAN,
        TestFiles.H_ONE, TestFiles.H_MINUS_2_5, TestFiles.H_MAX, TestFiles.H_MIN_SUBNORMAL));
    byte[] bias = npy(1, "<f4", false, "(2,)", TestFiles.floats(ByteOrder.LITTLE_ENDIAN, 0.5f, -0.5f));
    byte[] steps = npy(1, "<i8", false, "()", TestFiles.longs(1234));
    return TestFiles.entries("conv.weight.npy", conv, "bias.npy", bias, "steps.npy", steps);
  }

  private Path sampleFile() throws IOException {
    return TestFiles.write(dir, "w.npz", TestFiles.zip(sample(), Set.of("conv.weight.npy")));
  }

  @Test
  void readsStoredAndDeflatedEntriesInArchiveOrder() throws IOException {
    Map<String, NpyArray> w = Npz.read(sampleFile());
    assertEquals(List.of("conv.weight", "bias", "steps"), List.copyOf(w.keySet()));
    assertArrayEquals(new float[] {1f, -2.5f, 65504f, 5.9604645e-08f}, w.get("conv.weight").floats());
    assertArrayEquals(new long[] {2, 1, 1, 2}, w.get("conv.weight").shape());
    assertArrayEquals(new float[] {0.5f, -0.5f}, w.get("bias").floats());
    assertArrayEquals(new long[] {1234}, w.get("steps").longs());
  }

  @Test
  void readsASelectionAndFromAStream() throws IOException {
    Path file = sampleFile();
    Map<String, NpyArray> some = Npz.read(file, key -> key.startsWith("b"));
    assertEquals(List.of("bias"), List.copyOf(some.keySet()));
    byte[] deflatedOnly = TestFiles.zip(sample(), Set.of());
    Map<String, NpyArray> streamed = Npz.read(new ByteArrayInputStream(deflatedOnly), "resource w.npz");
    assertEquals(List.of("conv.weight", "bias", "steps"), List.copyOf(streamed.keySet()));
    assertArrayEquals(new float[] {1f, -2.5f, 65504f, 5.9604645e-08f}, streamed.get("conv.weight").floats());
  }

  @Test
  void truncatedArchiveNamesFileAndBrokenEntry() throws IOException {
    byte[] full = TestFiles.zip(sample(), Set.of("conv.weight.npy"));
    // Cut inside the second (deflated) entry's data: the local header of bias.npy is intact.
    int cut = indexOf(full, "bias.npy".getBytes(StandardCharsets.US_ASCII)) + "bias.npy".length() + 10;
    Path file = TestFiles.write(dir, "cut.npz", Arrays.copyOf(full, cut));
    WeightFileException e = assertThrows(WeightFileException.class, () -> Npz.read(file));
    assertEquals(file.toString(), e.file());
    assertEquals("bias.npy", e.entry());
    assertTrue(e.getMessage().startsWith(file + ", entry bias.npy: truncated or corrupt .npz (zip) archive: 1 entries are intact"),
        e.getMessage());
    // Cut only the central directory away: every entry is intact.
    int directory = lastIndexOf(full, new byte[] {'P', 'K', 1, 2});
    int firstDirectory = indexOf(full, new byte[] {'P', 'K', 1, 2});
    Path noDirectory = TestFiles.write(dir, "nodir.npz", Arrays.copyOf(full, Math.min(directory, firstDirectory)));
    WeightFileException d = assertThrows(WeightFileException.class, () -> Npz.read(noDirectory));
    assertEquals("steps.npy", d.entry());
    assertTrue(d.getMessage().contains("all 3 entries up to this one are intact but the zip directory at the end is missing"),
        d.getMessage());
    // And the streaming reader names the entry too.
    WeightFileException s = assertThrows(WeightFileException.class,
        () -> Npz.read(new ByteArrayInputStream(Arrays.copyOf(full, cut)), "stream"));
    assertEquals("bias.npy", s.entry());
  }

  @Test
  void corruptEntriesAreNamed() throws IOException {
    byte[] full = TestFiles.zip(sample(), Set.of("conv.weight.npy"));
    // Flip a value byte of the stored entry: only the CRC can tell.
    byte[] flipped = full.clone();
    int stored = indexOf(full, "conv.weight.npy".getBytes(StandardCharsets.US_ASCII)) + "conv.weight.npy".length() + 128 + 1;
    flipped[stored] ^= 0x01;
    WeightFileException crc = assertThrows(WeightFileException.class, () -> Npz.read(TestFiles.write(dir, "crc.npz", flipped)));
    assertEquals("conv.weight.npy", crc.entry());
    assertTrue(crc.getMessage().contains("corrupt: CRC-32 is"), crc.getMessage());
    // Garble the deflated stream of bias.npy.
    byte[] garbled = full.clone();
    int deflated = indexOf(full, "bias.npy".getBytes(StandardCharsets.US_ASCII)) + "bias.npy".length();
    for (int i = 0; i < 6; i++) {
      garbled[deflated + i] = (byte) 0xff;
    }
    WeightFileException bad = assertThrows(WeightFileException.class, () -> Npz.read(TestFiles.write(dir, "bad.npz", garbled)));
    assertEquals("bias.npy", bad.entry());
    assertTrue(bad.getMessage().startsWith(dir.resolve("bad.npz") + ", entry bias.npy: "), bad.getMessage());
  }

  @Test
  void unsupportedDtypeAndForeignEntriesAreNamed() throws IOException {
    byte[] complex = npy(1, "<c8", false, "(1,)", new byte[8]);
    Path file = TestFiles.write(dir, "c.npz", TestFiles.zip(TestFiles.entries("z.npy", complex), Set.of()));
    WeightFileException e = assertThrows(WeightFileException.class, () -> Npz.read(file));
    assertEquals(file + ", entry z.npy: unsupported dtype '<c8' (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1)", e.getMessage());
    Path foreign = TestFiles.write(dir, "f.npz", TestFiles.zip(TestFiles.entries("README.txt", new byte[] {'h', 'i'}), Set.of()));
    assertEquals("README.txt", assertThrows(WeightFileException.class, () -> Npz.read(foreign)).entry());
    Path notZip = TestFiles.write(dir, "n.npz", "not a zip at all".getBytes(StandardCharsets.US_ASCII));
    WeightFileException n = assertThrows(WeightFileException.class, () -> Npz.read(notZip));
    assertNull(n.entry());
    assertTrue(n.getMessage().startsWith(notZip + ": not an .npz (zip) archive"), n.getMessage());
    WeightFileException missing = assertThrows(WeightFileException.class, () -> Npz.read(dir.resolve("absent.npz")));
    assertTrue(missing.getMessage().endsWith("absent.npz: no such file"));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  private static int lastIndexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = hay.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
