package io.saccade.processor;

import io.saccade.processor.Message.Phrase;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Rules about the declaring type itself: a kind of type a generated class can refer to, and a generated
 * name javac accepts that does not clash with the type.
 *
 * <pre>{@code
 * ValidationReport report = TypeRules.check(spec);
 * }</pre>
 */
final class TypeRules {

  private TypeRules() {}

  /** Identifiers javac refuses as a class's name (JLS 3.9, TypeIdentifier). */
  private static final Set<String> RESTRICTED_TYPE_NAMES = Set.of("var", "yield", "record", "sealed", "permits");

  /** The name suggested when nothing of a bad name is left to suggest. */
  private static final String FALLBACK_NAME = "MyNetwork";

  static ValidationReport check(NetworkSpec spec) {
    ValidationReport.Builder report = ValidationReport.builder();
    if (spec.type().element() instanceof TypeElement type) {
      typeProblem(type).ifPresent(p -> report.error(Message.TYPE_KIND, spec.type(), type.getQualifiedName(), p));
    }
    var network = spec.network();
    String name = network.name();
    if (!name.isEmpty()) {
      if (!isTypeName(name)) {
        report.error(Message.NAME_INVALID, network.src().at("name"), name, suggestIdentifier(name), spec.typeName() + "Network");
      } else if (name.equals(spec.typeName()) && isTopLevel(spec)) {
        String declaring = spec.type().element() instanceof TypeElement t ? t.getQualifiedName().toString() : spec.typeName();
        report.error(Message.NAME_OF_TYPE, network.src().at("name"), name, declaring, spec.typeName() + "Network");
      }
    }
    return report.build();
  }

  /** Why the processor cannot generate for {@code type}, if it cannot. */
  private static Optional<String> typeProblem(TypeElement type) {
    if (type.getKind() == ElementKind.ENUM) {
      return Optional.of(Phrase.IS_ENUM.format());
    }
    if (type.getKind() == ElementKind.ANNOTATION_TYPE) {
      return Optional.of(Phrase.IS_ANNOTATION_TYPE.format());
    }
    if (!type.getTypeParameters().isEmpty()) {
      return Optional.of(Phrase.HAS_TYPE_PARAMETERS.format(type.getTypeParameters()));
    }
    Element e = type;
    while (e instanceof TypeElement t) {
      if (t.getModifiers().contains(Modifier.PRIVATE)) {
        return Optional.of(t == type ? Phrase.IS_PRIVATE.format() : Phrase.IN_PRIVATE_TYPE.format(t.getSimpleName()));
      }
      Element outer = t.getEnclosingElement();
      if (outer.getKind() == ElementKind.METHOD || outer.getKind() == ElementKind.CONSTRUCTOR
          || outer.getKind() == ElementKind.STATIC_INIT || outer.getKind() == ElementKind.INSTANCE_INIT) {
        return Optional.of(Phrase.IS_LOCAL.format());
      }
      if (outer instanceof TypeElement && t.getKind() == ElementKind.CLASS && !t.getModifiers().contains(Modifier.STATIC)) {
        return Optional.of(t == type
            ? Phrase.IS_INNER_CLASS.format(outer.getSimpleName())
            : Phrase.IN_INNER_CLASS.format(t.getSimpleName()));
      }
      e = outer;
    }
    return Optional.empty();
  }

  /** Whether the declaring type sits directly in its package (a nested type may share the generated name). */
  private static boolean isTopLevel(NetworkSpec spec) {
    return !(spec.type().element() instanceof TypeElement t) || t.getEnclosingElement().getKind() == ElementKind.PACKAGE;
  }

  /** Whether {@code name} can name a top-level class. */
  static boolean isTypeName(String name) {
    return SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name) && !RESTRICTED_TYPE_NAMES.contains(name);
  }

  private static String suggestIdentifier(String name) {
    StringBuilder sb = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (sb.length() == 0 ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c)) {
        sb.append(c);
      }
    }
    return isTypeName(sb.toString()) ? sb.toString() : FALLBACK_NAME;
  }
}
