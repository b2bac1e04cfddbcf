package io.saccade.processor;

import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeSpec;
import io.saccade.architecture.BackboneLayout.Activation;
import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.Kind;
import io.saccade.architecture.BackboneLayout.Shortcut;
import io.saccade.architecture.BackboneLayout;
import io.saccade.dsl.Backbones;
import io.saccade.processor.NetworkPlan.CnnPlan;
import io.saccade.processor.NetworkPlan.DenseStagePlan;
import io.saccade.processor.NetworkPlan.StagePlan;
import io.saccade.processor.NetworkSpec.Family;
import io.saccade.processor.Sizing.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Modifier;
import static io.saccade.processor.RuntimeTypes.BOTTLENECK_SPEC;
import static io.saccade.processor.RuntimeTypes.BUILD_CONTEXT;
import static io.saccade.processor.RuntimeTypes.FLOATS;
import static io.saccade.processor.RuntimeTypes.HEADS;
import static io.saccade.processor.RuntimeTypes.IR_ACTIVATION;
import static io.saccade.processor.RuntimeTypes.IR_EXCITATION;
import static io.saccade.processor.RuntimeTypes.IR_SPEC;
import static io.saccade.processor.RuntimeTypes.LOGITS;
import static io.saccade.processor.RuntimeTypes.MOBILENET;
import static io.saccade.processor.RuntimeTypes.RESNET;

/**
 * The methods of a per-frame CNN that every family's writer shares: the stem, the dense stages, a
 * MobileNet's blocks and head, each block spec a readable builder chain. Methods are named after a
 * prefix: none for the network's own CNN, {@code global}/{@code local} for an AdaFocusV2's encoders.
 *
 * <pre>{@code
 * CnnWriter.denseMethods(type, "", plan, cnn, sizing);    // stem, stage1, ... of a dense network
 * }</pre>
 */
final class CnnWriter {

  private CnnWriter() {}

  /** The official TSM shift, 1/8 of the channels each way: the runtime's default, so not written out. */
  static final int DEFAULT_SHIFT_DIVISOR = 8;

  /** The stem and every stage of {@code cnn}, all dense. */
  static void denseMethods(TypeSpec.Builder type, String prefix, NetworkPlan plan, CnnPlan cnn, Sizing sizing) {
    type.addMethod(stem(prefix, plan, cnn));
    for (StagePlan s : cnn.stages()) {
      type.addMethod(denseStage(prefix, plan, cnn, (DenseStagePlan) s, sizing));
    }
  }

  /** {@code stem}, or {@code globalStem} / {@code localStem} for an AdaFocusV2 encoder. */
  static String method(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /** The stem method of a ResNet or a MobileNet. */
  static MethodSpec stem(String prefix, NetworkPlan plan, CnnPlan cnn) {
    return cnn.layout().kind() == Kind.MOBILENET ? mobileStem(prefix, plan, cnn) : resnetStem(prefix, cnn);
  }

  /** A dense stage's method: its blocks, one statement each. */
  static MethodSpec denseStage(String prefix, NetworkPlan plan, CnnPlan cnn, DenseStagePlan s, Sizing sizing) {
    boolean mobile = cnn.layout().kind() == Kind.MOBILENET;
    MethodSpec.Builder m = MethodSpec.methodBuilder(method(prefix, s.name()))
        .addJavadoc("$L", stageDoc(prefix, s, mobile ? "inverted residual" : "bottleneck", sizing))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(FLOATS)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "x");
    for (int i = 0; i < s.blocks().size(); i++) {
      Block b = s.blocks().get(i);
      if (b.stride() != cnn.layout().stage(s.index()).blocks().get(i).stride()) {
        m.addComment("stride $L is stage $L's downsampling, moved here from that stage's first block (where torchvision", b.stride(),
            s.index() + 1);
        m.addComment("puts it) because AFNet runs an adaptive stage at its input resolution");
      }
      CodeBlock spec = mobile ? invertedResidual(plan, cnn, b, true) : bottleneck(plan, cnn, b);
      m.addStatement("x = $T.$L(ctx.child($S), x, $L)", mobile ? MOBILENET : RESNET, mobile ? "invertedResidual" : "bottleneck",
          "block" + i, spec);
    }
    return m.addStatement("return x").build();
  }

  /** The Javadoc line of a dense stage: its output shape when the summary has a row for it. */
  private static String stageDoc(String prefix, DenseStagePlan s, String kind, Sizing sizing) {
    int blocks = s.blocks().size();
    String what = prefix.isEmpty() ? "Stage " + s.index() : "Stage " + s.index() + " of the " + prefix + " encoder";
    String doc = what + ", dense: " + blocks + " " + kind + (blocks == 1 ? "" : "s") + ".";
    if (prefix.isEmpty()) {
      Row row = sizing.row(s.name());
      doc += " Output " + Format.shape(row.height(), row.width(), row.channels()) + ".";
    }
    return doc + "\n";
  }

  private static MethodSpec resnetStem(String prefix, CnnPlan cnn) {
    int side = Sizer.ceil(cnn.inputSize(), 4);
    return MethodSpec.methodBuilder(method(prefix, "stem"))
        .addJavadoc("conv 7x7/2 -> BN -> ReLU -> max-pool 3x3/2: $Lx$L frames to $L.\n", cnn.inputSize(), cnn.inputSize(),
            Format.shape(side, side, cnn.layout().stem().out()))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(FLOATS)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "frames")
        .addStatement("return $T.stem(ctx, frames, $L)", RESNET, prefix.isEmpty() ? "STEM_CHANNELS" : cnn.layout().stem().channels())
        .build();
  }

  /** A bottleneck's spec: {@code BottleneckSpec.of(mid, out).withStride(2)...}, wrapped where long. */
  private static CodeBlock bottleneck(NetworkPlan plan, CnnPlan cnn, Block b) {
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
    return spec.build();
  }

  /**
   * {@code .withTemporalShift(FRAMES)}, with {@code SHIFT_DIVISOR} when the declaration shifts other than 1/8;
   * {@code FOCUS_FRAMES} for a local encoder on focus frames of its own.
   */
  static CodeBlock temporalShift(NetworkPlan plan, CnnPlan cnn) {
    String frames = cnn.shiftFrames() == plan.frames() ? "FRAMES" : "FOCUS_FRAMES";
    return cnn.shiftDivisor() == DEFAULT_SHIFT_DIVISOR
        ? CodeBlock.of(".withTemporalShift($L)", frames)
        : CodeBlock.of(".withTemporalShift($L, SHIFT_DIVISOR)", frames);
  }

  // ---------------------------------------------------------------- MobileNet

  /**
   * The inverted-residual spec of {@code b} as a readable builder chain. AFNet networks follow the official
   * AF-MobileNetV3 (squeeze-and-excite before the activation, every block shifted under TSM); dense ones
   * torchvision (after the activation), shifting every block of a MobileNetV3 and, as the official TSM
   * code, only the residual blocks of a MobileNetV2.
   */
  static CodeBlock invertedResidual(NetworkPlan plan, CnnPlan cnn, Block b, boolean shift) {
    CodeBlock.Builder c = CodeBlock.builder().add("$T.of($L, $L, $L)", IR_SPEC, b.mid(), b.out(), b.kernel());
    if (b.stride() != 1) {
      c.add("$Z.withStride($L)", b.stride());
    }
    switch (b.activation()) {
      case RELU -> { }
      case RELU6 -> c.add("$Z.withActivation($L)", activation(Activation.RELU6));
      case HARD_SWISH -> c.add("$Z.withHardSwish()");
    }
    if (b.se()) {
      c.add("$Z.withSqueezeExcitation($L)", excitation(plan));
    }
    boolean residual = b.stride() == 1 && b.in() == b.out();
    boolean shifts = cnn.shiftFrames() > 0 && (residual || cnn.layout().id() != Backbones.MOBILENET_V2);
    if (shift && shifts) {
      c.add("$Z$L", temporalShift(plan, cnn));
    }
    return c.build();
  }

  /** An activation constant, statically imported by {@link #staticImports}: {@code RELU6}. */
  static CodeBlock activation(Activation a) {
    return CodeBlock.of("$L", a.name());
  }

  /**
   * Where squeeze-and-excite sits, statically imported by {@link #staticImports}: the official AF-MobileNetV3's
   * place for AFNet, torchvision's otherwise.
   */
  private static CodeBlock excitation(NetworkPlan plan) {
    return CodeBlock.of("$L", excitationName(plan));
  }

  private static String excitationName(NetworkPlan plan) {
    return plan.family() == Family.AFNET ? "BEFORE_ACTIVATION" : "AFTER_ACTIVATION";
  }

  /**
   * Static imports for the MobileNet enum constants the generated code names, so block specs read
   * {@code .withSqueezeExcitation(BEFORE_ACTIVATION)}.
   */
  static void staticImports(JavaFile.Builder file, NetworkPlan plan) {
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
        if (b.activation() == Activation.RELU6) {
          activations.add(Activation.RELU6.name()); // written .withActivation(RELU6); ReLU and hard-swish have their own forms
        }
      }
    }
    if (!activations.isEmpty()) {
      file.addStaticImport(IR_ACTIVATION, activations.toArray(String[]::new));
    }
    if (se) {
      file.addStaticImport(IR_EXCITATION, excitationName(plan));
    }
  }

  private static MethodSpec mobileStem(String prefix, NetworkPlan plan, CnnPlan cnn) {
    BackboneLayout.Stem stem = cnn.layout().stem();
    Block block = stem.block().orElseThrow();
    int side = Sizer.ceil(cnn.inputSize(), 2 * block.stride());
    return MethodSpec.methodBuilder(method(prefix, "stem"))
        .addJavadoc("conv 3x3/2 -> BN -> $L, then one inverted residual: $Lx$L frames to $L.\n",
            stem.activation().name().toLowerCase(Locale.ROOT).replace('_', '-'), cnn.inputSize(), cnn.inputSize(),
            Format.shape(side, side, block.out()))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(FLOATS)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "frames")
        .addStatement("$T x = $T.stem(ctx, frames, $L, $L)", FLOATS, MOBILENET, stem.channels(), activation(stem.activation()))
        .addStatement("return $T.invertedResidual(ctx.child($S), x,$W$L)", MOBILENET, "block0", invertedResidual(plan, cnn, block, true))
        .build();
  }

  /** A MobileNet's last 1x1 conv, as {@code MobileNetV3.lastConv(ctx.child("last"), x, 960, HARD_SWISH)}. */
  static CodeBlock lastConv(CnnPlan cnn) {
    BackboneLayout.Head head = cnn.layout().head();
    return CodeBlock.of("$T.lastConv(ctx.child($S), x, $L, $L)", MOBILENET, "last", head.lastConv(), activation(head.activation()));
  }

  /** The classifier head of the network's own MobileNet. */
  static MethodSpec mobileHead(CnnPlan cnn) {
    BackboneLayout.Head head = cnn.layout().head();
    MethodSpec.Builder m = MethodSpec.methodBuilder("head")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(LOGITS)
        .addParameter(BUILD_CONTEXT, "ctx")
        .addParameter(FLOATS, "x")
        .addStatement("$T features = $L", FLOATS, lastConv(cnn));
    if (head.hidden() > 0) {
      m.addJavadoc("1x1 conv to $L -> BN -> hard-swish, global pool, linear $L -> hard-swish -> dropout -> linear to the classes,\n",
          head.lastConv(), head.hidden());
      m.addJavadoc("averaged over the clip's frames.\n");
      m.addStatement("return $T.classifier(ctx, features, FRAMES, $L, CLASSES, DROPOUT)", MOBILENET, head.hidden());
    } else {
      m.addJavadoc("1x1 conv to $L -> BN -> ReLU6, then the TSN head: global pool, dropout, linear to the classes,\n", head.lastConv());
      m.addJavadoc("averaged over the clip's frames.\n");
      m.addStatement("return $T.tsn(ctx, features, FRAMES, CLASSES, DROPOUT)", HEADS);
    }
    return m.build();
  }
}
