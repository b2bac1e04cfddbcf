package io.saccade.cli;

import io.saccade.runtime.train.TrainingDivergedException;
import io.saccade.runtime.weights.WeightImportException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/** The {@code saccade} command's exit codes, listed in {@code --help} and the README. */
final class ExitCode {
  /** Done. */
  static final int OK = 0;
  /** The command ran, and what it checks did not hold (a parity mismatch). */
  static final int CHECK_FAILED = 1;
  /** The command line is wrong: unknown command, network or option, a bad value, a file that is not there. */
  static final int USAGE = 2;
  /**
   * A file is there but cannot be used (unreadable data, a checkpoint, model or weights that do not fit), or
   * training diverged on the data (a NaN or infinite loss).
   */
  static final int BAD_INPUT = 3;
  /** Anything else: a bug in Saccade. */
  static final int INTERNAL = 4;

  private ExitCode() {}

  /** The exit code for an exception a command threw. */
  static int of(Throwable e) {
    if (e instanceof WeightImportException || e instanceof TrainingDivergedException) {
      return BAD_INPUT;
    }
    if (e instanceof NoSuchFileException || e instanceof IllegalArgumentException) {
      return USAGE;
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return BAD_INPUT;
    }
    return INTERNAL;
  }

  /** What the user reads after {@code error:}. */
  static String message(Throwable e) {
    Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
    if (t instanceof NoSuchFileException n) {
      return "no such file: " + n.getFile() + (n.getReason() == null ? "" : " (" + n.getReason() + ")");
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
