package io.saccade.runtime.weights;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Reader of numpy's {@code .npz} archives (what {@code np.savez} and {@code np.savez_compressed} write):
 * a zip file of {@code .npy} entries, stored or deflated. Keys are the entry names without {@code .npy},
 * in archive order.
 *
 * <p>Each entry is decoded while it is inflated, a chunk at a time, and its CRC-32 is checked. A
 * truncated or corrupt archive, an entry that is not an {@code .npy} array, or an unsupported dtype
 * raises a {@link WeightFileException} naming the file and the entry.
 *
 * <pre>{@code
 * Map<String, NpyArray> weights = Npz.read(Path.of("afnet-r50/weights.npz"));
 * NpyArray conv1 = weights.get("conv1.weight");   // float16 [64, 3, 7, 7]
 * }</pre>
 *
 * <p>To convert a PyTorch checkpoint once, in Python:
 * <pre>{@code
 * import torch, numpy as np
 * sd = torch.load("checkpoint.pth.tar", map_location="cpu")["state_dict"]
 * np.savez("weights.npz", **{k: v.numpy() for k, v in sd.items()})
 * }</pre>
 */
public final class Npz {

  private static final String SUFFIX = ".npy";

  private Npz() {}

  /** Reads every array of the archive, in archive order. */
  public static Map<String, NpyArray> read(Path path) throws IOException {
    return read(path, key -> true);
  }

  /**
   * Reads the arrays whose key passes {@code keys}, in archive order; the others are skipped without
   * being inflated.
   */
  public static Map<String, NpyArray> read(Path path, Predicate<String> keys) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new WeightFileException(path, null, "no such file", null);
    }
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile());
    } catch (ZipException e) {
      throw damaged(path, e);
    }
    Map<String, NpyArray> out = new LinkedHashMap<>();
    try (zip) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        String key = keyOf(path.toString(), entry.getName());
        if (out.containsKey(key)) {
          throw new WeightFileException(path, entry.getName(), "the archive holds two entries named " + entry.getName(), null);
        }
        if (!keys.test(key)) {
          continue;
        }
        try (InputStream raw = zip.getInputStream(entry)) {
          out.put(key, readEntry(raw, path.toString(), entry));
        } catch (WeightFileException e) {
          throw e;
        } catch (IOException e) {
          throw new WeightFileException(path, entry.getName(), "corrupt compressed data: " + e.getMessage(), e);
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Reads every array from a stream holding an {@code .npz} archive, front to back, without seeking
   * (for class-path resources or network streams). The stream is not closed.
   *
   * @param name describes the stream in error messages
   */
  public static Map<String, NpyArray> read(InputStream in, String name) throws IOException {
    Map<String, NpyArray> out = new LinkedHashMap<>();
    ZipInputStream zip = new ZipInputStream(new BufferedInputStream(in));
    String current = null;
    try {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        current = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        String key = keyOf(name, current);
        if (out.containsKey(key)) {
          throw new WeightFileException(name, current, "the archive holds two entries named " + current, null);
        }
        // ZipInputStream checks the CRC itself when the entry ends.
        NpyArray array = Npy.read(zip, name, current);
        if (zip.read() != -1) {
          throw new WeightFileException(name, current, "unexpected bytes after the array data " + array, null);
        }
        out.put(key, array);
        current = null;
      }
    } catch (WeightFileException e) {
      throw e;
    } catch (IOException e) {
      throw new WeightFileException(name, current, "corrupt or truncated archive: " + e.getMessage(), e);
    }
    if (out.isEmpty() && current == null) {
      // ZipInputStream reports garbage as an empty archive.
      throw new WeightFileException(name, null, "no .npy entries found (not an .npz archive, or empty)", null);
    }
    return Collections.unmodifiableMap(out);
  }

  private static NpyArray readEntry(InputStream raw, String file, ZipEntry entry) throws IOException {
    CheckedInputStream in = new CheckedInputStream(new BufferedInputStream(raw), new CRC32());
    NpyArray array = Npy.read(in, file, entry.getName());
    if (in.read() != -1) {
      throw new WeightFileException(file, entry.getName(), "unexpected bytes after the array data " + array, null);
    }
    long expected = entry.getCrc();
    long actual = in.getChecksum().getValue();
    if (expected != -1 && expected != actual) {
      throw new WeightFileException(
          file, entry.getName(), String.format("corrupt: CRC-32 is %08x, the archive says %08x", actual, expected), null);
    }
    return array;
  }

  private static String keyOf(String file, String entryName) throws WeightFileException {
    if (!entryName.endsWith(SUFFIX)) {
      throw new WeightFileException(file, entryName, "not an .npy entry (an .npz holds only name.npy arrays)", null);
    }
    return entryName.substring(0, entryName.length() - SUFFIX.length());
  }

  /**
   * A damaged archive's central directory is unreadable; scan the local entries front to back to name
   * the entry where it breaks, so the message says how far the file is intact.
   */
  private static WeightFileException damaged(Path path, ZipException cause) {
    String current = null;
    int complete = 0;
    try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(path)))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        current = entry.getName();
        zip.transferTo(OutputStream.nullOutputStream());
        complete++;
      }
    } catch (IOException e) {
      return new WeightFileException(
          path, current, "truncated or corrupt .npz (zip) archive: " + complete + " entries are intact, this one is broken ("
              + e.getMessage() + "; opening said: " + cause.getMessage() + ")", cause);
    }
    if (complete == 0) {
      return new WeightFileException(
          path, null, "not an .npz (zip) archive, or damaged before its first entry (" + cause.getMessage() + ")", cause);
    }
    return new WeightFileException(
        path, current, "truncated .npz (zip) archive: all " + complete + " entries up to this one are intact but the zip "
            + "directory at the end is missing (" + cause.getMessage() + ")", cause);
  }
}
