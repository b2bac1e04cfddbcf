package io.saccade.processor;

import java.util.HashSet;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;

/**
 * Reports errors through javac's {@link Messager}, placed as precisely as the {@link Origin} allows,
 * and never twice for the same cause at the same place.
 *
 * <pre>{@code
 * diagnostics.error(Message.RATIO_RANGE, nav.src().at("targetRatio"), "targetRatio", "1.5", "frames", "");
 * }</pre>
 */
final class Diagnostics {

  private final Messager messager;
  private final Set<String> reported = new HashSet<>();
  private int errors;

  Diagnostics(Messager messager) {
    this.messager = messager;
  }

  /** Reports {@code message} at {@code origin}; a second identical report is dropped. */
  void error(Message message, Origin origin, Object... args) {
    String text = message.format(args);
    String key = message.tag() + '|' + System.identityHashCode(origin.element()) + '|'
        + System.identityHashCode(origin.annotation()) + '|' + System.identityHashCode(origin.value()) + '|' + text;
    if (!reported.add(key)) {
      return;
    }
    errors++;
    if (origin.element() == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, text);
    } else if (origin.annotation() == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, text, origin.element());
    } else if (origin.value() == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, text, origin.element(), origin.annotation());
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, text, origin.element(), origin.annotation(), origin.value());
    }
  }

  /** Errors reported so far. */
  int errorCount() {
    return errors;
  }
}
