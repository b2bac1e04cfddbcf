package io.saccade.processor;

import com.squareup.javapoet.AnnotationSpec;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.Interpolation;
import io.saccade.dsl.Navigation;
import io.saccade.processor.BackboneLayout.Block;
import io.saccade.processor.BackboneLayout.Kind;
import io.saccade.processor.NetworkPlan.AfStagePlan;
import io.saccade.processor.NetworkPlan.CnnPlan;
import io.saccade.processor.NetworkPlan.DenseStagePlan;
import io.saccade.processor.NetworkPlan.FocusPlan;
import io.saccade.processor.NetworkPlan.NavigationPlan;
import io.saccade.processor.NetworkPlan.Shortcut;
import io.saccade.processor.NetworkPlan.StagePlan;
import io.saccade.processor.NetworkSpec.Family;
import io.saccade.processor.Sizing.Row;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Modifier;

/**
 * Writes the generated class for a sized {@link NetworkPlan} with JavaPoet: constants for everything
 * the processor inferred, a {@code SUMMARY}, and a {@code build} method that reads like the
 * declaration, one private method per stage whose op scope and parameter path is the stage's name.
 * Deterministic: the same declaration always gives the same bytes.
 *
 * <pre>{@code
 * JavaFile file = new Writer(true).write(spec, plan, sizing);
 * }</pre>
 */
final class Writer {

  static final String PROCESSOR = "io.saccade.processor.NetworkProcessor";

  private static final String RUNTIME = "io.saccade.runtime";
  private static final ClassName VIDEO_MODEL = ClassName.get(RUNTIME + ".model", "VideoModel");
  private static final ClassName MODEL_OUTPUTS = ClassName.get(RUNTIME + ".model", "ModelOutputs");
  private static final ClassName SELECTION = MODEL_OUTPUTS.nestedClass("Selection");
  private static final ClassName MODEL_SUMMARY = ClassName.get(RUNTIME + ".model", "ModelSummary");
  private static final ClassName NAVIGATION_TRAINING = ClassName.get(RUNTIME + ".model", "NavigationTraining");
  private static final ClassName BUILD_CONTEXT = ClassName.get(RUNTIME + ".nn", "BuildContext");
  private static final ClassName HEADS = ClassName.get(RUNTIME + ".blocks", "Heads");
  private static final ClassName LOGITS = HEADS.nestedClass("Logits");
  private static final ClassName RESNET = ClassName.get(RUNTIME + ".blocks", "ResNet");
  private static final ClassName BOTTLENECK_SPEC = ClassName.get(RUNTIME + ".blocks", "BottleneckSpec");
  private static final ClassName AF_STAGE = ClassName.get(RUNTIME + ".blocks", "AfStage");
  private static final ClassName AF_RESULT = AF_STAGE.nestedClass("Result");
  private static final ClassName AF_STAGE_SPEC = ClassName.get(RUNTIME + ".blocks", "AfStageSpec");
  private static final ClassName NAVIGATION_SPEC = ClassName.get(RUNTIME + ".blocks", "NavigationSpec");
  private static final ClassName MOBILENET = ClassName.get(RUNTIME + ".blocks", "MobileNetV3");
  private static final ClassName ADAFOCUS = ClassName.get(RUNTIME + ".blocks", "AdaFocusV2");
  private static final ClassName ADAFOCUS_SPEC = ClassName.get(RUNTIME + ".blocks", "AdaFocusV2Spec");
  private static final ClassName IR_SPEC = ClassName.get(RUNTIME + ".blocks", "MobileNetInvertedResidualSpec");
  private static final ClassName IR_ACTIVATION = IR_SPEC.nestedClass("Activation");
  private static final ClassName IR_EXCITATION = IR_SPEC.nestedClass("Excitation");
  private static final ClassName MOBILENET_AF_STAGE = ClassName.get(RUNTIME + ".blocks", "MobileNetAfStage");
  private static final ClassName MOBILENET_AF_STAGE_SPEC = ClassName.get(RUNTIME + ".blocks", "MobileNetAfStageSpec");
  private static final ClassName OPS = ClassName.get("org.tensorflow.op", "Ops");
  private static final ClassName OPERAND = ClassName.get("org.tensorflow", "Operand");
  private static final ClassName TFLOAT32 = ClassName.get("org.tensorflow.types", "TFloat32");
  private static final ClassName TINT32 = ClassName.get("org.tensorflow.types", "TInt32");
  private static final TypeName FLOATS = ParameterizedTypeName.get(OPERAND, TFLOAT32);
  private static final TypeName INTS = ParameterizedTypeName.get(OPERAND, TINT32);
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  private static final ClassName LIST = ClassName.get(List.class);
  private static final ClassName ARRAY_LIST = ClassName.get(ArrayList.class);
  private static final ClassName MAP = ClassName.get("java.util", "Map");
  private static final ClassName LINKED_HASH_MAP = ClassName.get("java.util", "LinkedHashMap");

  /** The official TSM shift, 1/8 of the channels each way: the runtime's default, so not written out. */
  private static final int DEFAULT_SHIFT_DIVISOR = 8;

  private final boolean generatedAvailable;

  /** @param generatedAvailable whether {@code javax.annotation.processing.Generated} is on the compile classpath */
  Writer(boolean generatedAvailable) {
    this.generatedAvailable = generatedAvailable;
  }

  /** The source file of {@code spec}'s network. */
  JavaFile write(NetworkSpec spec, NetworkPlan plan, Sizing sizing) {
    return write(spec, plan, sizing, sizing);
  }

  /**
   * The source file of {@code spec}'s network; {@code allSelected} is the sizing with every AFNet stage
   * at RT = 1 (the cost when navigation keeps every frame).
   */
  JavaFile write(NetworkSpec spec, NetworkPlan plan, Sizing sizing, Sizing allSelected) {
    TypeSpec.Builder type = TypeSpec.classBuilder(spec.generatedName())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(VIDEO_MODEL)
        .addJavadoc(classDoc(spec, plan, sizing));
    if (generatedAvailable) {
      type.addAnnotation(AnnotationSpec.builder(GENERATED).addMember("value", "$S", PROCESSOR).build());
    }
    if (spec.type().element() != null) {
      type.addOriginatingElement(spec.type().element());
    }
    constants(type, spec, plan, sizing, allSelected);
    accessors(type, spec, plan);
    if (plan.family() == Family.AFNET) {
      type.addMethod(MethodSpec.methodBuilder("navigationTraining").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .returns(NAVIGATION_TRAINING).addStatement("return NAVIGATION_TRAINING").build());
    }
    if (plan.cnn().isPresent()) {
      CnnPlan cnn = plan.cnn().orElseThrow();
      boolean mobile = cnn.layout().kind() == Kind.MOBILENET;
      type.addMethod(build(plan, cnn));
      double typeRatio = spec.navigation().map(NetworkSpec.NavigationDecl::targetRatio).orElse(0.0);
      encoderMethods(type, "", plan, cnn, typeRatio, sizing);
      if (mobile) {
        type.addMethod(mobileHead(cnn));
      }
      type.addMethod(perClip());
    } else {
      FocusPlan focus = plan.focus().orElseThrow();
      type.addMethod(adaFocusBuild(spec, plan));
      type.addMethod(encoder("global", plan, focus.global()));
      encoderMethods(type, "global", plan, focus.global(), 0, sizing);
      type.addMethod(encoder("local", plan, focus.local()));
      encoderMethods(type, "local", plan, focus.local(), 0, sizing);
    }
    JavaFile.Builder file = JavaFile.builder(spec.packageName(), type.build())
        .addFileComment("Generated by Saccade from $L. Do not edit.", spec.typeName())
        .skipJavaLangImports(true)
        .indent("  ");
    mobileStaticImports(file, plan);
    return file.build();
  }

  /** The stem and stage methods of a per-frame CNN, named after {@code prefix} ("" for the network's own). */
  private static void encoderMethods(TypeSpec.Builder type, String prefix, NetworkPlan plan, CnnPlan cnn, double typeRatio, Sizing sizing) {
    boolean mobile = cnn.layout().kind() == Kind.MOBILENET;
    type.addMethod(mobile ? mobileStem(prefix, plan, cnn) : stem(prefix, cnn));
    for (StagePlan s : cnn.stages()) {
      if (s instanceof AfStagePlan a) {
        type.addMethod(mobile ? mobileAfStage(plan, cnn, a, typeRatio, sizing) : afStage(cnn, a, typeRatio, sizing));
      } else {
        type.addMethod(mobile ? mobileDenseStage(prefix, plan, cnn, (DenseStagePlan) s, sizing) : denseStage(prefix, plan, cnn, (DenseStagePlan) s, sizing));
      }
    }
  }

  // ---------------------------------------------------------------- docs

  private static CodeBlock classDoc(NetworkSpec spec, NetworkPlan plan, Sizing sizing) {
    CodeBlock.Builder doc = CodeBlock.builder();
    String frames = separateFocusFrames(plan)
        ? plan.frames() + " glance frames, then " + plan.focus().orElseThrow().focusFrames() + " focus frames sampled apart,"
        : plan.frames() + " frames";
    doc.add("$L,\ngenerated from {@link $L}: $L of $Lx$L pixels, $L classes.\n\n",
        describe(spec, plan), spec.typeName(), frames, plan.inputSize(), plan.inputSize(), plan.classes());
    doc.add("<p>Shapes, parameters and GFLOPs (multiply-adds per clip) computed at compile time:\n\n<pre>\n");
    doc.add("$L", table(sizing));
    doc.add("</pre>\n");
    return doc.build();
  }

  private static String describe(NetworkSpec spec, NetworkPlan plan) {
    if (plan.family() == Family.ADAFOCUS_V2) {
      var f = plan.focus().orElseThrow();
      return "AdaFocusV2 (global " + f.global().layout().id() + ", local " + f.local().layout().id() + ", " + f.patchSize() + "-pixel patches)";
    }
    CnnPlan cnn = plan.cnn().orElseThrow();
    String shift = cnn.shiftFrames() > 0 ? " with temporal shift" : "";
    double width = spec.backbone().orElseThrow().width();
    String scaled = width == 1 ? "" : " at width " + Format.number(width);
    return (plan.family() == Family.AFNET ? "AFNet on " : "Dense ") + cnn.layout().id() + scaled + shift;
  }

  private static String table(Sizing sizing) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-11s %-14s %12s %12s%n", "stage", "output HxWxC", "params", "GFLOPs/clip"));
    for (Row r : sizing.rows()) {
      sb.append(String.format(Locale.ROOT, "%-11s %-14s %,12d %12.3f%n", r.name() + (r.adaptive() ? "*" : ""),
          r.height() + "x" + r.width() + "x" + r.channels(), r.parameters(), r.gflopsPerClip()));
    }
    sb.append(String.format(Locale.ROOT, "%-11s %-14s %,12d %12.3f%n", "total", "", sizing.parameters(), sizing.gflopsPerClip()));
    if (sizing.rows().stream().anyMatch(Row::adaptive)) {
      sb.append("* adaptive stage, costed at its declared target ratio\n");
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- constants

  private static void constants(TypeSpec.Builder type, NetworkSpec spec, NetworkPlan plan, Sizing sizing, Sizing allSelected) {
    if (separateFocusFrames(plan)) {
      int focus = plan.focus().orElseThrow().focusFrames();
      type.addField(intConstant("FRAMES", plan.frames(), "Frames per clip the global CNN glances at (T), the first of an input clip."));
      type.addField(intConstant("FOCUS_FRAMES", focus,
          "Frames per clip the local CNN sees (Tf), sampled apart from the glance's, after them in an input clip."));
      type.addField(FieldSpec.builder(int.class, "CLIP_FRAMES", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Frames of an input clip: the glance's FRAMES, then the focus network's FOCUS_FRAMES.\n")
          .initializer("FRAMES + FOCUS_FRAMES").build());
    } else {
      type.addField(intConstant("FRAMES", plan.frames(), "Frames per clip."));
    }
    type.addField(intConstant("CLASSES", plan.classes(), "Number of classes."));
    type.addField(intConstant("INPUT_SIZE", plan.inputSize(), "Side of the input frames in pixels."));
    type.addField(floatConstant("DROPOUT", plan.dropout(), "Dropout rate before the classifier in training."));
    spec.backbone().ifPresent(b -> type.addField(FieldSpec.builder(double.class, "WIDTH", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Width multiplier of the backbone's channels (1: the published widths).\n")
        .initializer("$L", Literals.doubleLiteral(b.width()))
        .build()));
    plan.cnn().filter(cnn -> cnn.shiftFrames() > 0 && cnn.shiftDivisor() != DEFAULT_SHIFT_DIVISOR).ifPresent(cnn ->
        type.addField(intConstant("SHIFT_DIVISOR", cnn.shiftDivisor(), "With the temporal shift, 1/SHIFT_DIVISOR of the channels move each way.")));
    if (plan.family() == Family.AFNET) {
      var nav = spec.navigation().orElseThrow();
      var schedule = plan.schedule().orElseThrow();
      AfStagePlan first = firstAfStage(plan);
      type.addField(floatConstant("TARGET_RATIO", nav.targetRatio(), "Target ratio RT of selected frames (stages without an override)."));
      type.addField(floatConstant("LOSS_WEIGHT", schedule.lossWeight(), "Weight of the ratio loss."));
      type.addField(floatConstant("TEMPERATURE_FROM", schedule.temperatureFrom(), "Gumbel temperature at the start of training."));
      type.addField(floatConstant("TEMPERATURE_TO", schedule.temperatureTo(), "Gumbel temperature after annealing, and at evaluation."));
      type.addField(intConstant("ANNEAL_EPOCHS", schedule.annealEpochs(), "Epochs over which the temperature falls."));
      type.addField(intConstant("CHANNEL_DIVISOR", first.alpha(), "Channel divisor of the ample branch."));
      type.addField(intConstant("GROUPS", first.groups(), "Groups of the focal convolutions."));
      type.addField(FieldSpec.builder(NAVIGATION_TRAINING, "NAVIGATION_TRAINING", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Ratio-loss weight and temperature schedule, as declared.\n")
          .initializer("new $T($L, $L, $L, ANNEAL_EPOCHS)", NAVIGATION_TRAINING, Literals.doubleLiteral(schedule.lossWeight()),
              Literals.doubleLiteral(schedule.temperatureFrom()), Literals.doubleLiteral(schedule.temperatureTo()))
          .build());
    }
    for (Row r : sizing.rows()) {
      String p = r.name().toUpperCase(Locale.ROOT);
      // one row of the summary: output shape, parameters, GFLOPs per clip
      type.addField(constant(int.class, p + "_HEIGHT", String.valueOf(r.height())));
      type.addField(constant(int.class, p + "_WIDTH", String.valueOf(r.width())));
      type.addField(constant(int.class, p + "_CHANNELS", String.valueOf(r.channels())));
      type.addField(constant(long.class, p + "_PARAMETERS", grouped(r.parameters()) + "L"));
      type.addField(constant(double.class, p + "_GFLOPS", rounded(r.gflopsPerClip())));
    }
    type.addField(FieldSpec.builder(long.class, "PARAMETERS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Trainable parameters (weights, biases, batch-norm scales and offsets).\n")
        .initializer("$LL", grouped(sizing.parameters()))
        .build());
    type.addField(doubleConstant("GFLOPS_PER_CLIP", sizing.gflopsPerClip(), "Analytic GFLOPs (multiply-adds) per clip."));
    if (plan.family() == Family.AFNET) {
      type.addField(doubleConstant("FIXED_GFLOPS_PER_CLIP", sizing.fixedGflopsPerClip(),
          "GFLOPs per clip of the stages whose cost does not depend on navigation."));
      type.addField(doubleConstant("UPPER_GFLOPS_PER_CLIP", allSelected.gflopsPerClip(),
          "GFLOPs per clip when navigation selects every frame (every target ratio 1)."));
    }
    spec.budget().ifPresent(b -> type.addField(FieldSpec.builder(double.class, "MAX_GFLOPS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The declared budget in GFLOPs per clip.\n").initializer("$L", Literals.doubleLiteral(b.maxGflops())).build()));
    plan.focus().ifPresent(f -> adaFocusConstants(type, plan, f));
    CodeBlock.Builder summary = CodeBlock.builder()
        .add("$T.builder($S, FRAMES, INPUT_SIZE)\n$>$>", MODEL_SUMMARY, spec.typeName());
    for (Row r : sizing.rows()) {
      String p = r.name().toUpperCase(Locale.ROOT);
      summary.add(".stage($S, $L_HEIGHT, $L_WIDTH, $L_CHANNELS, $L_PARAMETERS, $L_GFLOPS)\n", r.name(), p, p, p, p, p);
    }
    summary.add(".build()$<$<");
    type.addField(FieldSpec.builder(MODEL_SUMMARY, "SUMMARY", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The per-stage print-out, as computed at compile time.\n")
        .initializer(summary.build())
        .build());
  }

  private static void adaFocusConstants(TypeSpec.Builder type, NetworkPlan plan, FocusPlan f) {
    if (!f.recurrent() && !separateFocusFrames(plan)) {
      type.addField(FieldSpec.builder(int.class, "FOCUS_FRAMES", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Frames per clip the local CNN sees: the glance's own (declared; the official code samples int(1.5·T) apart).\n")
          .initializer("FRAMES").build());
    }
    type.addField(intConstant("GLOBAL_INPUT_SIZE", f.global().inputSize(), "Side of the frames the global CNN sees."));
    type.addField(intConstant("PATCH_SIZE", f.patchSize(), "Side of the patch the local CNN sees."));
    type.addField(intConstant("POLICY_CONV_CHANNELS", Sizer.POLICY_CHANNELS, "Channels of the policy's 1x1 conv on the global feature map."));
    type.addField(intConstant("POLICY_HIDDEN", f.policyHidden(),
        f.recurrent() ? "Width of the policy's GRU." : "Width of the policy's first hidden layer (the second is half of it)."));
    type.addField(intConstant("HIDDEN", f.hidden(), "Width of the recurrent classifier's hidden layer."));
    CodeBlock exit = f.exitOrder().isPresent()
        ? CodeBlock.of("$T.of($T.$L)", Optional.class, FrameOrder.class, f.exitOrder().get().name())
        : CodeBlock.of("$T.empty()", Optional.class);
    type.addField(FieldSpec.builder(ADAFOCUS_SPEC, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Everything {@link $T#build} needs besides the two encoders, as declared.\n", ADAFOCUS)
        .initializer(CodeBlock.builder()
            .add("new $T(\n$>$>", ADAFOCUS_SPEC)
            .add(f.recurrent() ? "FRAMES,\n" : "FRAMES,\nFOCUS_FRAMES,\n")
            .add("CLASSES,\nINPUT_SIZE,\nGLOBAL_INPUT_SIZE,\nPATCH_SIZE,\n")
            .add("$L, // recurrent policy: one patch per frame\n", f.recurrent())
            .add("$T.$L,\n", Interpolation.class, f.interpolation().name())
            .add("POLICY_CONV_CHANNELS,\nPOLICY_HIDDEN,\nHIDDEN,\nDROPOUT,\n")
            .add("$L, // conditional exit\n", exit)
            .add("GFLOPS_PER_CLIP)$<$<")
            .build())
        .build());
  }

  private static AfStagePlan firstAfStage(NetworkPlan plan) {
    return plan.cnn().orElseThrow().stages().stream()
        .filter(AfStagePlan.class::isInstance).map(AfStagePlan.class::cast).findFirst().orElseThrow();
  }

  private static FieldSpec constant(Class<?> type, String name, String literal) {
    return FieldSpec.builder(type, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL).initializer("$L", literal).build();
  }

  private static FieldSpec intConstant(String name, int value, String doc) {
    return FieldSpec.builder(int.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L\n", doc).initializer("$L", value).build();
  }

  private static FieldSpec floatConstant(String name, double value, String doc) {
    return FieldSpec.builder(float.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L\n", doc).initializer("$L", Literals.floatLiteral(value)).build();
  }

  private static FieldSpec doubleConstant(String name, double value, String doc) {
    return FieldSpec.builder(double.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L\n", doc).initializer("$L", rounded(value)).build();
  }

  /** A computed figure to nine significant digits (tiny networks spend millionths of a GFLOP), the same text on every JDK. */
  private static String rounded(double v) {
    return Literals.doubleLiteral(new BigDecimal(v).round(new MathContext(9, RoundingMode.HALF_EVEN)).doubleValue());
  }

  private static String grouped(long v) {
    return String.format(Locale.ROOT, "%,d", v).replace(',', '_');
  }

  // ---------------------------------------------------------------- VideoModel

  private static void accessors(TypeSpec.Builder type, NetworkSpec spec, NetworkPlan plan) {
    type.addMethod(MethodSpec.methodBuilder("name").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(String.class).addStatement("return $S", spec.typeName()).build());
    if (separateFocusFrames(plan)) {
      type.addMethod(MethodSpec.methodBuilder("frames").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .addJavadoc("Frames of an input clip: {@code [N, CLIP_FRAMES, INPUT_SIZE, INPUT_SIZE, 3]}, the glance's then the focus network's.\n")
          .returns(int.class).addStatement("return CLIP_FRAMES").build());
      type.addMethod(MethodSpec.methodBuilder("frameSets").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .addJavadoc("Two sets, each sampled over the whole video: the glance's FRAMES, then the focus network's FOCUS_FRAMES.\n")
          .returns(ParameterizedTypeName.get(LIST, ClassName.get(Integer.class)))
          .addStatement("return $T.of(FRAMES, FOCUS_FRAMES)", LIST).build());
    } else {
      type.addMethod(MethodSpec.methodBuilder("frames").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .returns(int.class).addStatement("return FRAMES").build());
    }
    type.addMethod(MethodSpec.methodBuilder("classes").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(int.class).addStatement("return CLASSES").build());
    type.addMethod(MethodSpec.methodBuilder("inputSize").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(int.class).addStatement("return INPUT_SIZE").build());
    type.addMethod(MethodSpec.methodBuilder("summary").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(MODEL_SUMMARY).addStatement("return SUMMARY").build());
    type.addMethod(MethodSpec.methodBuilder("toString").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(String.class).addStatement("return SUMMARY.table()").build());
  }

  private static MethodSpec.Builder buildSignature() {
    return MethodSpec.methodBuilder("build")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(MODEL_OUTPUTS)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "clips")
        .addParameter(FLOATS, "temperature");
  }

  private static MethodSpec build(NetworkPlan plan, CnnPlan cnn) {
    MethodSpec.Builder m = buildSignature();
    m.addStatement("$T tf = ctx.tf()", OPS);
    m.addStatement("$T x = $T.foldFrames(tf, clips)", FLOATS, HEADS);
    m.addComment("each stage's output feature map [N*T, H, W, C], in stage order");
    m.addStatement("$T<$T, $T> endpoints = new $T<>()", MAP, String.class, FLOATS, LINKED_HASH_MAP);
    m.addStatement("x = stem(ctx.child($S), x)", "stem");
    m.addStatement("endpoints.put($S, x)", "stem");
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
    if (cnn.layout().kind() == Kind.MOBILENET) {
      m.addStatement("$T logits = head(ctx.child($S), x)", LOGITS, "head");
    } else {
      m.addStatement("$T logits = $T.tsn(ctx.child($S), x, FRAMES, CLASSES, DROPOUT)", LOGITS, HEADS, "head");
    }
    if (adaptive.isEmpty()) {
      m.addStatement("$T gflops = perClip(tf, logits.clipLogits(), GFLOPS_PER_CLIP)", FLOATS);
      m.addStatement("return new $T(logits.clipLogits(), logits.frameLogits(), $T.of(), gflops, $T.of(), endpoints)", MODEL_OUTPUTS, LIST,
          MAP);
    } else {
      m.addStatement("$T<$T> selections = new $T<>()", LIST, SELECTION, ARRAY_LIST);
      for (String s : adaptive) {
        m.addStatement("selections.addAll($L.selections())", s);
      }
      m.addComment("GFLOPs per clip: what the adaptive stages spent plus the fixed cost of the rest");
      m.addStatement("$T gflops = perClip(tf, logits.clipLogits(), FIXED_GFLOPS_PER_CLIP)", FLOATS);
      for (String s : adaptive) {
        m.addStatement("gflops = tf.math.add(gflops, $L.gflops())", s);
      }
      m.addStatement("return new $T(logits.clipLogits(), logits.frameLogits(), selections, gflops, $T.of(), endpoints)", MODEL_OUTPUTS,
          MAP);
    }
    return m.build();
  }

  /** {@code stem}, or {@code globalStem} / {@code localStem} for an AdaFocusV2 encoder. */
  private static String method(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  private static MethodSpec stem(String prefix, CnnPlan cnn) {
    return MethodSpec.methodBuilder(method(prefix, "stem"))
        .addJavadoc("conv 7x7/2 -> BN -> ReLU -> max-pool 3x3/2: $Lx$L frames to $Lx$Lx$L.\n", cnn.inputSize(), cnn.inputSize(),
            Sizer.ceil(cnn.inputSize(), 4), Sizer.ceil(cnn.inputSize(), 4), cnn.layout().stem().out())
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(FLOATS)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "frames")
        .addStatement("return $T.stem(ctx, frames, $L)", RESNET, prefix.isEmpty() ? "STEM_CHANNELS" : cnn.layout().stem().channels())
        .build();
  }

  /** The Javadoc line of a dense stage: its output shape when the summary has a row for it. */
  private static String stageDoc(String prefix, StagePlan s, int blocks, String kind, Sizing sizing) {
    String what = prefix.isEmpty() ? "Stage " + s.index() : "Stage " + s.index() + " of the " + prefix + " encoder";
    String doc = what + ", dense: " + blocks + " " + (blocks == 1 ? kind.substring(0, kind.length() - 1) : kind) + ".";
    if (prefix.isEmpty()) {
      Row row = sizing.row(s.name());
      doc += " Output " + row.height() + "x" + row.width() + "x" + row.channels() + ".";
    }
    return doc + "\n";
  }

  /** {@code private static Operand<TFloat32> stageN(BuildContext ctx, Operand<TFloat32> x)}, documented. */
  private static MethodSpec.Builder denseStageMethod(String prefix, DenseStagePlan s, String kind, Sizing sizing) {
    return MethodSpec.methodBuilder(method(prefix, s.name()))
        .addJavadoc("$L", stageDoc(prefix, s, s.blocks().size(), kind, sizing))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(FLOATS)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "x");
  }

  private static MethodSpec denseStage(String prefix, NetworkPlan plan, CnnPlan cnn, DenseStagePlan s, Sizing sizing) {
    MethodSpec.Builder m = denseStageMethod(prefix, s, "bottlenecks", sizing);
    for (int i = 0; i < s.blocks().size(); i++) {
      Block b = s.blocks().get(i);
      CodeBlock.Builder spec = CodeBlock.builder().add("$T.of($L, $L)", BOTTLENECK_SPEC, b.mid(), b.out());
      if (b.stride() != 1) {
        spec.add("$Z.withStride($L)", b.stride());
      }
      boolean reshapes = b.stride() != 1 || b.in() != b.out();
      if (reshapes && cnn.shortcut() == Shortcut.AVG_POOL_CONV) {
        spec.add("$Z.withShortcut($T.Shortcut.AVG_POOL_CONV)", BOTTLENECK_SPEC);
      }
      if (cnn.shiftFrames() > 0) {
        spec.add("$Z$L", temporalShift(plan, cnn));
      }
      m.addStatement("x = $T.bottleneck(ctx.child($S), x, $L)", RESNET, "block" + i, spec.build());
    }
    return m.addStatement("return x").build();
  }

  private static MethodSpec afStage(CnnPlan cnn, AfStagePlan a, double typeRatio, Sizing sizing) {
    Row row = sizing.row(a.name());
    CodeBlock navigation = navigationSpec(a.navigation(), typeRatio);
    CodeBlock spec = CodeBlock.builder()
        .add("$T spec = new $T(\n", AF_STAGE_SPEC, AF_STAGE_SPEC)
        .add("$L, // blocks of the dense stage\n", a.blocks().size())
        .add("$L, // input channels\n", a.in())
        .add("$L, // output channels\n", a.out())
        .add("CHANNEL_DIVISOR,\n")
        .add("GROUPS,\n")
        .add("$L, // stride of the fusion block\n", a.fusionStride())
        .add("FRAMES,\n")
        .add("$L, // temporal shift\n", cnn.shiftFrames() > 0)
        .add("$L$L)", navigation, shiftDivisorArgument(cnn))
        .build();
    return MethodSpec.methodBuilder(a.name())
        .addJavadoc("Stage $L, adaptive (AFNet): $L ample and $L focal blocks with navigation, then fusion.\n"
            + "Output $Lx$Lx$L.\n", a.index(), a.blocks().size() - 1, a.blocks().size() - 1, row.height(), row.width(), row.channels())
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(AF_RESULT)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "x")
        .addParameter(FLOATS, "temperature")
        .addStatement("$L", spec)
        .addStatement("return $T.build(ctx, x, spec, temperature)", AF_STAGE)
        .build();
  }

  /**
   * {@code .withTemporalShift(FRAMES)}, with {@code SHIFT_DIVISOR} when the declaration shifts other than 1/8;
   * {@code FOCUS_FRAMES} for a local encoder on focus frames of its own.
   */
  private static String temporalShift(NetworkPlan plan, CnnPlan cnn) {
    String frames = cnn.shiftFrames() == plan.frames() ? "FRAMES" : "FOCUS_FRAMES";
    return cnn.shiftDivisor() == DEFAULT_SHIFT_DIVISOR ? ".withTemporalShift(" + frames + ")" : ".withTemporalShift(" + frames + ", SHIFT_DIVISOR)";
  }

  /** Whether an AdaFocusV2's local CNN sees focus frames of its own (the input clip then holds both sets). */
  private static boolean separateFocusFrames(NetworkPlan plan) {
    return plan.focus().filter(f -> f.separateFocusFrames(plan.frames())).isPresent();
  }

  /** The AF stage spec's trailing shift divisor: none for the official 1/8. */
  private static String shiftDivisorArgument(CnnPlan cnn) {
    return cnn.shiftFrames() == 0 || cnn.shiftDivisor() == DEFAULT_SHIFT_DIVISOR ? "" : ",\nSHIFT_DIVISOR";
  }

  // ---------------------------------------------------------------- AdaFocusV2

  private static MethodSpec adaFocusBuild(NetworkSpec spec, NetworkPlan plan) {
    String clips = separateFocusFrames(plan)
        ? "{@code clips} are {@code [N, CLIP_FRAMES, INPUT_SIZE, INPUT_SIZE, 3]}: the global CNN and the policy see the first FRAMES,\n"
            + "the local CNN the patch, at the clip's one position, of each of the last FOCUS_FRAMES.\n"
        : "";
    return buildSignature()
        .addJavadoc("Global CNN on every frame, patch policy, local CNN on the patches, classifier: see {@link $T}.\n"
            + clips + "{@code temperature} is unused (AdaFocusV2 has no Gumbel sampling).\n", ADAFOCUS)
        .addStatement("return $T.build(ctx, clips, SPEC, $L::globalEncoder, $L::localEncoder)", ADAFOCUS, spec.generatedName(),
            spec.generatedName())
        .build();
  }

  /** The whole encoder: stem, stages and, for a MobileNet, its last 1x1 conv; no pooling or classifier. */
  private static MethodSpec encoder(String prefix, NetworkPlan plan, CnnPlan cnn) {
    BackboneLayout layout = cnn.layout();
    int side = Sizer.ceil(cnn.inputSize(), BackboneLayout.TOTAL_STRIDE);
    int channels = layout.head().lastConv() > 0 ? layout.head().lastConv() : layout.stages().get(layout.stages().size() - 1).out();
    String shift = cnn.shiftFrames() > 0 ? " with temporal shift" : "";
    MethodSpec.Builder m = MethodSpec.methodBuilder(prefix + "Encoder")
        .addJavadoc("The $L CNN, $L$L: $Lx$L frames to $Lx$Lx$L feature maps.\n", prefix, layout.id(), shift, cnn.inputSize(),
            cnn.inputSize(), side, side, channels)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(FLOATS)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "frames")
        .addStatement("$T x = $L(ctx.child($S), frames)", FLOATS, method(prefix, "stem"), "stem");
    for (StagePlan s : cnn.stages()) {
      m.addStatement("x = $L(ctx.child($S), x)", method(prefix, s.name()), s.name());
    }
    if (layout.head().lastConv() > 0) {
      m.addStatement("return $T.lastConv(ctx.child($S), x, $L, $T." + layout.head().activation().name() + ")", MOBILENET, "last",
          layout.head().lastConv(), IR_ACTIVATION);
    } else {
      m.addStatement("return x");
    }
    return m.build();
  }

  // ---------------------------------------------------------------- MobileNet

  /**
   * The inverted-residual spec of {@code b} as a readable builder chain. AFNet networks follow the official
   * AF-MobileNetV3 (squeeze-and-excite before the activation, every block shifted under TSM); dense ones
   * torchvision (after the activation), shifting every block of a MobileNetV3 and, as the official TSM
   * code, only the residual blocks of a MobileNetV2.
   */
  private static CodeBlock invertedResidual(NetworkPlan plan, CnnPlan cnn, Block b, boolean shift) {
    CodeBlock.Builder c = CodeBlock.builder().add("$T.of($L, $L, $L)", IR_SPEC, b.mid(), b.out(), b.kernel());
    if (b.stride() != 1) {
      c.add(".withStride($L)", b.stride());
    }
    switch (b.activation()) {
      case RELU -> { }
      case RELU6 -> c.add(".withActivation($T.RELU6)", IR_ACTIVATION);
      case HARD_SWISH -> c.add(".withHardSwish()");
    }
    if (b.se()) {
      c.add(".withSqueezeExcitation($T." + excitation(plan) + ")", IR_EXCITATION);
    }
    boolean residual = b.stride() == 1 && b.in() == b.out();
    boolean shifts = cnn.shiftFrames() > 0 && (residual || cnn.layout().id() != Backbones.MOBILENET_V2);
    if (shift && shifts) {
      c.add("$L", temporalShift(plan, cnn));
    }
    return c.build();
  }

  /** Where squeeze-and-excite sits: the official AF-MobileNetV3's place for AFNet, torchvision's otherwise. */
  private static String excitation(NetworkPlan plan) {
    return plan.family() == Family.AFNET ? "BEFORE_ACTIVATION" : "AFTER_ACTIVATION";
  }

  /**
   * Static imports for the MobileNet enum constants the generated code names (written {@code $T.NAME}, which
   * JavaPoet shortens to {@code NAME}), so block specs read {@code .withSqueezeExcitation(BEFORE_ACTIVATION)}.
   */
  private static void mobileStaticImports(JavaFile.Builder file, NetworkPlan plan) {
    List<CnnPlan> cnns = new ArrayList<>();
    plan.cnn().ifPresent(cnns::add);
    plan.focus().ifPresent(f -> {
      cnns.add(f.global());
      cnns.add(f.local());
    });
    Set<String> activations = new TreeSet<>();
    boolean se = false;
    for (CnnPlan cnn : cnns) {
      BackboneLayout layout = cnn.layout();
      if (layout.kind() != Kind.MOBILENET) {
        continue;
      }
      activations.add(layout.stem().activation().name());
      activations.add(layout.head().activation().name());
      List<Block> blocks = new ArrayList<>();
      layout.stem().block().ifPresent(blocks::add);
      layout.stages().forEach(st -> blocks.addAll(st.blocks()));
      for (Block b : blocks) {
        se |= b.se();
        if (b.activation() == BackboneLayout.Activation.RELU6) {
          activations.add("RELU6"); // written .withActivation(RELU6); ReLU and hard-swish have their own forms
        }
      }
    }
    if (!activations.isEmpty()) {
      file.addStaticImport(IR_ACTIVATION, activations.toArray(String[]::new));
    }
    if (se) {
      file.addStaticImport(IR_EXCITATION, excitation(plan));
    }
  }

  private static MethodSpec mobileStem(String prefix, NetworkPlan plan, CnnPlan cnn) {
    BackboneLayout.Stem stem = cnn.layout().stem();
    Block block = stem.block().orElseThrow();
    int side = Sizer.ceil(cnn.inputSize(), 2 * block.stride());
    return MethodSpec.methodBuilder(method(prefix, "stem"))
        .addJavadoc("conv 3x3/2 -> BN -> $L, then one inverted residual: $Lx$L frames to $Lx$Lx$L.\n",
            stem.activation().name().toLowerCase(Locale.ROOT).replace('_', '-'), cnn.inputSize(), cnn.inputSize(), side, side, block.out())
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(FLOATS)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "frames")
        .addStatement("$T x = $T.stem(ctx, frames, $L, $T." + stem.activation().name() + ")", FLOATS, MOBILENET, stem.channels(),
            IR_ACTIVATION)
        .addStatement("return $T.invertedResidual(ctx.child($S), x, $L)", MOBILENET, "block0", invertedResidual(plan, cnn, block, true))
        .build();
  }

  private static MethodSpec mobileDenseStage(String prefix, NetworkPlan plan, CnnPlan cnn, DenseStagePlan s, Sizing sizing) {
    MethodSpec.Builder m = denseStageMethod(prefix, s, "inverted residuals", sizing);
    for (int i = 0; i < s.blocks().size(); i++) {
      m.addStatement("x = $T.invertedResidual(ctx.child($S), x, $L)", MOBILENET, "block" + i, invertedResidual(plan, cnn, s.blocks().get(i), true));
    }
    return m.addStatement("return x").build();
  }

  private static MethodSpec mobileAfStage(NetworkPlan plan, CnnPlan cnn, AfStagePlan a, double typeRatio, Sizing sizing) {
    Row row = sizing.row(a.name());
    int n = a.blocks().size();
    CodeBlock.Builder blocks = CodeBlock.builder().add("$T.of(\n$>", LIST);
    for (int j = 0; j < n - 1; j++) {
      // the stage sets strides, groups and shifts of its ample and focal blocks
      blocks.add("$L$L\n", invertedResidual(plan, cnn, a.blocks().get(j).withStride(1), false), j < n - 2 ? "," : "");
    }
    blocks.add("$<)");
    CodeBlock spec = CodeBlock.builder()
        .add("$T spec = new $T(\n", MOBILENET_AF_STAGE_SPEC, MOBILENET_AF_STAGE_SPEC)
        .add("$L, // input channels\n", a.in())
        .add("$L, // ample and focal blocks\n", blocks.build())
        .add("$L, // fusion block\n", invertedResidual(plan, cnn, a.blocks().get(n - 1).withStride(a.fusionStride()), false))
        .add("GROUPS,\n")
        .add("FRAMES,\n")
        .add("$L, // temporal shift\n", cnn.shiftFrames() > 0)
        .add("$L$L)", navigationSpec(a.navigation(), typeRatio), shiftDivisorArgument(cnn))
        .build();
    return MethodSpec.methodBuilder(a.name())
        .addJavadoc("Stage $L, adaptive (AFNet): $L ample and $L focal inverted residuals with navigation, then fusion.\n"
            + "Output $Lx$Lx$L.\n", a.index(), n - 1, n - 1, row.height(), row.width(), row.channels())
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(AF_RESULT)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "x")
        .addParameter(FLOATS, "temperature")
        .addStatement("$L", spec)
        .addStatement("return $T.build(ctx, x, spec, temperature)", MOBILENET_AF_STAGE)
        .build();
  }

  private static MethodSpec mobileHead(CnnPlan cnn) {
    BackboneLayout.Head head = cnn.layout().head();
    MethodSpec.Builder m = MethodSpec.methodBuilder("head")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(LOGITS)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "x")
        .addStatement("$T features = $T.lastConv(ctx.child($S), x, $L, $T." + head.activation().name() + ")", FLOATS, MOBILENET,
            "last", head.lastConv(), IR_ACTIVATION);
    if (head.hidden() > 0) {
      m.addJavadoc("1x1 conv to $L -> BN -> hard-swish, global pool, linear $L -> hard-swish -> dropout -> linear to the classes,\n"
          + "averaged over the clip's frames.\n", head.lastConv(), head.hidden());
      m.addStatement("return $T.classifier(ctx, features, FRAMES, $L, CLASSES, DROPOUT)", MOBILENET, head.hidden());
    } else {
      m.addJavadoc("1x1 conv to $L -> BN -> ReLU6, then the TSN head: global pool, dropout, linear to the classes,\n"
          + "averaged over the clip's frames.\n", head.lastConv());
      m.addStatement("return $T.tsn(ctx, features, FRAMES, CLASSES, DROPOUT)", HEADS);
    }
    return m.build();
  }

  private static CodeBlock navigationSpec(NavigationPlan nav, double typeRatio) {
    String ratio = nav.targetRatio() == typeRatio ? "TARGET_RATIO" : Literals.floatLiteral(nav.targetRatio());
    if (nav.keepMargin() != Navigation.OFFICIAL_KEEP_MARGIN) {
      return CodeBlock.of("new $T($L, $L, $L, $L)", NAVIGATION_SPEC, ratio, nav.mixFrames(), Literals.floatLiteral(nav.spatialRatio()),
          Literals.floatLiteral(nav.keepMargin()));
    }
    return !nav.mixFrames() && nav.spatialRatio() == 0
        ? CodeBlock.of("$T.official($L)", NAVIGATION_SPEC, ratio)
        : CodeBlock.of("new $T($L, $L, $L)", NAVIGATION_SPEC, ratio, nav.mixFrames(), Literals.floatLiteral(nav.spatialRatio()));
  }

  private static MethodSpec perClip() {
    return MethodSpec.methodBuilder("perClip")
        .addJavadoc("{@code [N]} filled with {@code gflops}, N being the batch of {@code clipLogits}.\n")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(FLOATS)
        .addParameter(OPS, "tf")
        .addParameter(FLOATS, "clipLogits")
        .addParameter(double.class, "gflops")
        .addStatement("$T shape = tf.shape(clipLogits)", INTS)
        .addStatement("$T batch = tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1}))", INTS)
        .addStatement("return tf.fill(batch, tf.constant((float) gflops))")
        .build();
  }
}
