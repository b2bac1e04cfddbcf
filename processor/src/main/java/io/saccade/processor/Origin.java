package io.saccade.processor;

import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where a diagnostic points: an element, optionally one of its annotations, optionally one value of
 * that annotation. javac underlines the most precise part it can find.
 *
 * @param element the annotated element, or {@code null} for specs built in plain-Java tests
 * @param annotation the annotation on it, or {@code null}
 * @param value one attribute value of {@code annotation}, or {@code null}
 * @param locator for repeated annotations (which javac wraps in a synthetic container it cannot
 *     place), the path to the source tree; {@code null} otherwise
 */
record Origin(Element element, AnnotationMirror annotation, AnnotationValue value, Locator locator) {

  /** No source position (specs built by hand in tests). */
  static final Origin NONE = new Origin(null, null, null, null);

  /** An origin on the element alone. */
  static Origin of(Element element) {
    return new Origin(element, null, null, null);
  }

  /**
   * A path from the {@code occurrence}-th {@code @annotation} on the element down through attribute
   * steps such as {@code navigation[0]}, {@code temperature}, {@code lossWeight}.
   */
  record Locator(String annotation, int occurrence, List<String> steps) {
    Locator {
      steps = List.copyOf(steps);
    }

    /** One step further down. */
    Locator then(String step) {
      List<String> next = new ArrayList<>(steps);
      next.add(step);
      return new Locator(annotation, occurrence, next);
    }
  }
}
