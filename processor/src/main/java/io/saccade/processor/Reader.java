package io.saccade.processor;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.Interpolation;
import io.saccade.processor.NetworkSpec.AmpleDecl;
import io.saccade.processor.NetworkSpec.AnnealDecl;
import io.saccade.processor.NetworkSpec.BackboneDecl;
import io.saccade.processor.NetworkSpec.BudgetDecl;
import io.saccade.processor.NetworkSpec.ClassifierDecl;
import io.saccade.processor.NetworkSpec.ConditionalExitDecl;
import io.saccade.processor.NetworkSpec.FocalDecl;
import io.saccade.processor.NetworkSpec.GlobalEncoderDecl;
import io.saccade.processor.NetworkSpec.LocalEncoderDecl;
import io.saccade.processor.NetworkSpec.NavigationDecl;
import io.saccade.processor.NetworkSpec.Network;
import io.saccade.processor.NetworkSpec.PatchPolicyDecl;
import io.saccade.processor.NetworkSpec.SpatialDecl;
import io.saccade.processor.NetworkSpec.StageDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * Reads the Saccade annotations of one type into a {@link NetworkSpec}: values with their defaults,
 * and for each annotation which attributes were written, so errors can point at them. Reads only; all
 * checks are the {@link Validator}'s.
 *
 * <pre>{@code
 * Optional<NetworkSpec> spec = new Reader(processingEnv.getElementUtils()).read(type);
 * }</pre>
 */
final class Reader {

  /** Package of the DSL annotations. */
  static final String DSL = "io.saccade.dsl.";

  private final Elements elements;

  Reader(Elements elements) {
    this.elements = elements;
  }

  /**
   * The spec of {@code type}, or empty when an annotation value is erroneous or missing: javac reports
   * those itself, and a second error from us would be noise.
   */
  Optional<NetworkSpec> read(TypeElement type) {
    try {
      return Optional.of(readOrThrow(type));
    } catch (Unreadable e) {
      return Optional.empty();
    }
  }

  /** The mirror of the DSL annotation {@code simpleName} on {@code element}, if present. */
  static Optional<AnnotationMirror> find(Element element, String simpleName) {
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      Element annotationType = m.getAnnotationType().asElement();
      if (annotationType instanceof TypeElement t && t.getQualifiedName().contentEquals(DSL + simpleName)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private NetworkSpec readOrThrow(TypeElement type) {
    Attributes video = attributes(type, find(type, "VideoNetwork").orElseThrow(Unreadable::new));
    Network network =
        new Network(
            video.integer("frames"),
            video.integer("classes"),
            video.integer("inputSize"),
            video.string("name"),
            video.real("dropout"),
            video.source());
    NetworkSpec.Builder b =
        NetworkSpec.builder(packageOf(type), type.getSimpleName().toString(), network).type(Origin.of(type));

    find(type, "Backbone").map(m -> attributes(type, m)).ifPresent(a ->
        b.backbone(new BackboneDecl(a.enumeration("value", Backbones.class), a.bool("temporalShift"), a.integer("shiftDivisor"),
            a.real("width"), a.source())));
    find(type, "AmpleBranch").map(m -> attributes(type, m)).ifPresent(a ->
        b.ample(new AmpleDecl(a.integer("channelDivisor"), a.integer("resolutionStride"), a.source())));
    find(type, "FocalBranch").map(m -> attributes(type, m)).ifPresent(a -> b.focal(new FocalDecl(a.integer("groups"), a.source())));
    find(type, "Navigation").map(m -> attributes(type, m)).ifPresent(a -> b.navigation(navigation(a)));
    for (Attributes stage : stages(type)) {
      List<NavigationDecl> navs = new ArrayList<>();
      for (Attributes n : stage.annotations("navigation")) {
        navs.add(navigation(n));
      }
      b.stage(new StageDecl(stage.integer("index"), stage.bool("af"), navs, stage.source()));
    }
    find(type, "GlobalEncoder").map(m -> attributes(type, m)).ifPresent(a ->
        b.globalEncoder(new GlobalEncoderDecl(a.enumeration("backbone", Backbones.class), a.integer("inputSize"), a.bool("temporalShift"), a.source())));
    find(type, "PatchPolicy").map(m -> attributes(type, m)).ifPresent(a ->
        b.patchPolicy(new PatchPolicyDecl(a.integer("patchSize"), a.bool("recurrent"), a.enumeration("interpolation", Interpolation.class),
            a.integer("hidden"), a.source())));
    find(type, "LocalEncoder").map(m -> attributes(type, m)).ifPresent(a ->
        b.localEncoder(new LocalEncoderDecl(a.enumeration("backbone", Backbones.class), a.bool("temporalShift"), a.integer("frames"),
            a.source())));
    find(type, "Classifier").map(m -> attributes(type, m)).ifPresent(a -> b.classifier(new ClassifierDecl(a.integer("hidden"), a.source())));
    find(type, "ConditionalExit").map(m -> attributes(type, m)).ifPresent(a ->
        b.conditionalExit(new ConditionalExitDecl(a.enumeration("order", FrameOrder.class), a.source())));
    find(type, "Budget").map(m -> attributes(type, m)).ifPresent(a -> b.budget(new BudgetDecl(a.real("maxGflops"), a.source())));
    return b.build();
  }

  private NavigationDecl navigation(Attributes a) {
    Attributes anneal = a.annotation("temperature");
    List<SpatialDecl> spatial = new ArrayList<>();
    for (Attributes s : a.annotations("spatial")) {
      spatial.add(new SpatialDecl(s.real("targetRatio"), s.source()));
    }
    return new NavigationDecl(
        a.real("targetRatio"),
        a.real("lossWeight"),
        new AnnealDecl(anneal.real("from"), anneal.real("to"), anneal.integer("epochs"), anneal.source()),
        a.bool("mixFrames"),
        spatial,
        a.real("keepMargin"),
        a.source());
  }

  /**
   * A lone {@code @Stage}, or the ones javac collected into {@code @Stages}; the latter carry a locator
   * because javac cannot place its synthetic container.
   */
  private List<Attributes> stages(TypeElement type) {
    List<Attributes> out = new ArrayList<>();
    find(type, "Stage").ifPresent(m -> out.add(attributes(type, m)));
    find(type, "Stages").ifPresent(m -> {
      List<Attributes> repeated = attributes(type, m).annotations("value");
      for (int i = 0; i < repeated.size(); i++) {
        out.add(repeated.get(i).locatedAt(new Origin.Locator("Stage", i, List.of())));
      }
    });
    return out;
  }

  private static String packageOf(TypeElement type) {
    Element e = type;
    while (e != null && !(e instanceof PackageElement)) {
      e = e.getEnclosingElement();
    }
    return e == null ? "" : ((PackageElement) e).getQualifiedName().toString();
  }

  private Attributes attributes(Element element, AnnotationMirror mirror) {
    return new Attributes(element, mirror, mirror, true, null);
  }

  /** Signals an erroneous annotation value that javac reports on its own. */
  private static final class Unreadable extends RuntimeException {
    Unreadable() {
      super(null, null, false, false);
    }
  }

  /**
   * Typed access to one annotation's values (defaults included). For a nested annotation the user did
   * not write (a default such as {@code temperature = @Anneal}), errors point at the enclosing one.
   */
  private final class Attributes {
    private final Element element;
    private final AnnotationMirror mirror;
    private final Map<String, AnnotationValue> all = new HashMap<>();
    private final Map<String, AnnotationValue> explicit = new HashMap<>();
    private final AnnotationMirror reportOn;
    private final Origin.Locator locator;
    private final Source source;

    Attributes(Element element, AnnotationMirror mirror, AnnotationMirror reportOn, boolean written, Origin.Locator locator) {
      this.element = element;
      this.mirror = mirror;
      this.reportOn = reportOn;
      this.locator = locator;
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : elements.getElementValuesWithDefaults(mirror).entrySet()) {
        all.put(e.getKey().getSimpleName().toString(), e.getValue());
      }
      if (written) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
          explicit.put(e.getKey().getSimpleName().toString(), e.getValue());
        }
      }
      this.source = new Source(element, reportOn, explicit, locator);
    }

    /** The same annotation, placed through {@code at} (it sits in a repeated annotation). */
    Attributes locatedAt(Origin.Locator at) {
      return new Attributes(element, mirror, reportOn, true, at);
    }

    Source source() {
      return source;
    }

    private Origin.Locator step(String step) {
      return locator == null ? null : locator.then(step);
    }

    private Object raw(String name) {
      AnnotationValue v = all.get(name);
      if (v == null || v.getValue() == null) {
        throw new Unreadable();
      }
      return v.getValue();
    }

    int integer(String name) {
      if (raw(name) instanceof Integer i) {
        return i;
      }
      throw new Unreadable();
    }

    double real(String name) {
      Object v = raw(name);
      if (v instanceof Double d) {
        return d;
      }
      if (v instanceof Number n) {
        return n.doubleValue();
      }
      throw new Unreadable();
    }

    boolean bool(String name) {
      if (raw(name) instanceof Boolean b) {
        return b;
      }
      throw new Unreadable();
    }

    String string(String name) {
      if (raw(name) instanceof String s) {
        return s;
      }
      throw new Unreadable();
    }

    <E extends Enum<E>> E enumeration(String name, Class<E> type) {
      if (raw(name) instanceof VariableElement v) {
        try {
          return Enum.valueOf(type, v.getSimpleName().toString());
        } catch (IllegalArgumentException e) {
          throw new Unreadable();
        }
      }
      throw new Unreadable();
    }

    /** A nested annotation value, e.g. {@code temperature = @Anneal(...)}. */
    Attributes annotation(String name) {
      if (raw(name) instanceof AnnotationMirror nested) {
        boolean written = explicit.containsKey(name);
        return new Attributes(element, nested, written ? nested : mirror, written, written ? step(name) : locator);
      }
      throw new Unreadable();
    }

    /** An array of nested annotations, e.g. {@code spatial = @SpatialMask(...)}. */
    List<Attributes> annotations(String name) {
      if (!(raw(name) instanceof List<?> list)) {
        throw new Unreadable();
      }
      List<Attributes> out = new ArrayList<>();
      for (Object o : list) {
        if (o instanceof AnnotationValue av && av.getValue() instanceof AnnotationMirror nested) {
          out.add(new Attributes(element, nested, nested, true, step(name + "[" + out.size() + "]")));
        } else {
          throw new Unreadable();
        }
      }
      return out;
    }
  }
}
