package io.saccade.runtime.weights;

import java.util.List;
import java.util.Objects;

/**
 * Every reason a weight import cannot proceed, found before any value is loaded: missing parameters,
 * unexpected source keys, wrong shapes. The message lists each problem on its own line, by name and
 * shape.
 *
 * <pre>{@code
 * try {
 *   WeightImport.plan(weights, store, mapping);
 * } catch (WeightImportException e) {
 *   e.problems().forEach(p -> System.err.println(p.kind() + " " + p.message()));
 * }
 * }</pre>
 */
public final class WeightImportException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** Kinds of problem, in the order they are reported. */
  public enum Kind {
    /** A source key no rule maps or ignores. */
    UNEXPECTED,
    /** A source key maps to a parameter the network does not have. */
    UNKNOWN_PARAMETER,
    /** Two source keys map to the same parameter. */
    DUPLICATE,
    /** The conversion does not apply to the source's shape (e.g. OIHW→HWIO on a vector). */
    CONVERSION,
    /** The converted shape differs from the parameter's. */
    SHAPE,
    /** A parameter no source key maps to. */
    MISSING
  }

  /**
   * One problem.
   *
   * @param kind what kind
   * @param sourceKey the source key involved, or null
   * @param parameter the parameter involved, or null
   * @param message one line naming the key(s), parameter(s) and shapes
   */
  public record Problem(Kind kind, String sourceKey, String parameter, String message) {
    public Problem {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + message;
    }
  }

  private final transient List<Problem> problems;

  /**
   * An exception listing {@code problems} under {@code summary} (one line each), for importers that check a
   * file against a key layout of their own before planning.
   */
  public WeightImportException(String summary, List<Problem> problems) {
    super(format(summary, problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems, grouped by {@link Kind} in declaration order. */
  public List<Problem> problems() {
    return problems;
  }

  private static String format(String summary, List<Problem> problems) {
    StringBuilder out = new StringBuilder(summary);
    for (Problem p : problems) {
      out.append("\n  ").append(p);
    }
    return out.toString();
  }
}
