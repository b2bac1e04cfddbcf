package io.saccade.processor;

import com.google.auto.service.AutoService;
import com.squareup.javapoet.JavaFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * The Saccade annotation processor: for every type annotated with {@code @VideoNetwork} it reads the
 * declaration ({@link Reader}), checks it ({@link Validator}'s rule groups), lays it out ({@link Planner}), computes
 * shapes, parameters and FLOPs ({@link Sizer}), checks the budget, and writes {@code <Type>Network}
 * ({@link Writer}). Errors go to javac with a {@code [saccade:tag]}; nothing thrown inside escapes.
 *
 * <p>It also lists every class it generates in {@code META-INF/services/io.saccade.runtime.model.VideoModel}
 * ({@link ServiceRegistration}), so {@code ServiceLoader} and {@code saccade -n Name} find them. Types declared
 * inside a method body, which javac never hands to a processor, are found in the source trees and reported
 * ({@link LocalTypes}).
 *
 * <p>Use it from Maven with {@code annotationProcessorPaths}, from Gradle with {@code annotationProcessor}.
 * For Gradle it is a DYNAMIC incremental processor: AGGREGATING while it writes the service file (one file
 * from every declaration), ISOLATING with {@code -Asaccade.services=false} (each generated class depends
 * only on its declaring type; no service file).
 */
@AutoService(Processor.class)
public final class NetworkProcessor extends AbstractProcessor {

  /** The annotations that make a type a network declaration (all of them, so strays get an error too). */
  static final List<String> ANNOTATIONS = List.of(
      "VideoNetwork", "Backbone", "AmpleBranch", "FocalBranch", "Navigation", "Stage", "Stages",
      "GlobalEncoder", "PatchPolicy", "LocalEncoder", "Classifier", "ConditionalExit", "Budget");

  /** {@code -Asaccade.services=false}: write no service file, and be isolating for Gradle. */
  static final String SERVICES_OPTION = "saccade.services";

  /** Generated class (qualified) → the type that generated it, across rounds. */
  private final Map<String, String> generated = new HashMap<>();
  private final List<TypeElement> declaring = new ArrayList<>();
  private final LocalTypes localTypes = new LocalTypes();
  /** Runs before each declaration is processed; tests use it to inject a failure. */
  private final java.util.function.Consumer<TypeElement> beforeEach;

  /** The processor javac loads. */
  public NetworkProcessor() {
    this(type -> { });
  }

  /** A processor that calls {@code beforeEach} first for every declaration (tests: an injected bug). */
  NetworkProcessor(java.util.function.Consumer<TypeElement> beforeEach) {
    this.beforeEach = beforeEach;
  }

  /**
   * Every annotation ({@code "*"}), claiming none: javac calls a processor only for the annotations its
   * round's types carry, and a source whose only Saccade annotations sit on a local type would otherwise
   * never reach {@link LocalTypes}. Only Saccade's annotations are read.
   */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("*");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  /** Our option, and Gradle's incremental mode for this run (Gradle asks after {@code init}). */
  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(SERVICES_OPTION, writesServices()
        ? "org.gradle.annotation.processing.aggregating"
        : "org.gradle.annotation.processing.isolating");
  }

  private boolean writesServices() {
    return processingEnv == null || !"false".equalsIgnoreCase(processingEnv.getOptions().get(SERVICES_OPTION));
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Diagnostics diagnostics = new Diagnostics(processingEnv);
    localTypes.report(round, diagnostics);
    for (TypeElement type : declarations(annotations, round)) {
      try {
        process(type, diagnostics);
      } catch (RuntimeException | LinkageError | AssertionError e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        diagnostics.error(Message.INTERNAL, Origin.of(type), type.getQualifiedName(), e, firstFrame(e));
        diagnostics.note(Origin.of(type), "Saccade " + Message.INTERNAL.tag() + " stack trace:\n" + trace);
      }
    }
    if (round.processingOver() && writesServices() && !generated.isEmpty()) {
      try {
        new ServiceRegistration(processingEnv).write(generated.keySet(), declaring);
      } catch (IOException | RuntimeException e) {
        diagnostics.error(Message.INTERNAL_WRITE, Origin.NONE, ServiceRegistration.PATH, String.valueOf(e.getMessage()));
      }
    }
    return false;
  }

  /** Types carrying any Saccade annotation, in source order, each once. */
  private static Set<TypeElement> declarations(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<TypeElement> types = new LinkedHashSet<>();
    for (TypeElement annotation : annotations) {
      if (!annotation.getQualifiedName().toString().startsWith(Reader.DSL)) {
        continue;
      }
      for (Element e : round.getElementsAnnotatedWith(annotation)) {
        if (e instanceof TypeElement t) {
          types.add(t);
        }
      }
    }
    return types;
  }

  private void process(TypeElement type, Diagnostics diagnostics) {
    beforeEach.accept(type);
    if (Reader.find(type, "VideoNetwork").isEmpty()) {
      for (String a : ANNOTATIONS) {
        Optional<javax.lang.model.element.AnnotationMirror> m = Reader.find(type, a);
        if (m.isPresent()) {
          diagnostics.error(Message.MISSING_NETWORK, new Origin(type, m.get(), null, null), a.equals("Stages") ? "Stage" : a,
              type.getSimpleName());
          return;
        }
      }
      return;
    }
    Optional<NetworkSpec> read = new Reader(processingEnv.getElementUtils()).read(type);
    if (read.isEmpty()) {
      return; // javac reports the erroneous annotation value itself
    }
    NetworkSpec spec = read.get();
    Validator validator = new Validator();
    ValidationReport report = validator.validate(spec);
    report.printTo(diagnostics);
    if (!report.isClean()) {
      return;
    }
    NetworkPlan plan = new Planner().plan(spec);
    Sizing sizing;
    Sizing allSelected;
    try {
      sizing = new Sizer().size(plan);
      allSelected = new Sizer().size(plan, 1.0);
      sizing.parameters();
    } catch (ArithmeticException overflow) {
      diagnostics.error(Message.TOO_LARGE, spec.network().src().annotation(), spec.typeName());
      return;
    }
    ValidationReport budget = validator.validate(spec, sizing);
    budget.printTo(diagnostics);
    if (!budget.isClean()) {
      return;
    }
    String qualified = (spec.packageName().isEmpty() ? "" : spec.packageName() + ".") + spec.generatedName();
    String previous = generated.get(qualified);
    if (previous != null) {
      diagnostics.error(Message.NAME_CLASH, spec.network().src().at("name"), previous, type.getQualifiedName(), qualified);
      return;
    }
    for (String hidden : List.of("java.lang." + spec.generatedName(), Reader.DSL + spec.generatedName())) {
      if (processingEnv.getElementUtils().getTypeElement(hidden) != null) {
        diagnostics.error(Message.NAME_SHADOWS, spec.network().src().at("name"), type.getQualifiedName(), qualified, hidden,
            spec.packageName().isEmpty() ? "(unnamed)" : spec.packageName(), spec.typeName() + "Network");
        return;
      }
    }
    if (processingEnv.getElementUtils().getTypeElement(qualified) != null) {
      diagnostics.error(Message.NAME_EXISTS, spec.network().src().at("name"), type.getQualifiedName(), qualified);
      return;
    }
    boolean generatedAvailable = processingEnv.getElementUtils().getTypeElement("javax.annotation.processing.Generated") != null;
    JavaFile file = new Writer(generatedAvailable).write(spec, plan, sizing, allSelected);
    try {
      file.writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      diagnostics.error(Message.INTERNAL_WRITE, Origin.of(type), qualified, String.valueOf(e.getMessage()));
      return;
    }
    generated.put(qualified, type.getQualifiedName().toString());
    declaring.add(type);
  }

  private static String firstFrame(Throwable e) {
    StackTraceElement[] trace = e.getStackTrace();
    return trace.length == 0 ? "?" : trace[0].toString();
  }
}
