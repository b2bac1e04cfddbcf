package io.saccade.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Lengths and CRC32C checksums of the files of an artefact (a checkpoint, an exported model), recorded
 * when it is written and checked before it is read, so a truncated or overwritten file is reported by
 * name instead of surfacing as a TensorFlow error (or worse) deep in a restore.
 *
 * <pre>{@code
 * Map<String, Object> digests = FileDigests.of(dir, "variables");   // {"variables/variables.index": {...}, ...}
 * FileDigests.verify(dir, digests, "checkpoint " + dir);            // throws ArtefactException on a change
 * }</pre>
 */
public final class FileDigests {

  private FileDigests() {}

  /**
   * The regular files under {@code dir/sub} (all of {@code dir} when {@code sub} is empty), keyed by their
   * path relative to {@code dir} with {@code /} separators, each {@code {"bytes": n, "crc32c": c}}, in name order.
   */
  public static Map<String, Object> of(Path dir, String sub) throws IOException {
    Path start = sub.isEmpty() ? dir : dir.resolve(sub);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(start)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Path f : files) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("bytes", Files.size(f));
      d.put("crc32c", crc(f));
      out.put(dir.relativize(f).toString().replace('\\', '/'), d);
    }
    return out;
  }

  /**
   * Checks every file {@code digests} lists against its recorded length and checksum.
   *
   * @param what the artefact in words, e.g. {@code checkpoint runs/a/checkpoints/step-00000012}
   * @throws ArtefactException naming the first file that is missing, shorter or longer, or changed
   */
  public static void verify(Path dir, Map<String, Object> digests, String what) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Object> e : digests.entrySet()) {
      Map<String, Object> d = Json.object(e.getValue(), "the digest of " + e.getKey());
      long bytes = Json.integer(d.get("bytes"), "\"bytes\"");
      long crc = Json.integer(d.get("crc32c"), "\"crc32c\"");
      Path f = dir.resolve(e.getKey());
      if (!Files.isRegularFile(f)) {
        problems.add(e.getKey() + " is missing");
      } else if (Files.size(f) != bytes) {
        long actual = Files.size(f);
        problems.add(e.getKey() + " has " + actual + " bytes but " + bytes + " were written ("
            + (actual < bytes ? "truncated: an interrupted copy or a full disk?" : "overwritten or appended to") + ")");
      } else if (crc(f) != crc) {
        problems.add(e.getKey() + " has the recorded length but other contents (checksum " + crc(f) + ", written " + crc
            + "): it was changed or damaged after it was written");
      }
    }
    if (!problems.isEmpty()) {
      throw new ArtefactException(dir, what + " is damaged: " + String.join("; ", problems));
    }
  }

  /** CRC32C of a file's contents. */
  public static long crc(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        crc.update(buf, 0, n);
      }
    }
    return crc.getValue();
  }
}
