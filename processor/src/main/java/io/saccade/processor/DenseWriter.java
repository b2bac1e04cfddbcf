package io.saccade.processor;

import static io.saccade.processor.RuntimeTypes.CLIP_GFLOPS;
import static io.saccade.processor.RuntimeTypes.FLOATS;
import static io.saccade.processor.RuntimeTypes.HEADS;
import static io.saccade.processor.RuntimeTypes.LINKED_HASH_MAP;
import static io.saccade.processor.RuntimeTypes.LIST;
import static io.saccade.processor.RuntimeTypes.LOGITS;
import static io.saccade.processor.RuntimeTypes.MAP;
import static io.saccade.processor.RuntimeTypes.MODEL_OUTPUTS;
import static io.saccade.processor.RuntimeTypes.OPS;

import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeSpec;
import io.saccade.architecture.BackboneLayout.Kind;
import io.saccade.processor.NetworkPlan.CnnPlan;
import io.saccade.processor.NetworkPlan.StagePlan;
import io.saccade.processor.Writer.Argument;
import java.util.List;

/**
 * Writes what a dense network (TSN, or TSM with a temporal shift) adds to the class: a {@code build}
 * that runs the CNN on every frame and averages the head's logits over the clip. Its beginning and
 * end are the AFNet writer's too.
 *
 * <pre>{@code
 * Writer.FamilyWriter dense = new DenseWriter(plan, sizing);
 * }</pre>
 */
final class DenseWriter implements Writer.FamilyWriter {

  private final NetworkPlan plan;
  private final CnnPlan cnn;
  private final Sizing sizing;

  DenseWriter(NetworkPlan plan, Sizing sizing) {
    this.plan = plan;
    this.cnn = plan.cnn().orElseThrow();
    this.sizing = sizing;
  }

  @Override
  public void settings(TypeSpec.Builder type) {}

  @Override
  public void methods(TypeSpec.Builder type) {
    MethodSpec.Builder m = Writer.buildSignature();
    begin(m);
    for (StagePlan s : cnn.stages()) {
      m.addStatement("x = $L(ctx.child($S), x)", s.name(), s.name());
      m.addStatement("endpoints.put($S, x)", s.name());
    }
    logits(m, cnn);
    m.addStatement("$T gflops = $T.constant(tf, logits.clipLogits(), GFLOPS_PER_CLIP)", FLOATS, CLIP_GFLOPS);
    m.addCode("$L\n", outputs(Argument.of("no navigation, no frame masks", "$T.of()", LIST)));
    type.addMethod(m.build());
    CnnWriter.denseMethods(type, "", plan, cnn, sizing);
    if (cnn.layout().kind() == Kind.MOBILENET) {
      type.addMethod(CnnWriter.mobileHead(cnn));
    }
  }

  /** {@code tf}, the frames folded into the batch, the endpoints map and the stem. */
  static void begin(MethodSpec.Builder m) {
    m.addStatement("$T tf = ctx.tf()", OPS);
    m.addStatement("$T x = $T.foldFrames(tf, clips)", FLOATS, HEADS);
    m.addComment("each stage's output feature map [N*T, H, W, C], in stage order");
    m.addStatement("$T<$T, $T> endpoints = new $T<>()", MAP, String.class, FLOATS, LINKED_HASH_MAP);
    m.addStatement("x = stem(ctx.child($S), x)", "stem");
    m.addStatement("endpoints.put($S, x)", "stem");
  }

  /** {@code logits}: a MobileNet's own head, or the TSN head of a ResNet. */
  static void logits(MethodSpec.Builder m, CnnPlan cnn) {
    if (cnn.layout().kind() == Kind.MOBILENET) {
      m.addStatement("$T logits = head(ctx.child($S), x)", LOGITS, "head");
    } else {
      m.addStatement("$T logits = $T.tsn(ctx.child($S), x, FRAMES, CLASSES, DROPOUT)", LOGITS, HEADS, "head");
    }
  }

  /** {@code return new ModelOutputs(...);}, each argument explained. */
  static CodeBlock outputs(Argument selections) {
    return Writer.explainedCall(CodeBlock.of("return new $T", MODEL_OUTPUTS), List.of(
        Argument.of("[N, CLASSES]", "logits.clipLogits()"),
        Argument.of("[N, FRAMES, CLASSES]", "logits.frameLogits()"),
        selections,
        Argument.of("[N]: GFLOPs spent on each clip", "gflops"),
        Argument.of("no auxiliary heads", "$T.of()", MAP),
        Argument.of("feature maps by stage name", "endpoints")), ");");
  }
}
