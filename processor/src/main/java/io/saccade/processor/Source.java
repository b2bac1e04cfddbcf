package io.saccade.processor;

import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where one annotation of a declaration came from, and which of its attributes the user wrote
 * (as opposed to defaults), so diagnostics can point at the exact value. {@code locator} is set for
 * annotations inside a repeated one (see {@link Origin}).
 *
 * <pre>{@code
 * Origin o = navigation.src().at("targetRatio");    // the value if written, else the annotation
 * }</pre>
 */
record Source(Element element, AnnotationMirror mirror, Map<String, AnnotationValue> explicit, Origin.Locator locator) {

  /** No source (specs built by hand in tests). */
  static final Source NONE = new Source(null, null, Map.of(), null);

  Source {
    explicit = Map.copyOf(explicit);
  }

  /** The attribute's value when written explicitly, else the whole annotation. */
  Origin at(String attribute) {
    AnnotationValue value = explicit.get(attribute);
    Origin.Locator at = locator == null || value == null ? locator : locator.then(attribute);
    return new Origin(element, mirror, value, at);
  }

  /** The whole annotation. */
  Origin annotation() {
    return new Origin(element, mirror, null, locator);
  }

  /** Whether the user wrote {@code attribute} (rather than relying on its default). */
  boolean isExplicit(String attribute) {
    return explicit.containsKey(attribute);
  }
}
