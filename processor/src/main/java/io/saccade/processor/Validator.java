package io.saccade.processor;

import io.saccade.architecture.AfNetLayout;
import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.Kind;
import io.saccade.architecture.BackboneLayout.StageLayout;
import io.saccade.dsl.LocalEncoder;
import io.saccade.processor.NetworkSpec.AnnealDecl;
import io.saccade.processor.NetworkSpec.BackboneDecl;
import io.saccade.processor.NetworkSpec.LocalEncoderDecl;
import io.saccade.processor.NetworkSpec.NavigationDecl;
import io.saccade.processor.NetworkSpec.SpatialDecl;
import io.saccade.processor.NetworkSpec.StageDecl;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Checks a {@link NetworkSpec} and reports every problem through {@link Diagnostics}, one error per
 * cause, placed on the attribute that causes it. Checks run in phases — the declaring type and which
 * annotations go together, then attribute values, then what needs the backbone's layout (channels,
 * strides) — and a phase runs only when the ones it depends on passed, so one mistake never shows up
 * as a cascade.
 *
 * <pre>{@code
 * if (new Validator(diagnostics).validate(spec)) { ... plan, size ... }
 * }</pre>
 */
final class Validator {

  private final Diagnostics diagnostics;

  Validator(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** Checks everything that can be checked before sizing; true when {@code spec} can be planned. */
  boolean validate(NetworkSpec spec) {
    int before = diagnostics.errorCount();
    checkType(spec);
    if (!checkFamily(spec)) {
      return false;
    }
    checkNetwork(spec);
    switch (spec.family()) {
      case DENSE -> checkDense(spec);
      case AFNET -> checkAfNet(spec);
      case ADAFOCUS_V2 -> checkAdaFocus(spec);
    }
    spec.budget().ifPresent(b -> {
      Origin at = b.src().at("maxGflops");
      if (representable(b.maxGflops(), at, "maxGflops", BUDGET, false) && !BUDGET.contains(b.maxGflops())) {
        error(Message.BUDGET_RANGE, at, number(b.maxGflops()));
      }
    });
    return diagnostics.errorCount() == before;
  }

  /** Checks the declared budget against the computed cost; true when within it. */
  boolean checkBudget(NetworkSpec spec, Sizing sizing) {
    if (spec.budget().isEmpty() || sizing.gflopsPerClip() <= spec.budget().get().maxGflops()) {
      return true;
    }
    String largest = sizing.rows().stream()
        .sorted(Comparator.comparingDouble(Sizing.Row::gflopsPerClip).reversed())
        .limit(3)
        .map(r -> r.name() + " " + gflops(r.gflopsPerClip()))
        .collect(Collectors.joining(", "));
    var budget = spec.budget().get();
    error(Message.BUDGET, budget.src().at("maxGflops"), spec.typeName(), gflops(sizing.gflopsPerClip()),
        number(budget.maxGflops()), largest);
    return false;
  }

  // ---------------------------------------------------------------- the declaring type

  private void checkType(NetworkSpec spec) {
    if (spec.type().element() instanceof TypeElement type) {
      typeProblem(type).ifPresent(p -> error(Message.TYPE_KIND, spec.type(), type.getQualifiedName(), p));
    }
    var network = spec.network();
    String name = network.name();
    if (!name.isEmpty()) {
      if (!isTypeName(name)) {
        error(Message.NAME_INVALID, network.src().at("name"), name, suggestIdentifier(name), spec.typeName() + "Network");
      } else if (name.equals(spec.typeName()) && isTopLevel(spec)) {
        String declaring = spec.type().element() instanceof TypeElement t ? t.getQualifiedName().toString() : spec.typeName();
        error(Message.NAME_OF_TYPE, network.src().at("name"), name, declaring, spec.typeName() + "Network");
      }
    }
  }

  /** Why the processor cannot generate for {@code type}, if it cannot. */
  private static Optional<String> typeProblem(TypeElement type) {
    if (type.getKind() == ElementKind.ENUM || type.getKind() == ElementKind.ANNOTATION_TYPE) {
      return Optional.of("it is " + (type.getKind() == ElementKind.ENUM ? "an enum" : "an annotation type"));
    }
    if (!type.getTypeParameters().isEmpty()) {
      return Optional.of("it has type parameters " + type.getTypeParameters());
    }
    Element e = type;
    while (e instanceof TypeElement t) {
      if (t.getModifiers().contains(Modifier.PRIVATE)) {
        return Optional.of(t == type ? "it is private" : "it is nested in the private type " + t.getSimpleName());
      }
      Element outer = t.getEnclosingElement();
      if (outer.getKind() == ElementKind.METHOD || outer.getKind() == ElementKind.CONSTRUCTOR
          || outer.getKind() == ElementKind.STATIC_INIT || outer.getKind() == ElementKind.INSTANCE_INIT) {
        return Optional.of("it is local to a method");
      }
      if (outer instanceof TypeElement && t.getKind() == ElementKind.CLASS && !t.getModifiers().contains(Modifier.STATIC)) {
        return Optional.of(t == type
            ? "it is an inner (non-static) class of " + outer.getSimpleName()
            : "it is nested in the inner class " + t.getSimpleName());
      }
      e = outer;
    }
    return Optional.empty();
  }

  /** Whether the declaring type sits directly in its package (a nested type may share the generated name). */
  private static boolean isTopLevel(NetworkSpec spec) {
    return !(spec.type().element() instanceof TypeElement t) || t.getEnclosingElement().getKind() == ElementKind.PACKAGE;
  }

  /** Identifiers javac refuses as a class's name (JLS 3.9, TypeIdentifier). */
  private static final Set<String> RESTRICTED_TYPE_NAMES = Set.of("var", "yield", "record", "sealed", "permits");

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
    return isTypeName(sb.toString()) ? sb.toString() : "MyNetwork";
  }

  // ---------------------------------------------------------------- which annotations go together

  private boolean checkFamily(NetworkSpec spec) {
    List<String> af = afAnnotations(spec);
    List<String> ada = adaAnnotations(spec);
    if (!af.isEmpty() && !ada.isEmpty()) {
      error(Message.CONFLICT_FAMILIES, firstAdaOrigin(spec), spec.typeName(), String.join(", ", af), String.join(", ", ada));
      return false;
    }
    if (!ada.isEmpty()) {
      if (spec.backbone().isPresent()) {
        error(Message.CONFLICT_BACKBONE, spec.backbone().get().src().annotation(), spec.typeName());
        return false;
      }
      List<String> missing = new ArrayList<>();
      if (spec.globalEncoder().isEmpty()) {
        missing.add("@GlobalEncoder");
      }
      if (spec.patchPolicy().isEmpty()) {
        missing.add("@PatchPolicy");
      }
      if (spec.localEncoder().isEmpty()) {
        missing.add("@LocalEncoder");
      }
      if (!missing.isEmpty()) {
        error(Message.MISSING_ADAFOCUS, firstAdaOrigin(spec), String.join(", ", ada), spec.typeName(), String.join(" and ", missing),
            String.join(" and ", missing));
        return false;
      }
      return true;
    }
    if (!af.isEmpty()) {
      Origin first = firstAfOrigin(spec);
      if (spec.backbone().isEmpty()) {
        error(Message.MISSING_BACKBONE, first, String.join(", ", af), spec.typeName());
        return false;
      }
      List<String> missing = new ArrayList<>();
      if (spec.ample().isEmpty()) {
        missing.add("@AmpleBranch");
      }
      if (spec.focal().isEmpty()) {
        missing.add("@FocalBranch");
      }
      if (spec.navigation().isEmpty()) {
        missing.add("@Navigation");
      }
      if (!missing.isEmpty()) {
        List<String> toAdd = missing.stream().map(m -> m.equals("@Navigation") ? "@Navigation(targetRatio = 0.5)" : m).toList();
        error(Message.MISSING_AFNET, first, String.join(", ", af), spec.typeName(), String.join(" and ", missing), String.join(" and ", toAdd));
        return false;
      }
      return true;
    }
    if (spec.backbone().isEmpty()) {
      error(Message.MISSING_CNN, spec.network().src().annotation(), spec.typeName());
      return false;
    }
    return true;
  }

  private static List<String> afAnnotations(NetworkSpec spec) {
    List<String> out = new ArrayList<>();
    spec.navigation().ifPresent(x -> out.add("@Navigation"));
    spec.focal().ifPresent(x -> out.add("@FocalBranch"));
    spec.ample().ifPresent(x -> out.add("@AmpleBranch"));
    if (!spec.stages().isEmpty()) {
      out.add("@Stage");
    }
    return out;
  }

  private static Origin firstAfOrigin(NetworkSpec spec) {
    if (spec.navigation().isPresent()) {
      return spec.navigation().get().src().annotation();
    }
    if (spec.focal().isPresent()) {
      return spec.focal().get().src().annotation();
    }
    if (spec.ample().isPresent()) {
      return spec.ample().get().src().annotation();
    }
    return spec.stages().get(0).src().annotation();
  }

  private static List<String> adaAnnotations(NetworkSpec spec) {
    List<String> out = new ArrayList<>();
    spec.globalEncoder().ifPresent(x -> out.add("@GlobalEncoder"));
    spec.patchPolicy().ifPresent(x -> out.add("@PatchPolicy"));
    spec.localEncoder().ifPresent(x -> out.add("@LocalEncoder"));
    spec.classifier().ifPresent(x -> out.add("@Classifier"));
    spec.conditionalExit().ifPresent(x -> out.add("@ConditionalExit"));
    return out;
  }

  private static Origin firstAdaOrigin(NetworkSpec spec) {
    return spec.globalEncoder().map(x -> x.src().annotation())
        .or(() -> spec.patchPolicy().map(x -> x.src().annotation()))
        .or(() -> spec.localEncoder().map(x -> x.src().annotation()))
        .or(() -> spec.classifier().map(x -> x.src().annotation()))
        .orElseGet(() -> spec.conditionalExit().orElseThrow().src().annotation());
  }

  // ---------------------------------------------------------------- @VideoNetwork values

  private void checkNetwork(NetworkSpec spec) {
    var n = spec.network();
    if (n.frames() < 1) {
      error(Message.FRAMES, n.src().at("frames"), n.frames());
    }
    if (n.classes() < 1) {
      error(Message.CLASSES, n.src().at("classes"), n.classes());
    }
    boolean encoderSeesInput = spec.family() != NetworkSpec.Family.ADAFOCUS_V2
        || spec.globalEncoder().map(g -> g.inputSize() == 0).orElse(true);
    if (encoderSeesInput && !multipleOfStride(n.inputSize())) {
      String cnn = spec.backbone().map(b -> b.value().name()).orElse("the global encoder");
      error(Message.INPUT_SIZE, n.src().at("inputSize"), n.inputSize(), cnn, nearestMultiples(n.inputSize()));
    }
    if (n.frames() >= 1 && n.inputSize() >= 1) {
      long values = (long) n.frames() * n.inputSize() * n.inputSize() * 3;
      if (values > MAX_ARRAY) {
        error(Message.CLIP_SIZE, n.src().at("frames"), n.frames(), n.inputSize(), n.inputSize(), String.format(Locale.ROOT, "%,d", values),
            String.format(Locale.ROOT, "%,d", MAX_ARRAY));
      }
    }
    Origin dropout = n.src().at("dropout");
    if (representable(n.dropout(), dropout, "dropout", DROPOUT, true) && !DROPOUT.contains(n.dropout())) {
      error(Message.DROPOUT, dropout, number(n.dropout()));
    }
  }

  /** The most values one Java array holds: a clip is loaded into one float array. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /** Valid values of the numeric attributes, as the generated code and the runtime use them. */
  static final Interval RATIO = new Interval(0, true, 1, false);
  static final Interval DROPOUT = new Interval(0, false, 1, true);
  static final Interval LOSS_WEIGHT = new Interval(0, false, 1e6, false);
  static final Interval TEMPERATURE = new Interval(1e-6, false, 1e6, false);
  static final Interval KEEP_MARGIN = new Interval(0, true, 1e6, false);
  static final Interval WIDTH = new Interval(0, true, BackboneLayout.MAX_WIDTH, false);
  static final Interval BUDGET = new Interval(0, true, Double.POSITIVE_INFINITY, true);

  /** An interval of valid values, written as the user reads it: {@code (0, 1]}. */
  record Interval(double min, boolean minOpen, double max, boolean maxOpen) {
    boolean contains(double v) {
      return (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
    }

    /** The float nearest to {@code v} inside the interval. */
    float nearestFloatInside(double v) {
      float f = (float) v;
      while (!contains(f) && Float.isFinite(f)) {
        f = f <= min ? Math.nextUp(f) : Math.nextDown(f);
      }
      return f;
    }

    @Override
    public String toString() {
      return (minOpen ? "(" : "[") + number(min) + ", " + (Double.isInfinite(max) ? "∞" : number(max)) + (maxOpen ? ")" : "]");
    }
  }

  /**
   * Whether {@code v} is finite and, when the generated code holds it as a {@code float}, still inside
   * {@code valid} as one; reports not-finite or float-range otherwise. The interval itself is the caller's
   * to check, with the attribute's own message.
   */
  private boolean representable(double v, Origin at, String attribute, Interval valid, boolean float32) {
    if (!Double.isFinite(v)) {
      error(Message.NOT_FINITE, at, attribute, number(v), valid);
      return false;
    }
    if (float32 && valid.contains(v) && !valid.contains((float) v)) {
      error(Message.FLOAT_ROUNDING, at, attribute, number(v), Float.toString((float) v), valid, valid,
          Float.toString(valid.nearestFloatInside(v)));
      return false;
    }
    return true;
  }

  private static boolean multipleOfStride(int size) {
    return size > 0 && size % BackboneLayout.TOTAL_STRIDE == 0;
  }

  private static String nearestMultiples(int size) {
    int s = BackboneLayout.TOTAL_STRIDE;
    int lower = Math.max(0, size) / s * s;
    if (lower == 0) {
      return String.valueOf(s);
    }
    return lower + " or " + (lower + s);
  }

  // ---------------------------------------------------------------- @Backbone

  private void checkDense(NetworkSpec spec) {
    BackboneDecl backbone = spec.backbone().orElseThrow();
    boolean widthOk = checkWidthValue(backbone);
    int before = diagnostics.errorCount();
    checkBackbone(spec, backbone, false);
    if (widthOk && diagnostics.errorCount() == before) {
      checkWidthFits(spec, backbone);
    }
  }

  /** The width on its own: ResNets only, in (0, 16], whole channel counts; true when it can be laid out. */
  private boolean checkWidthValue(BackboneDecl b) {
    double w = b.width();
    Origin at = b.src().at("width");
    if (!representable(w, at, "width", WIDTH, false)) {
      return false;
    }
    if (BackboneLayout.of(b.value()).kind() != Kind.RESNET) {
      if (w != 1) {
        error(Message.WIDTH_MOBILENET, at, number(w), b.value());
        return false;
      }
      return true;
    }
    if (!WIDTH.contains(w)) {
      error(Message.WIDTH_RANGE, at, number(w), number(BackboneLayout.MAX_WIDTH));
      return false;
    }
    if (BackboneLayout.resnetStem(w).isEmpty()) {
      error(Message.WIDTH_FRACTION, at, number(w), number(BackboneLayout.RESNET_STEM * w), didYouMean(nearestWidths(null, b, w)));
      return false;
    }
    return true;
  }

  /**
   * A ResNet width other than 1 against what the declaration needs of its channels, once everything
   * else has been checked at width 1: so an error here is the width's.
   */
  private void checkWidthFits(NetworkSpec spec, BackboneDecl b) {
    if (b.width() == 1 || BackboneLayout.of(b.value()).kind() != Kind.RESNET) {
      return;
    }
    widthProblem(spec, b, b.width()).ifPresent(problem -> {
      List<Object> args = new ArrayList<>(problem.args());
      args.add(didYouMean(nearestWidths(spec, b, b.width())));
      error(problem.message(), b.src().at("width"), args.toArray());
    });
  }

  /**
   * Why {@code width} does not fit {@code spec}, if it does not; {@code spec} null checks only that the
   * channel counts are whole.
   */
  private static Optional<WidthProblem> widthProblem(NetworkSpec spec, BackboneDecl b, double width) {
    String w = number(width);
    if (BackboneLayout.resnetStem(width).isEmpty()) {
      return Optional.of(new WidthProblem(Message.WIDTH_FRACTION, List.of(w, number(BackboneLayout.RESNET_STEM * width))));
    }
    if (spec == null) {
      return Optional.empty();
    }
    boolean af = spec.family() == NetworkSpec.Family.AFNET;
    BackboneLayout layout = af ? BackboneLayout.afNet(b.value(), width) : BackboneLayout.of(b.value(), width);
    if (af) {
      int alpha = alpha(spec, layout);
      int groups = spec.focal().orElseThrow().groups();
      for (int i : Planner.adaptiveStages(layout, validStages(spec, layout))) {
        StageLayout s = layout.stage(i);
        int inner = s.out() / 4;
        if (inner % alpha != 0) {
          return Optional.of(new WidthProblem(Message.WIDTH_FIT_AMPLE, List.of(w, i, inner, alpha)));
        }
        Set<Integer> focal = new TreeSet<>();
        for (Block block : s.blocks().subList(0, s.blocks().size() - 1)) {
          focal.addAll(List.of(block.in(), block.mid(), block.out()));
        }
        if (focal.stream().anyMatch(c -> c % groups != 0)) {
          return Optional.of(new WidthProblem(Message.WIDTH_FIT_GROUPS,
              List.of(w, i, focal.stream().map(String::valueOf).collect(Collectors.joining(", ")), groups)));
        }
        if (s.out() < AfNetLayout.ATTENTION_REDUCTION) {
          return Optional.of(new WidthProblem(Message.WIDTH_FIT_ATTENTION, List.of(w, i, s.out(), AfNetLayout.ATTENTION_REDUCTION)));
        }
      }
    }
    if (b.temporalShift() && b.shiftDivisor() >= 1) {
      int narrowest = narrowestShiftedInput(spec, layout);
      if (b.shiftDivisor() > narrowest) {
        return Optional.of(new WidthProblem(Message.WIDTH_FIT_SHIFT, List.of(w, narrowest, b.shiftDivisor())));
      }
    }
    return Optional.empty();
  }

  /** Why a width does not fit: a message and its arguments, all but the final "did you mean". */
  private record WidthProblem(Message message, List<Object> args) {}

  /** The nearest widths on a grid of 1/16 below and above {@code width} that fit (none, one or two). */
  private static List<Double> nearestWidths(NetworkSpec spec, BackboneDecl b, double width) {
    int steps = (int) (BackboneLayout.MAX_WIDTH * 16);
    List<Double> out = new ArrayList<>();
    for (int k = (int) Math.min(Math.ceil(width * 16) - 1, steps); k >= 1; k--) {
      if (k / 16.0 < width && widthProblem(spec, b, k / 16.0).isEmpty()) {
        out.add(k / 16.0);
        break;
      }
    }
    for (int k = (int) Math.max(Math.floor(width * 16) + 1, 1); k <= steps; k++) {
      if (k / 16.0 > width && widthProblem(spec, b, k / 16.0).isEmpty()) {
        out.add(k / 16.0);
        break;
      }
    }
    return out;
  }

  private static String didYouMean(List<Double> widths) {
    return widths.isEmpty() ? "" : ". Did you mean " + widths.stream().map(Validator::number).collect(Collectors.joining(" or ")) + "?";
  }

  /** Temporal shift and its divisor; {@code framesReported} when a frames error already covers the cause. */
  private void checkBackbone(NetworkSpec spec, BackboneDecl b, boolean framesReported) {
    int frames = spec.network().frames();
    if (!b.temporalShift()) {
      return;
    }
    if (frames == 1 && !framesReported) {
      error(Message.SHIFT_FRAMES, b.src().at("temporalShift"), frames);
    }
    if (b.shiftDivisor() < 2) {
      error(Message.SHIFT_DIVISOR_RANGE, b.src().at("shiftDivisor"), b.shiftDivisor());
      return;
    }
    BackboneLayout layout = spec.family() == NetworkSpec.Family.AFNET ? BackboneLayout.afNet(b.value()) : BackboneLayout.of(b.value());
    int narrowest = narrowestShiftedInput(spec, layout);
    if (b.shiftDivisor() > narrowest) {
      error(Message.SHIFT_DIVISOR_CHANNELS, b.src().at("shiftDivisor"), b.shiftDivisor(), b.value(), narrowest, narrowest);
    }
  }

  private static int narrowestShiftedInput(NetworkSpec spec, BackboneLayout layout) {
    int narrowest = Integer.MAX_VALUE;
    for (StageLayout s : layout.stages()) {
      for (Block b : s.blocks()) {
        narrowest = Math.min(narrowest, b.in());
      }
    }
    if (spec.family() == NetworkSpec.Family.AFNET && layout.kind() == Kind.RESNET) {
      int alpha = alpha(spec, layout);
      if (alpha > 0) {
        for (int i : Planner.adaptiveStages(layout, validStages(spec, layout))) {
          narrowest = Math.min(narrowest, layout.stage(i).out() / alpha);
        }
      }
    }
    return narrowest;
  }

  private static int alpha(NetworkSpec spec, BackboneLayout layout) {
    int alpha = spec.ample().map(NetworkSpec.AmpleDecl::channelDivisor).orElse(0);
    return alpha == 0 ? layout.officialChannelDivisor() : alpha;
  }

  // ---------------------------------------------------------------- AFNet

  private void checkAfNet(NetworkSpec spec) {
    BackboneDecl backbone = spec.backbone().orElseThrow();
    BackboneLayout layout = BackboneLayout.afNet(backbone.value());
    if (!layout.supportsAfNet()) {
      error(Message.AF_BACKBONE, backbone.src().at("value"), backbone.value());
      return;
    }
    boolean widthOk = checkWidthValue(backbone);
    int before = diagnostics.errorCount();
    int frames = spec.network().frames();
    boolean framesReported = frames < 1;
    if (frames == 1) {
      error(Message.NAVIGATION_FRAMES, spec.network().src().at("frames"), frames);
      framesReported = true;
    }
    checkNavigation(spec.navigation().orElseThrow(), true);
    if (layout.kind() == Kind.MOBILENET) {
      List<NetworkSpec.NavigationDecl> navigations = new ArrayList<>(List.of(spec.navigation().orElseThrow()));
      spec.stages().forEach(st -> navigations.addAll(st.navigation()));
      for (NetworkSpec.NavigationDecl nav : navigations) {
        if (!nav.spatial().isEmpty()) {
          error(Message.SPATIAL_BACKBONE, nav.src().at("spatial"), backbone.value());
        }
      }
    }
    boolean stagesOk = checkStages(spec, layout);
    boolean ampleOk = checkAmple(spec, layout, stagesOk);
    if (stagesOk) {
      checkGroups(spec, layout);
    }
    if (stagesOk && ampleOk) {
      checkBackbone(spec, backbone, framesReported);
    }
    if (widthOk && diagnostics.errorCount() == before) {
      checkWidthFits(spec, backbone);
    }
  }

  private void checkNavigation(NavigationDecl nav, boolean typeLevel) {
    checkRatio(nav.targetRatio(), nav.src().at("targetRatio"), "frames");
    Origin lossWeight = nav.src().at("lossWeight");
    if (typeLevel && representable(nav.lossWeight(), lossWeight, "lossWeight", LOSS_WEIGHT, true)) {
      if (nav.lossWeight() < 0) {
        error(Message.LOSS_WEIGHT, lossWeight, number(nav.lossWeight()));
      } else if (!LOSS_WEIGHT.contains(nav.lossWeight())) {
        error(Message.LOSS_WEIGHT_LARGE, lossWeight, number(nav.lossWeight()), number(LOSS_WEIGHT.max()), number(LOSS_WEIGHT.max()));
      }
    }
    AnnealDecl t = nav.temperature();
    boolean positive = checkTemperature(t.from(), t.src().at("from"), "from");
    positive &= checkTemperature(t.to(), t.src().at("to"), "to");
    if (positive && t.to() > t.from()) {
      Origin at = t.src().isExplicit("to") || !t.src().isExplicit("from") ? t.src().at("to") : t.src().at("from");
      error(Message.TEMPERATURE_RISES, at, number(t.from()), number(t.to()), number(t.to()), number(t.from()));
    }
    if (t.epochs() < 1) {
      error(Message.ANNEAL_EPOCHS, t.src().at("epochs"), t.epochs());
    }
    if (nav.spatial().size() > 1) {
      error(Message.SPATIAL_COUNT, nav.src().at("spatial"), nav.spatial().size());
    }
    Origin keepMargin = nav.src().at("keepMargin");
    if (representable(nav.keepMargin(), keepMargin, "keepMargin", KEEP_MARGIN, true) && !KEEP_MARGIN.contains(nav.keepMargin())) {
      error(Message.KEEP_MARGIN, keepMargin, number(nav.keepMargin()), number(KEEP_MARGIN.max()));
    }
    for (SpatialDecl s : nav.spatial()) {
      checkRatio(s.targetRatio(), s.src().at("targetRatio"), "positions of a selected frame");
    }
    if (!typeLevel) {
      for (String networkWide : List.of("lossWeight", "temperature")) {
        if (nav.src().isExplicit(networkWide)) {
          error(Message.STAGE_NETWORK_WIDE, nav.src().at(networkWide), networkWide);
        }
      }
    }
  }

  /** A Gumbel temperature: finite, > 0, and in the range where float32 logits divided by it stay usable. */
  private boolean checkTemperature(double tau, Origin at, String attribute) {
    if (!representable(tau, at, attribute, TEMPERATURE, true)) {
      return false;
    }
    if (!(tau > 0)) {
      error(Message.TEMPERATURE_POSITIVE, at, attribute, number(tau));
      return false;
    }
    if (!TEMPERATURE.contains(tau)) {
      error(Message.TEMPERATURE_RANGE, at, attribute, number(tau), number(TEMPERATURE.min()), number(TEMPERATURE.max()));
      return false;
    }
    return true;
  }

  private void checkRatio(double ratio, Origin at, String ofWhat) {
    if (!representable(ratio, at, "targetRatio", RATIO, true) || RATIO.contains(ratio)) {
      return;
    }
    // a whole number from 2 to 100 reads as a percentage; 1.5 or 250 do not
    boolean percentage = ratio >= 2 && ratio <= 100 && ratio == Math.rint(ratio);
    String didYouMean = percentage ? " Did you mean " + number(ratio / 100) + "?" : "";
    error(Message.RATIO_RANGE, at, number(ratio), ofWhat, didYouMean);
  }

  /** Stage indices, duplicates and overrides; true when the adaptive stages are well defined. */
  private boolean checkStages(NetworkSpec spec, BackboneLayout layout) {
    int before = diagnostics.errorCount();
    Set<Integer> seen = new HashSet<>();
    for (StageDecl s : spec.stages()) {
      if (s.index() == 0) {
        error(Message.STAGE_INDEX_ZERO, s.src().at("index"), layout.id(), layout.lastStage());
        continue;
      }
      if (s.index() < 1 || s.index() > layout.lastStage()) {
        error(Message.STAGE_INDEX, s.src().at("index"), s.index(), layout.id(), layout.lastStage(), layout.lastStage());
        continue;
      }
      if (!seen.add(s.index())) {
        error(Message.STAGE_DUPLICATE, s.src().at("index"), s.index(), s.index());
        continue;
      }
      if (s.navigation().size() > 1) {
        error(Message.STAGE_NAVIGATIONS, s.src().at("navigation"), s.index(), s.navigation().size());
      } else if (!s.af() && !s.navigation().isEmpty()) {
        error(Message.STAGE_DENSE_NAVIGATION, s.src().at("navigation"), s.index());
      }
      for (NavigationDecl n : s.navigation()) {
        checkNavigation(n, false);
      }
    }
    if (diagnostics.errorCount() != before) {
      return false;
    }
    TreeSet<Integer> adaptive = Planner.adaptiveStages(layout, spec.stages());
    if (adaptive.isEmpty()) {
      Origin at = spec.stages().stream().filter(s -> !s.af()).findFirst().map(s -> s.src().at("af"))
          .orElse(spec.navigation().orElseThrow().src().annotation());
      error(Message.NO_ADAPTIVE_STAGE, at, spec.typeName());
      return false;
    }
    for (int i : adaptive) {
      StageLayout stage = layout.stage(i);
      if (stage.blocks().size() < 2) {
        error(Message.STAGE_ONE_BLOCK, stageOrigin(spec, i), i, layout.id(), stage.blocks().size(), i);
      } else if (stage.stride() != 1 && i == 1) {
        error(Message.STAGE_STEM_STRIDE, stageOrigin(spec, i), layout.id());
      } else if (stage.stride() != 1 && !adaptive.contains(i - 1)) {
        StageLayout previous = layout.stage(i - 1);
        if (previous.blocks().size() == 1 && previous.stride() != 1) {
          error(Message.STAGE_PREVIOUS_STRIDE, stageOrigin(spec, i), i, layout.id(), i - 1, i - 1, i);
        }
      }
    }
    return diagnostics.errorCount() == before;
  }

  /** The {@code @Stage} that made stage {@code i} adaptive, else the type's {@code @Navigation}. */
  private static Origin stageOrigin(NetworkSpec spec, int i) {
    return spec.stages().stream().filter(s -> s.index() == i).findFirst().map(s -> s.src().annotation())
        .orElse(spec.navigation().orElseThrow().src().annotation());
  }

  /** The {@code @Stage}s with an index inside the backbone (the others are reported elsewhere). */
  private static List<StageDecl> validStages(NetworkSpec spec, BackboneLayout layout) {
    return spec.stages().stream().filter(s -> s.index() >= 1 && s.index() <= layout.lastStage()).toList();
  }

  private boolean checkAmple(NetworkSpec spec, BackboneLayout layout, boolean stagesOk) {
    var ample = spec.ample().orElseThrow();
    int before = diagnostics.errorCount();
    if (ample.resolutionStride() != 2) {
      error(Message.AMPLE_STRIDE, ample.src().at("resolutionStride"), ample.resolutionStride());
    }
    int alpha = ample.channelDivisor();
    if (alpha < 0) {
      error(Message.AMPLE_CHANNELS_RANGE, ample.src().at("channelDivisor"), alpha);
    } else if (layout.kind() == Kind.MOBILENET && alpha > 1) {
      error(Message.AMPLE_CHANNELS_MOBILENET, ample.src().at("channelDivisor"), alpha, layout.id());
    } else if (layout.kind() == Kind.RESNET && alpha > 0 && stagesOk) {
      int gcd = 0;
      Optional<StageLayout> bad = Optional.empty();
      for (int i : Planner.adaptiveStages(layout, spec.stages())) {
        StageLayout s = layout.stage(i);
        gcd = gcd(gcd, s.out() / 4);
        if (bad.isEmpty() && (s.out() / 4) % alpha != 0) {
          bad = Optional.of(s);
        }
      }
      if (bad.isPresent()) {
        error(Message.AMPLE_CHANNELS, ample.src().at("channelDivisor"), alpha, bad.get().index(), bad.get().out() / 4, gcd, divisors(gcd));
      }
    }
    return diagnostics.errorCount() == before;
  }

  private void checkGroups(NetworkSpec spec, BackboneLayout layout) {
    var focal = spec.focal().orElseThrow();
    int groups = focal.groups();
    if (groups < 1) {
      error(Message.GROUPS_RANGE, focal.src().at("groups"), groups);
      return;
    }
    int gcd = 0;
    String badStage = null;
    String badChannels = null;
    for (int i : Planner.adaptiveStages(layout, spec.stages())) {
      StageLayout s = layout.stage(i);
      Set<Integer> channels = new TreeSet<>();
      for (Block b : s.blocks().subList(0, s.blocks().size() - 1)) {
        channels.add(b.in());
        channels.add(b.mid());
        channels.add(b.out());
      }
      for (int c : channels) {
        gcd = gcd(gcd, c);
        if (badStage == null && c % groups != 0) {
          badStage = "stage " + i;
          badChannels = channels.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " channels";
        }
      }
    }
    if (badStage != null) {
      error(Message.GROUPS, focal.src().at("groups"), groups, badStage, badChannels, divisors(gcd));
    }
  }

  // ---------------------------------------------------------------- AdaFocusV2

  private void checkAdaFocus(NetworkSpec spec) {
    var n = spec.network();
    var global = spec.globalEncoder().orElseThrow();
    if (global.inputSize() != 0) {
      if (!multipleOfStride(global.inputSize())) {
        error(Message.GLOBAL_INPUT_STRIDE, global.src().at("inputSize"), global.inputSize(), global.backbone(),
            nearestMultiples(global.inputSize()));
      } else if (global.inputSize() > n.inputSize()) {
        error(Message.GLOBAL_INPUT, global.src().at("inputSize"), global.inputSize(), n.inputSize(), n.inputSize());
      }
    }
    var patch = spec.patchPolicy().orElseThrow();
    if (patch.patchSize() < 1) {
      error(Message.PATCH_SIZE_RANGE, patch.src().at("patchSize"), patch.patchSize());
    } else if (patch.patchSize() > n.inputSize()) {
      error(Message.PATCH_SIZE, patch.src().at("patchSize"), patch.patchSize(), n.inputSize());
    }
    if (patch.hidden() < 0 || (patch.hidden() == 1 && !patch.recurrent())) {
      error(Message.POLICY_HIDDEN, patch.src().at("hidden"), patch.hidden(), patch.recurrent() ? "at least 1" : "at least 2 (its second layer is half as wide)");
    }
    spec.conditionalExit().ifPresent(x -> {
      if (!patch.recurrent()) {
        error(Message.CONFLICT_EXIT, x.src().annotation());
      }
    });
    spec.classifier().ifPresent(c -> {
      if (!patch.recurrent()) {
        error(Message.CONFLICT_CLASSIFIER, c.src().annotation());
      } else if (c.hidden() < 1) {
        error(Message.CLASSIFIER_HIDDEN, c.src().at("hidden"), c.hidden());
      }
    });
    if (n.frames() == 1 && global.temporalShift()) {
      error(Message.SHIFT_FRAMES, global.src().at("temporalShift"), n.frames());
    }
    checkFocusFrames(spec, patch.recurrent());
  }

  /** {@code @LocalEncoder(frames)}: a count the policy can use, a shift it allows, a clip that fits an array. */
  private void checkFocusFrames(NetworkSpec spec, boolean recurrent) {
    var n = spec.network();
    var local = spec.localEncoder().orElseThrow();
    boolean explicit = local.frames() != LocalEncoder.OFFICIAL;
    if (n.frames() < 1) {
      return; // the frames error covers it
    }
    if (explicit && local.frames() < 0) {
      String official = recurrent ? "T = " + n.frames() : "int(1.5·T) = " + LocalEncoderDecl.officialFocusFrames(n.frames()) + " per clip";
      error(Message.LOCAL_FRAMES, local.src().at("frames"), local.frames(), official);
      return;
    }
    if (explicit && recurrent && local.frames() != n.frames()) {
      error(Message.LOCAL_FRAMES_RECURRENT, local.src().at("frames"), local.frames(), n.frames());
      return;
    }
    int focus = local.framesOrOfficial(n.frames(), recurrent);
    if (focus == 1 && local.temporalShift()) {
      error(Message.SHIFT_FRAMES, local.src().at(explicit ? "frames" : "temporalShift"), focus);
      return;
    }
    long frameValues = (long) n.inputSize() * n.inputSize() * 3;
    if (focus != n.frames() && n.inputSize() >= 1 && (long) n.frames() * frameValues <= MAX_ARRAY) {
      long values = (long) (n.frames() + focus) * frameValues;
      if (values > MAX_ARRAY) {
        // the input clip holds the glance's T frames and the focus network's Tf
        error(Message.CLIP_SIZE, explicit ? local.src().at("frames") : n.src().at("frames"), n.frames() + focus, n.inputSize(),
            n.inputSize(), String.format(Locale.ROOT, "%,d", values), String.format(Locale.ROOT, "%,d", MAX_ARRAY));
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private void error(Message m, Origin at, Object... args) {
    diagnostics.error(m, at, args);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private static String divisors(int n) {
    List<String> out = new ArrayList<>();
    for (int d = 1; d <= n && out.size() < 6; d++) {
      if (n % d == 0) {
        out.add(String.valueOf(d));
      }
    }
    return String.join(", ", out);
  }

  /** A number as the user would write it: 0.5, 1.5, 100. */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    double magnitude = Math.abs(v);
    if (magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e15)) {
      return d.toString().replace("E+", "e").replace('E', 'e'); // 1e-300, 1e300: as the user writes them
    }
    return d.toPlainString();
  }

  /** GFLOPs with two decimals. */
  static String gflops(double v) {
    return new BigDecimal(v).setScale(2, RoundingMode.HALF_UP).toPlainString();
  }
}
