package io.saccade.runtime.data;

import java.util.Objects;

/**
 * One sample that cannot be used: a missing or corrupt frame, a bad list-file line, an unknown label.
 * It names the file and, for text files, the 1-based line, so the message reads like a compiler's:
 * {@code lists/train.txt:17: num_frames must be >= 1, got 0}.
 *
 * <pre>{@code
 * try {
 *   clip = dataset.load(i, Sampling.eval());
 * } catch (BadSampleException e) {
 *   log.warn("skipped {}", e.getMessage());   // "frames/v12/00004.jpg: corrupt JPEG (...)"
 * }
 * }</pre>
 */
public class BadSampleException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String reason;

  /** A problem with a whole file (a frame, a video); {@code line} is 0. */
  public BadSampleException(String file, String reason) {
    this(file, 0, reason, null);
  }

  /** A problem at a 1-based {@code line} of a text file (0 when the file as a whole is at fault). */
  public BadSampleException(String file, int line, String reason) {
    this(file, line, reason, null);
  }

  /** As {@link #BadSampleException(String, int, String)}, keeping the low-level cause. */
  public BadSampleException(String file, int line, String reason, Throwable cause) {
    super(format(file, line, reason), cause);
    this.file = Objects.requireNonNull(file, "file");
    this.line = line;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  private static String format(String file, int line, String reason) {
    return line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason;
  }

  /** The file at fault, as given (usually an absolute or list-relative path). */
  public String file() {
    return file;
  }

  /** The 1-based line in {@link #file()}, or 0 when the problem is not tied to a line. */
  public int line() {
    return line;
  }

  /** What is wrong, without the location. */
  public String reason() {
    return reason;
  }
}
