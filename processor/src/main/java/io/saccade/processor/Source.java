package io.saccade.processor;

import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where one annotation of a declaration came from, and which of its attributes the user wrote
 * (as opposed to defaults), so diagnostics can point at the exact value.
 *
 * <pre>{@code
 * Origin o = navigation.src().at("targetRatio");    // the value if written, else the annotation
 * }</pre>
 */
record Source(Element element, AnnotationMirror mirror, Map<String, AnnotationValue> explicit) {

  /** No source (specs built by hand in tests). */
  static final Source NONE = new Source(null, null, Map.of());

  Source {
    explicit = Map.copyOf(explicit);
  }

  /** The attribute's value when written explicitly, else the whole annotation. */
  Origin at(String attribute) {
    return new Origin(element, mirror, explicit.get(attribute));
  }

  /** The whole annotation. */
  Origin annotation() {
    return new Origin(element, mirror, null);
  }

  /** Whether the user wrote {@code attribute} (rather than relying on its default). */
  boolean isExplicit(String attribute) {
    return explicit.containsKey(attribute);
  }
}
