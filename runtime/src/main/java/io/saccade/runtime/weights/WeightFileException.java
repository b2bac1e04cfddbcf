package io.saccade.runtime.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A weight file ({@code .npy}, {@code .npz}, {@code .safetensors}) that cannot be read: truncated,
 * corrupt, or holding a dtype or layout Saccade does not support. The message names the file and, when
 * known, the entry or tensor.
 *
 * <pre>{@code
 * try {
 *   Npz.read(path);
 * } catch (WeightFileException e) {
 *   System.err.println(e.getMessage());  // "weights.npz, entry conv1.weight.npy: truncated: ..."
 * }
 * }</pre>
 */
public final class WeightFileException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final String entry;

  /**
   * @param file the file (or stream description) being read
   * @param entry the zip entry or tensor name, or null when the problem is with the whole file
   * @param problem what is wrong
   * @param cause the underlying exception, or null
   */
  public WeightFileException(String file, String entry, String problem, Throwable cause) {
    super(where(file, entry) + ": " + problem, cause);
    this.file = file;
    this.entry = entry;
  }

  WeightFileException(Path file, String entry, String problem, Throwable cause) {
    this(String.valueOf(file), entry, problem, cause);
  }

  /** The file or stream description. */
  public String file() {
    return file;
  }

  /** The entry or tensor name, or null. */
  public String entry() {
    return entry;
  }

  static String where(String file, String entry) {
    return entry == null ? file : file + ", entry " + entry;
  }
}
