package io.saccade.processor;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeSpec;
import io.saccade.architecture.AdaFocusV2Layout;
import io.saccade.architecture.BackboneLayout;
import io.saccade.dsl.Classifier;
import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.Interpolation;
import io.saccade.processor.NetworkPlan.CnnPlan;
import io.saccade.processor.NetworkPlan.FocusPlan;
import io.saccade.processor.NetworkPlan.StagePlan;
import io.saccade.processor.Writer.Argument;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import static io.saccade.processor.RuntimeTypes.ADAFOCUS;
import static io.saccade.processor.RuntimeTypes.ADAFOCUS_SPEC;
import static io.saccade.processor.RuntimeTypes.BUILD_CONTEXT;
import static io.saccade.processor.RuntimeTypes.FLOATS;
import static io.saccade.processor.RuntimeTypes.OPTIONAL;

/**
 * Writes what an AdaFocusV2 adds to the class: the policy's and encoders' sizes, the {@code SPEC} the
 * runtime's {@code AdaFocusV2.build} takes, and the two encoders it calls, each a per-frame CNN.
 *
 * <pre>{@code
 * Writer.FamilyWriter adaFocus = new AdaFocusWriter(spec, plan, sizing);
 * }</pre>
 */
final class AdaFocusWriter implements Writer.FamilyWriter {

  private final NetworkSpec spec;
  private final NetworkPlan plan;
  private final FocusPlan focus;
  private final Sizing sizing;

  AdaFocusWriter(NetworkSpec spec, NetworkPlan plan, Sizing sizing) {
    this.spec = spec;
    this.plan = plan;
    this.focus = plan.focus().orElseThrow();
    this.sizing = sizing;
  }

  @Override
  public void settings(TypeSpec.Builder type) {
    if (!focus.recurrent() && !Writer.separateFocusFrames(plan)) {
      type.addField(FieldSpec.builder(int.class, "FOCUS_FRAMES", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Frames per clip the local CNN sees: the glance's own (declared; the official code samples int(1.5·T) apart).\n")
          .initializer("FRAMES").build());
    }
    type.addField(Writer.intConstant("GLOBAL_INPUT_SIZE", focus.global().inputSize(), "Side of the frames the global CNN sees."));
    type.addField(Writer.intConstant("PATCH_SIZE", focus.patchSize(), "Side of the patch the local CNN sees."));
    type.addField(Writer.intConstant("POLICY_CONV_CHANNELS", AdaFocusV2Layout.POLICY_CHANNELS, "Channels of the policy's 1x1 conv on the global feature map."));
    type.addField(Writer.intConstant("POLICY_HIDDEN", focus.policyHidden(), focus.recurrent()
        ? "Width of the policy's GRU."
        : "Width of the policy's first hidden layer (the second is half of it)."));
    if (focus.recurrent()) {
      type.addField(Writer.intConstant("HIDDEN", focus.hidden(), "Width of the recurrent classifier's hidden layer."));
    }
  }

  @Override
  public void specs(TypeSpec.Builder type) {
    List<Argument> args = new ArrayList<>();
    args.add(Argument.named("FRAMES"));
    if (!focus.recurrent()) {
      args.add(Argument.named("FOCUS_FRAMES"));
    }
    for (String constant : List.of("CLASSES", "INPUT_SIZE", "GLOBAL_INPUT_SIZE", "PATCH_SIZE")) {
      args.add(Argument.named(constant));
    }
    args.add(focus.recurrent()
        ? Argument.of("recurrent: a GRU policy gives one patch per frame", "true")
        : Argument.of("per clip: one patch for the whole clip, from every frame's map", "false"));
    args.add(Argument.of("", "$T.$L", Interpolation.class, focus.interpolation().name()));
    args.add(Argument.named("POLICY_CONV_CHANNELS"));
    args.add(Argument.named("POLICY_HIDDEN"));
    args.add(focus.recurrent()
        ? Argument.named("HIDDEN")
        : Argument.of("unused: the per-clip variant has no recurrent classifier", "$T.OFFICIAL_HIDDEN", Classifier.class));
    args.add(Argument.named("DROPOUT"));
    args.add(focus.exitOrder().isPresent()
        ? Argument.of("conditional exit", "$T.of($T.$L)", OPTIONAL, FrameOrder.class, focus.exitOrder().get().name())
        : Argument.of("no conditional exit", "$T.empty()", OPTIONAL));
    args.add(Argument.named("GFLOPS_PER_CLIP"));
    type.addField(FieldSpec.builder(ADAFOCUS_SPEC, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Everything {@link $T#build} needs besides the two encoders, as declared.\n", ADAFOCUS)
        .initializer(Writer.explainedCall(CodeBlock.of("new $T", ADAFOCUS_SPEC), args, ")"))
        .build());
  }

  @Override
  public void methods(TypeSpec.Builder type) {
    type.addMethod(build());
    for (String prefix : List.of("global", "local")) {
      CnnPlan cnn = prefix.equals("global") ? focus.global() : focus.local();
      type.addMethod(encoder(prefix, cnn));
      CnnWriter.denseMethods(type, prefix, plan, cnn, sizing);
    }
  }

  private MethodSpec build() {
    ClassName self = ClassName.get(spec.packageName(), spec.generatedName());
    MethodSpec.Builder m = Writer.buildSignature()
        .addJavadoc("Global CNN on every frame, patch policy, local CNN on the patches, classifier: see {@link $T}.\n", ADAFOCUS);
    if (Writer.separateFocusFrames(plan)) {
      m.addJavadoc("{@code clips} are {@code [N, CLIP_FRAMES, INPUT_SIZE, INPUT_SIZE, 3]}:\n");
      m.addJavadoc("the global CNN and the policy see the first FRAMES, the local CNN the patch,\n");
      m.addJavadoc("at the clip's one position, of each of the last FOCUS_FRAMES.\n");
    }
    return m.addJavadoc("{@code temperature} is unused (AdaFocusV2 has no Gumbel sampling).\n")
        .addStatement("return $T.build(ctx, clips, SPEC,$W$T::globalEncoder,$W$T::localEncoder)", ADAFOCUS, self, self)
        .build();
  }

  /** The whole encoder: stem, stages and, for a MobileNet, its last 1x1 conv; no pooling or classifier. */
  private static MethodSpec encoder(String prefix, CnnPlan cnn) {
    BackboneLayout layout = cnn.layout();
    int side = Sizer.ceil(cnn.inputSize(), BackboneLayout.TOTAL_STRIDE);
    int channels = layout.head().lastConv() > 0 ? layout.head().lastConv() : layout.stages().get(layout.stages().size() - 1).out();
    String shift = cnn.shiftFrames() > 0 ? " with temporal shift" : "";
    MethodSpec.Builder m = MethodSpec.methodBuilder(prefix + "Encoder")
        .addJavadoc("The $L CNN, $L$L: $Lx$L frames to $L feature maps.\n", prefix, layout.id(), shift, cnn.inputSize(),
            cnn.inputSize(), Format.shape(side, side, channels))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(FLOATS)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "frames")
        .addStatement("$T x = $L(ctx.child($S), frames)", FLOATS, CnnWriter.method(prefix, "stem"), "stem");
    for (StagePlan s : cnn.stages()) {
      m.addStatement("x = $L(ctx.child($S), x)", CnnWriter.method(prefix, s.name()), s.name());
    }
    if (layout.head().lastConv() > 0) {
      m.addStatement("return $L", CnnWriter.lastConv(cnn));
    } else {
      m.addStatement("return x");
    }
    return m.build();
  }
}
