package io.saccade.runtime.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes of a run's files (checkpoints, exports, TensorBoard events) pass through here: {@link #check} before a
 * file is written (also before TensorFlow writes one natively), {@link #output} for streams, and
 * {@link #reason} turns a failed write (a Java {@link IOException} or TensorFlow's multi-line error) into the
 * one line a user reads, e.g. {@code No space left on device}.
 *
 * <p>The seam exists for tests: {@link #inject} arms a {@link Fault} that makes chosen writes fail the way a
 * full disk does, which no test can arrange with a real disk on every machine.
 *
 * <pre>{@code
 * try (FileWrites.Injected full = FileWrites.inject(FileWrites.diskFullFor(f -> f.toString().contains("step-00000008")))) {
 *   trainer.fit();   // the checkpoint of step 8 fails: "... No space left on device ..."
 * }
 * }</pre>
 */
public final class FileWrites {

  /** What a test makes a write do: throw (an {@link IOException}) for the files it chooses. */
  @FunctionalInterface
  public interface Fault {
    void beforeWrite(Path file) throws IOException;
  }

  /** An armed fault; {@link #close()} disarms it. */
  public interface Injected extends AutoCloseable {
    @Override
    void close();
  }

  private static volatile Fault fault;

  private FileWrites() {}

  /** Called before {@code file} is written (or appended to): throws when an injected fault says so. */
  public static void check(Path file) throws IOException {
    Fault f = fault;
    if (f != null) {
      f.beforeWrite(file);
    }
  }

  /** A new (truncated) output stream on {@code file} whose every write and flush goes through {@link #check}. */
  public static OutputStream output(Path file) throws IOException {
    check(file);
    return new FilterOutputStream(Files.newOutputStream(file)) {
      @Override
      public void write(int b) throws IOException {
        check(file);
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        check(file);
        out.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        check(file);
        out.flush();
      }
    };
  }

  /** Arms {@code f} for every write in this JVM until the returned handle is closed (tests). */
  public static Injected inject(Fault f) {
    Objects.requireNonNull(f, "fault");
    fault = f;
    return () -> fault = null;
  }

  /** A fault that fails the writes of the files {@code which} accepts as a full disk does. */
  public static Fault diskFullFor(java.util.function.Predicate<Path> which) {
    return file -> {
      if (which.test(file)) {
        throw new IOException(file + ": No space left on device");
      }
    };
  }

  /**
   * The first line of a failed write's message, without TensorFlow's temporary-file suffix
   * ({@code .tempstate123}) and without the folder {@code within} (files are named relative to it):
   * {@code variables.data-00000-of-00001; No space left on device}.
   */
  public static String reason(Throwable e, Path within) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
    m = m.replaceAll("\\.tempstate\\d+", "").strip();
    if (within != null) {
      String prefix = within.toString() + within.getFileSystem().getSeparator();
      m = m.replace(prefix, "");
    }
    return m;
  }
}
