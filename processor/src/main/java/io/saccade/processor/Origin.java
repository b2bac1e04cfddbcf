package io.saccade.processor;

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
 */
record Origin(Element element, AnnotationMirror annotation, AnnotationValue value) {

  /** No source position (specs built by hand in tests). */
  static final Origin NONE = new Origin(null, null, null);
}
