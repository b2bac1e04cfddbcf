package io.saccade.runtime.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file the run produced earlier — a checkpoint, a run's metadata, an exported SavedModel — that cannot
 * be used as asked: truncated or altered since it was written, made by another network, or holding
 * variables whose names or shapes do not fit. The message names the artefact and what does not match
 * (the variable, the expected and the actual shape), in words a user can act on.
 *
 * <pre>{@code
 * try {
 *   trainer.resume();
 * } catch (UncheckedIOException e) {
 *   if (e.getCause() instanceof ArtefactException a) System.err.println(a.getMessage() + " in " + a.artefact());
 * }
 * }</pre>
 */
public class ArtefactException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path artefact;

  /**
   * @param artefact the checkpoint or export folder (or file) at fault
   * @param message what does not match, including the artefact's path
   */
  public ArtefactException(Path artefact, String message) {
    super(message);
    this.artefact = Objects.requireNonNull(artefact, "artefact");
  }

  /** As {@link #ArtefactException(Path, String)}, keeping TensorFlow's (or the reader's) error as the cause. */
  public ArtefactException(Path artefact, String message, Throwable cause) {
    super(message, cause);
    this.artefact = Objects.requireNonNull(artefact, "artefact");
  }

  /** The checkpoint or export at fault. */
  public Path artefact() {
    return artefact;
  }
}
