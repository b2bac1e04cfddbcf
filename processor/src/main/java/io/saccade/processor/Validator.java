package io.saccade.processor;

import io.saccade.processor.BackboneLayout.Block;
import io.saccade.processor.BackboneLayout.Kind;
import io.saccade.processor.BackboneLayout.StageLayout;
import io.saccade.processor.NetworkSpec.AnnealDecl;
import io.saccade.processor.NetworkSpec.BackboneDecl;
import io.saccade.processor.NetworkSpec.NavigationDecl;
import io.saccade.processor.NetworkSpec.SpatialDecl;
import io.saccade.processor.NetworkSpec.StageDecl;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
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
      if (!(b.maxGflops() > 0)) {
        error(Message.BUDGET_RANGE, b.src().at("maxGflops"), number(b.maxGflops()));
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
      if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) {
        error(Message.NAME_INVALID, network.src().at("name"), name, suggestIdentifier(name), spec.typeName() + "Network");
      } else if (name.equals(spec.typeName())) {
        error(Message.NAME_INVALID, network.src().at("name"), name, spec.typeName() + "Network", spec.typeName() + "Network");
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

  private static String suggestIdentifier(String name) {
    StringBuilder sb = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (sb.length() == 0 ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c)) {
        sb.append(c);
      }
    }
    return sb.length() == 0 || SourceVersion.isKeyword(sb) ? "MyNetwork" : sb.toString();
  }

  // ---------------------------------------------------------------- which annotations go together

  private boolean checkFamily(NetworkSpec spec) {
    List<String> af = afAnnotations(spec);
    List<String> ada = adaAnnotations(spec);
    if (!af.isEmpty() && !ada.isEmpty()) {
      error(Message.CONFLICT, firstAdaOrigin(spec),
          spec.typeName() + " declares both AFNet (" + String.join(", ", af) + ") and AdaFocusV2 (" + String.join(", ", ada) + ")",
          "A network is one family: keep either the AFNet annotations or the AdaFocusV2 ones");
      return false;
    }
    if (!ada.isEmpty()) {
      if (spec.backbone().isPresent()) {
        error(Message.CONFLICT, spec.backbone().get().src().annotation(),
            "@Backbone has no meaning on the AdaFocusV2 network " + spec.typeName(),
            "AdaFocusV2 names its CNNs in @GlobalEncoder(backbone = ...) and @LocalEncoder(backbone = ...): remove @Backbone");
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
        error(Message.MISSING_ANNOTATION, firstAdaOrigin(spec),
            String.join(", ", ada) + " on " + spec.typeName() + " needs " + String.join(" and ", missing),
            "An AdaFocusV2 network declares @GlobalEncoder, @PatchPolicy and @LocalEncoder together");
        return false;
      }
      return true;
    }
    if (!af.isEmpty()) {
      Origin first = firstAfOrigin(spec);
      if (spec.backbone().isEmpty()) {
        error(Message.MISSING_ANNOTATION, first, String.join(", ", af) + " on " + spec.typeName() + " needs @Backbone",
            "Add @Backbone(Backbones.RESNET50) (or another backbone) to choose the CNN whose stages become adaptive");
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
        String why = spec.navigation().isEmpty()
            ? "the navigation module decides which frames the focal branch computes: add @Navigation(targetRatio = 0.5)"
            : "AFNet needs @AmpleBranch, @FocalBranch and @Navigation together";
        error(Message.MISSING_ANNOTATION, first, String.join(", ", af) + " on " + spec.typeName() + " needs " + String.join(" and ", missing),
            Character.toUpperCase(why.charAt(0)) + why.substring(1));
        return false;
      }
      return true;
    }
    if (spec.backbone().isEmpty()) {
      error(Message.MISSING_ANNOTATION, spec.network().src().annotation(), spec.typeName() + " declares no CNN",
          "Add @Backbone(Backbones.RESNET50) for a dense or AFNet network, or @GlobalEncoder, @PatchPolicy and @LocalEncoder for AdaFocusV2");
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
      error(Message.INPUT_SIZE, n.src().at("inputSize"), "inputSize", n.inputSize(), cnn, nearestMultiples(n.inputSize()));
    }
    if (!(n.dropout() >= 0 && n.dropout() < 1)) {
      error(Message.DROPOUT, n.src().at("dropout"), number(n.dropout()));
    }
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
    if (BackboneLayout.of(b.value()).kind() != Kind.RESNET) {
      if (w != 1) {
        error(Message.WIDTH, at, number(w), "is not supported for " + b.value() + ": only ResNets have a width multiplier",
            "Use width = 1.0 (the default) with a MobileNet, or a ResNet backbone");
        return false;
      }
      return true;
    }
    if (!(w > 0 && w <= BackboneLayout.MAX_WIDTH)) {
      error(Message.WIDTH, at, number(w), "is outside (0, " + number(BackboneLayout.MAX_WIDTH) + "]",
          "1.0 gives the published widths, 0.25 a quarter of the channels");
      return false;
    }
    if (BackboneLayout.resnetStem(w).isEmpty()) {
      error(Message.WIDTH, at, number(w), "gives " + number(BackboneLayout.RESNET_STEM * w) + " stem channels, not a whole number",
          "Use a multiple of 1/64 (stem channels 64·width)" + didYouMean(nearestWidths(null, b, w)));
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
    widthProblem(spec, b, b.width()).ifPresent(problem -> error(Message.WIDTH, b.src().at("width"), number(b.width()), problem,
        "Use a width whose channels fit" + didYouMean(nearestWidths(spec, b, b.width()))));
  }

  /**
   * Why {@code width} does not fit {@code spec}, if it does not; {@code spec} null checks only that the
   * channel counts are whole.
   */
  private static Optional<String> widthProblem(NetworkSpec spec, BackboneDecl b, double width) {
    if (BackboneLayout.resnetStem(width).isEmpty()) {
      return Optional.of("gives " + number(BackboneLayout.RESNET_STEM * width) + " stem channels, not a whole number");
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
          return Optional.of("leaves stage " + i + " with " + inner + " bottleneck channels, which channelDivisor = " + alpha
              + " does not divide");
        }
        Set<Integer> focal = new TreeSet<>();
        for (Block block : s.blocks().subList(0, s.blocks().size() - 1)) {
          focal.addAll(List.of(block.in(), block.mid(), block.out()));
        }
        if (focal.stream().anyMatch(c -> c % groups != 0)) {
          return Optional.of("leaves stage " + i + " with focal convolutions of "
              + focal.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " channels, which groups = " + groups
              + " does not divide");
        }
        if (s.out() < Sizer.FUSION_REDUCTION) {
          return Optional.of("leaves stage " + i + " with " + s.out() + " output channels, fewer than the "
              + Sizer.FUSION_REDUCTION + " its fusion attention divides them by");
        }
      }
    }
    if (b.temporalShift() && b.shiftDivisor() >= 1) {
      int narrowest = narrowestShiftedInput(spec, layout);
      if (b.shiftDivisor() > narrowest) {
        return Optional.of("leaves a block with " + narrowest + " input channels, too few to shift 1/" + b.shiftDivisor()
            + " of them each way");
      }
    }
    return Optional.empty();
  }

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
      error(Message.SHIFT_DIVISOR, b.src().at("shiftDivisor"), b.shiftDivisor(),
          "must be at least 2: C/shiftDivisor channels move forward and as many back");
      return;
    }
    BackboneLayout layout = spec.family() == NetworkSpec.Family.AFNET ? BackboneLayout.afNet(b.value()) : BackboneLayout.of(b.value());
    int narrowest = narrowestShiftedInput(spec, layout);
    if (b.shiftDivisor() > narrowest) {
      error(Message.SHIFT_DIVISOR, b.src().at("shiftDivisor"), b.shiftDivisor(),
          "leaves no channel to shift in the narrowest block input of " + b.value() + " (" + narrowest + " channels)");
      return;
    }
    if (b.shiftDivisor() != 8) {
      error(Message.UNSUPPORTED, b.src().at("shiftDivisor"), "shiftDivisor = " + b.shiftDivisor(),
          "The runtime's blocks shift 1/8 of the channels; use shiftDivisor = 8");
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
    if (typeLevel && !(nav.lossWeight() >= 0)) {
      error(Message.LOSS_WEIGHT, nav.src().at("lossWeight"), number(nav.lossWeight()));
    }
    AnnealDecl t = nav.temperature();
    boolean positive = true;
    if (!(t.from() > 0)) {
      error(Message.TEMPERATURE_POSITIVE, t.src().at("from"), "from", number(t.from()));
      positive = false;
    }
    if (!(t.to() > 0)) {
      error(Message.TEMPERATURE_POSITIVE, t.src().at("to"), "to", number(t.to()));
      positive = false;
    }
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
    if (!(nav.keepMargin() > 0) || Double.isInfinite(nav.keepMargin()) || nav.keepMargin() > 1e6) {
      error(Message.KEEP_MARGIN, nav.src().at("keepMargin"), number(nav.keepMargin()));
    }
    for (SpatialDecl s : nav.spatial()) {
      checkRatio(s.targetRatio(), s.src().at("targetRatio"), "positions of a selected frame");
    }
    if (!typeLevel) {
      for (String networkWide : List.of("lossWeight", "temperature")) {
        if (nav.src().isExplicit(networkWide)) {
          error(Message.STAGE_OVERRIDE, nav.src().at(networkWide), networkWide + " is network-wide and cannot change per stage",
              "Set it on the type's @Navigation");
        }
      }
    }
  }

  private void checkRatio(double ratio, Origin at, String ofWhat) {
    if (ratio > 0 && ratio <= 1) {
      return;
    }
    String didYouMean = ratio > 1 && ratio <= 100 ? " Did you mean " + number(ratio / 100) + "?" : "";
    error(Message.RATIO_RANGE, at, "targetRatio", number(ratio), ofWhat, didYouMean);
  }

  /** Stage indices, duplicates and overrides; true when the adaptive stages are well defined. */
  private boolean checkStages(NetworkSpec spec, BackboneLayout layout) {
    int before = diagnostics.errorCount();
    Set<Integer> seen = new HashSet<>();
    for (StageDecl s : spec.stages()) {
      if (s.index() < 1 || s.index() > layout.lastStage()) {
        String hint = s.index() == 0
            ? "Stages are numbered from 1, after the stem"
            : "Use an index from 1 to " + layout.lastStage();
        error(Message.STAGE_INDEX, s.src().at("index"), s.index(), layout.id(), 1, layout.lastStage(), hint);
        continue;
      }
      if (!seen.add(s.index())) {
        error(Message.STAGE_DUPLICATE, s.src().at("index"), s.index(), s.index());
        continue;
      }
      if (s.navigation().size() > 1) {
        error(Message.STAGE_OVERRIDE, s.src().at("navigation"), "@Stage(index = " + s.index() + ") declares "
            + s.navigation().size() + " @Navigation annotations", "Give a stage at most one @Navigation");
      } else if (!s.af() && !s.navigation().isEmpty()) {
        error(Message.STAGE_OVERRIDE, s.src().at("navigation"), "stage " + s.index() + " is dense (af = false) but declares a @Navigation",
            "Remove af = false to make the stage adaptive with this navigation, or remove the navigation");
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
      Optional<String> problem = Optional.empty();
      String hint = "";
      if (stage.blocks().size() < 2) {
        problem = Optional.of("it has only " + stage.blocks().size() + " block; an AFNet stage needs at least 2");
        hint = "Keep stage " + i + " dense (af = false)";
      } else if (stage.stride() != 1 && i == 1) {
        problem = Optional.of("its downsampling would have to move into the stem");
        hint = "Keep stage 1 dense and make later stages adaptive";
      } else if (stage.stride() != 1 && !adaptive.contains(i - 1)) {
        StageLayout previous = layout.stage(i - 1);
        if (previous.blocks().size() == 1 && previous.stride() != 1) {
          problem = Optional.of("its downsampling would have to move into stage " + (i - 1) + ", whose only block already downsamples");
          hint = "Make stage " + (i - 1) + " adaptive too, or keep stage " + i + " dense";
        }
      }
      if (problem.isPresent()) {
        error(Message.STAGE_LAYOUT, stageOrigin(spec, i), i, layout.id(), problem.get(), hint);
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
      error(Message.AMPLE_CHANNELS, ample.src().at("channelDivisor"), alpha, "must be at least 1 (or AmpleBranch.OFFICIAL)",
          "The official ample branch of a ResNet halves the channels: channelDivisor = 2");
    } else if (layout.kind() == Kind.MOBILENET && alpha > 1) {
      error(Message.AMPLE_CHANNELS, ample.src().at("channelDivisor"), alpha,
          "does not fit " + layout.id() + ": its ample blocks keep the focal channels, as in the official code",
          "Use channelDivisor = 1 or AmpleBranch.OFFICIAL");
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
        error(Message.AMPLE_CHANNELS, ample.src().at("channelDivisor"), alpha,
            "does not divide the bottleneck width of stage " + bad.get().index() + " (" + bad.get().out() / 4 + " channels)",
            "Use a divisor of " + gcd + ", e.g. " + divisors(gcd));
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
        error(Message.INPUT_SIZE, global.src().at("inputSize"), "inputSize", global.inputSize(), global.backbone(),
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
        error(Message.CONFLICT, x.src().annotation(),
            "@ConditionalExit stops after the first confident frame, but @PatchPolicy(recurrent = false) predicts once per clip",
            "Remove @ConditionalExit, or use @PatchPolicy(recurrent = true)");
      }
    });
    spec.classifier().ifPresent(c -> {
      if (!patch.recurrent()) {
        error(Message.CONFLICT, c.src().annotation(),
            "@Classifier describes the recurrent variant's classifier, but @PatchPolicy(recurrent = false) sums the encoders' own heads",
            "Remove @Classifier, or use @PatchPolicy(recurrent = true)");
      } else if (c.hidden() < 1) {
        error(Message.CLASSIFIER_HIDDEN, c.src().at("hidden"), c.hidden());
      }
    });
    if (n.frames() == 1) {
      if (global.temporalShift()) {
        error(Message.SHIFT_FRAMES, global.src().at("temporalShift"), n.frames());
      }
      var local = spec.localEncoder().orElseThrow();
      if (local.temporalShift()) {
        error(Message.SHIFT_FRAMES, local.src().at("temporalShift"), n.frames());
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
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** GFLOPs with two decimals. */
  static String gflops(double v) {
    return new BigDecimal(v).setScale(2, RoundingMode.HALF_UP).toPlainString();
  }
}
