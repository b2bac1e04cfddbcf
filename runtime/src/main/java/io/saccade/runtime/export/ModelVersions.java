package io.saccade.runtime.export;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The numbered version folders of a model folder ({@code OUT/1}, {@code OUT/2}, …), as TensorFlow Serving reads them. */
final class ModelVersions {

  private ModelVersions() {}

  /** The highest version number among {@code out}'s numeric sub-folders, empty if there is none. */
  static Optional<Integer> newest(Path out) throws IOException {
    Integer best = null;
    if (!Files.isDirectory(out)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(out)) {
      for (Path e : entries) {
        String name = e.getFileName().toString();
        if (Files.isDirectory(e) && name.matches("[1-9][0-9]{0,8}")) {
          int v = Integer.parseInt(name);
          best = best == null ? v : Math.max(best, v);
        }
      }
    }
    return Optional.ofNullable(best);
  }
}
