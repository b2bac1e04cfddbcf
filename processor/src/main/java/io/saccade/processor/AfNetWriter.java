package io.saccade.processor;

import static io.saccade.processor.RuntimeTypes.AF_RESULT;
import static io.saccade.processor.RuntimeTypes.AF_STAGE;
import static io.saccade.processor.RuntimeTypes.AF_STAGE_SPEC;
import static io.saccade.processor.RuntimeTypes.ARRAY_LIST;
import static io.saccade.processor.RuntimeTypes.BUILD_CONTEXT;
import static io.saccade.processor.RuntimeTypes.CLIP_GFLOPS;
import static io.saccade.processor.RuntimeTypes.FLOATS;
import static io.saccade.processor.RuntimeTypes.LIST;
import static io.saccade.processor.RuntimeTypes.MOBILENET_AF_STAGE;
import static io.saccade.processor.RuntimeTypes.MOBILENET_AF_STAGE_SPEC;
import static io.saccade.processor.RuntimeTypes.NAVIGATION_SPEC;
import static io.saccade.processor.RuntimeTypes.NAVIGATION_TRAINING;
import static io.saccade.processor.RuntimeTypes.SELECTION;

import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeSpec;
import io.saccade.architecture.BackboneLayout.Kind;
import io.saccade.dsl.Navigation;
import io.saccade.processor.NetworkPlan.AfStagePlan;
import io.saccade.processor.NetworkPlan.CnnPlan;
import io.saccade.processor.NetworkPlan.DenseStagePlan;
import io.saccade.processor.NetworkPlan.NavigationPlan;
import io.saccade.processor.NetworkPlan.StagePlan;
import io.saccade.processor.Sizing.Row;
import io.saccade.processor.Writer.Argument;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * Writes what an AFNet adds to the class: the navigation's settings and training schedule, the cost
 * bounds, and a {@code build} whose adaptive stages return their frame masks and the GFLOPs they spent.
 * Every argument of a positional spec says what it is, and a stride moved from where torchvision puts it
 * says why.
 *
 * <pre>{@code
 * Writer.FamilyWriter afNet = new AfNetWriter(spec, plan, sizing, allSelected);
 * }</pre>
 */
final class AfNetWriter implements Writer.FamilyWriter {

  private final NetworkSpec spec;
  private final NetworkPlan plan;
  private final CnnPlan cnn;
  private final Sizing sizing;
  private final Sizing allSelected;
  private final double typeRatio;

  AfNetWriter(NetworkSpec spec, NetworkPlan plan, Sizing sizing, Sizing allSelected) {
    this.spec = spec;
    this.plan = plan;
    this.cnn = plan.cnn().orElseThrow();
    this.sizing = sizing;
    this.allSelected = allSelected;
    this.typeRatio = spec.navigation().orElseThrow().targetRatio();
  }

  @Override
  public void settings(TypeSpec.Builder type) {
    var schedule = plan.schedule().orElseThrow();
    AfStagePlan first = cnn.stages().stream()
        .filter(AfStagePlan.class::isInstance).map(AfStagePlan.class::cast).findFirst().orElseThrow();
    type.addField(Writer.floatConstant("TARGET_RATIO", typeRatio, "Target ratio RT of selected frames (stages without an override)."));
    type.addField(Writer.floatConstant("LOSS_WEIGHT", schedule.lossWeight(), "Weight of the ratio loss."));
    type.addField(Writer.floatConstant("TEMPERATURE_FROM", schedule.temperatureFrom(), "Gumbel temperature at the start of training."));
    type.addField(Writer.floatConstant("TEMPERATURE_TO", schedule.temperatureTo(), "Gumbel temperature after annealing, and at evaluation."));
    type.addField(Writer.intConstant("ANNEAL_EPOCHS", schedule.annealEpochs(), "Epochs over which the temperature falls."));
    type.addField(Writer.intConstant("CHANNEL_DIVISOR", first.alpha(), "Channel divisor of the ample branch."));
    type.addField(Writer.intConstant("GROUPS", first.groups(), "Groups of the focal convolutions."));
    type.addField(FieldSpec.builder(NAVIGATION_TRAINING, "NAVIGATION_TRAINING", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Ratio-loss weight and temperature schedule, as declared (each float read back as its declared decimal).\n")
        .initializer("$T.declared(LOSS_WEIGHT,$WTEMPERATURE_FROM,$WTEMPERATURE_TO,$WANNEAL_EPOCHS)", NAVIGATION_TRAINING)
        .build());
  }

  @Override
  public void costs(TypeSpec.Builder type) {
    type.addField(Writer.doubleConstant("FIXED_GFLOPS_PER_CLIP", sizing.fixedGflopsPerClip(),
        "GFLOPs per clip of the stages whose cost does not depend on navigation."));
    type.addField(Writer.doubleConstant("UPPER_GFLOPS_PER_CLIP", allSelected.gflopsPerClip(),
        "GFLOPs per clip when navigation selects every frame (every target ratio 1)."));
  }

  @Override
  public void methods(TypeSpec.Builder type) {
    type.addMethod(Writer.accessor("navigationTraining", NAVIGATION_TRAINING).addStatement("return NAVIGATION_TRAINING").build());
    type.addMethod(build());
    type.addMethod(CnnWriter.stem("", plan, cnn));
    boolean mobile = cnn.layout().kind() == Kind.MOBILENET;
    for (StagePlan s : cnn.stages()) {
      if (s instanceof AfStagePlan a) {
        type.addMethod(mobile ? mobileAfStage(a) : afStage(a));
      } else {
        type.addMethod(CnnWriter.denseStage("", plan, cnn, (DenseStagePlan) s, sizing));
      }
    }
    if (mobile) {
      type.addMethod(CnnWriter.mobileHead(cnn));
    }
  }

  private MethodSpec build() {
    MethodSpec.Builder m = Writer.buildSignature();
    DenseWriter.begin(m);
    List<String> adaptive = new ArrayList<>();
    for (StagePlan s : cnn.stages()) {
      if (s instanceof AfStagePlan) {
        m.addStatement("$T $L = $L(ctx.child($S), x, temperature)", AF_RESULT, s.name(), s.name(), s.name());
        m.addStatement("x = $L.output()", s.name());
        adaptive.add(s.name());
      } else {
        m.addStatement("x = $L(ctx.child($S), x)", s.name(), s.name());
      }
      m.addStatement("endpoints.put($S, x)", s.name());
    }
    DenseWriter.logits(m, cnn);
    m.addStatement("$T<$T> selections = new $T<>()", LIST, SELECTION, ARRAY_LIST);
    for (String s : adaptive) {
      m.addStatement("selections.addAll($L.selections())", s);
    }
    m.addComment("GFLOPs per clip: what the adaptive stages spent plus the fixed cost of the rest");
    m.addStatement("$T gflops = $T.constant(tf, logits.clipLogits(), FIXED_GFLOPS_PER_CLIP)", FLOATS, CLIP_GFLOPS);
    for (String s : adaptive) {
      m.addStatement("gflops = tf.math.add(gflops, $L.gflops())", s);
    }
    m.addCode("$L\n", DenseWriter.outputs(Argument.of("frame masks, one per navigation layer", "selections")));
    return m.build();
  }

  /** {@code stageN(ctx, x, temperature)}, documented, with its navigation first when it is not the official one. */
  private MethodSpec.Builder stageMethod(AfStagePlan a, String blocks) {
    Row row = sizing.row(a.name());
    int pairs = a.blocks().size() - 1;
    MethodSpec.Builder m = MethodSpec.methodBuilder(a.name())
        .addJavadoc("Stage $L, adaptive (AFNet): $L ample and $L focal $L with navigation, then fusion.\n", a.index(), pairs, pairs, blocks)
        .addJavadoc("Output $L.\n", Format.shape(row.height(), row.width(), row.channels()))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(AF_RESULT)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "x")
        .addParameter(FLOATS, "temperature");
    if (a.fusionStride() != 1) {
      m.addComment("the fusion block's stride $L is stage $L's downsampling, moved here from that stage's first block (where",
          a.fusionStride(), a.index() + 1);
      m.addComment("torchvision puts it) because AFNet runs an adaptive stage at its input resolution");
    }
    if (!official(a.navigation())) {
      m.addCode("$L\n", navigation(a.navigation()));
    }
    return m;
  }

  private MethodSpec afStage(AfStagePlan a) {
    List<Argument> args = new ArrayList<>(List.of(
        Argument.of("blocks of the dense stage", "$L", a.blocks().size()),
        Argument.of("input channels", "$L", a.in()),
        Argument.of("output channels", "$L", a.out()),
        Argument.named("CHANNEL_DIVISOR"),
        Argument.named("GROUPS"),
        Argument.of(fusionStride(a), "$L", a.fusionStride()),
        Argument.named("FRAMES"),
        Argument.of("temporal shift", "$L", cnn.shiftFrames() > 0),
        navigationArgument(a)));
    shiftDivisor().ifPresent(args::add);
    return stageMethod(a, "blocks")
        .addCode("$L\n", Writer.explainedCall(CodeBlock.of("$T spec = new $T", AF_STAGE_SPEC, AF_STAGE_SPEC), args, ");"))
        .addStatement("return $T.build(ctx, x, spec, temperature)", AF_STAGE)
        .build();
  }

  private MethodSpec mobileAfStage(AfStagePlan a) {
    int n = a.blocks().size();
    List<CodeBlock> blocks = new ArrayList<>();
    for (int j = 0; j < n - 1; j++) {
      // the stage sets strides, groups and shifts of its ample and focal blocks
      blocks.add(CnnWriter.invertedResidual(plan, cnn, a.blocks().get(j).withStride(1), false));
    }
    CodeBlock list = CodeBlock.of("$T.of(\n$>$>$L$<$<)", LIST, CodeBlock.join(blocks, ",\n"));
    String fusion = a.fusionStride() == 1 ? "fusion block" : "fusion block, with the next stage's stride: see above";
    List<Argument> args = new ArrayList<>(List.of(
        Argument.of("input channels", "$L", a.in()),
        Argument.of("ample and focal blocks", "$L", list),
        Argument.of(fusion, "$L", CnnWriter.invertedResidual(plan, cnn, a.blocks().get(n - 1).withStride(a.fusionStride()), false)),
        Argument.named("GROUPS"),
        Argument.named("FRAMES"),
        Argument.of("temporal shift", "$L", cnn.shiftFrames() > 0),
        navigationArgument(a)));
    shiftDivisor().ifPresent(args::add);
    return stageMethod(a, "inverted residuals")
        .addCode("$L\n", Writer.explainedCall(CodeBlock.of("$T spec = new $T", MOBILENET_AF_STAGE_SPEC, MOBILENET_AF_STAGE_SPEC), args, ");"))
        .addStatement("return $T.build(ctx, x, spec, temperature)", MOBILENET_AF_STAGE)
        .build();
  }

  /** What the fusion block's stride is; why it is not 1 is said above the spec. */
  private static String fusionStride(AfStagePlan a) {
    return a.fusionStride() == 1 ? "stride of the fusion block" : "stride of the fusion block: the next stage's, see above";
  }

  /** The AF stage spec's trailing shift divisor: none for the official 1/8. */
  private Optional<Argument> shiftDivisor() {
    return cnn.shiftFrames() == 0 || cnn.shiftDivisor() == CnnWriter.DEFAULT_SHIFT_DIVISOR
        ? Optional.empty()
        : Optional.of(Argument.named("SHIFT_DIVISOR"));
  }

  private String ratio(NavigationPlan nav) {
    return nav.targetRatio() == typeRatio ? "TARGET_RATIO" : Literals.floatLiteral(nav.targetRatio());
  }

  private static boolean official(NavigationPlan nav) {
    return nav.keepMargin() == Navigation.OFFICIAL_KEEP_MARGIN && !nav.mixFrames() && nav.spatialRatio() == 0;
  }

  /** {@code NavigationSpec.official(TARGET_RATIO)}, or the {@code navigation} local the stage method declares. */
  private Argument navigationArgument(AfStagePlan a) {
    return official(a.navigation())
        ? Argument.of("", "$T.official($L)", NAVIGATION_SPEC, ratio(a.navigation()))
        : Argument.named("navigation");
  }

  /** {@code NavigationSpec navigation = new NavigationSpec(...);}, each argument explained. */
  private CodeBlock navigation(NavigationPlan nav) {
    List<Argument> args = new ArrayList<>(List.of(
        Argument.of(nav.targetRatio() == typeRatio ? "" : "target ratio of frames", "$L", ratio(nav)),
        Argument.of(nav.mixFrames() ? "mix frames: one 2T to 2T conv across the clip" : "official per-frame logits, no mixing",
            "$L", nav.mixFrames()),
        Argument.of(nav.spatialRatio() == 0 ? "no spatial mask" : "target ratio of the spatial mask's positions",
            "$L", Literals.floatLiteral(nav.spatialRatio()))));
    if (nav.keepMargin() != Navigation.OFFICIAL_KEEP_MARGIN) {
      args.add(Argument.of("keep margin: logits \"keep\" starts above \"skip\"", "$L", Literals.floatLiteral(nav.keepMargin())));
    }
    return Writer.explainedCall(CodeBlock.of("$T navigation = new $T", NAVIGATION_SPEC, NAVIGATION_SPEC), args, ");");
  }
}
