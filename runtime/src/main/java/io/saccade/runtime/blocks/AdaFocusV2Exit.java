package io.saccade.runtime.blocks;

import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.nn.Activations;
import io.saccade.runtime.nn.BatchNorm;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Gru;
import io.saccade.runtime.nn.Linear;
import io.saccade.runtime.nn.Pooling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.SwitchCond;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * AdaFocusV2's recurrent form at inference with a conditional exit that really stops computing: the
 * frames are processed one at a time in {@link AdaFocusV2#processingOrder} order (global CNN, policy GRU
 * step, patch, local CNN, classifier with its running max), and after step {@code i} every clip whose
 * confidence (largest logit, the official criterion) reaches {@code thresholds[i]} exits with that step's
 * logits. When every clip of the batch has exited, a {@code Switch} sends the remaining steps' inputs down
 * a dead branch, so TensorFlow never runs their kernels; a {@code Merge} picks the exit that fired. The
 * last step always exits.
 *
 * <p>Built by {@link AdaFocusV2#build} when the context carries {@link AdaFocusV2#withExitThresholds}; the
 * parameters are the same as the batched graph's (same paths), and with thresholds no logit reaches
 * ({@code +∞}) the clip logits equal its last step. The dynamic GFLOPs of a clip are its steps taken ×
 * {@code spec.gflopsPerClip() / T}, the official expected-GFLOPs accounting (the analytic count is a sum
 * over frames).
 */
final class AdaFocusV2Exit {

  private AdaFocusV2Exit() {}

  static ModelOutputs build(
      BuildContext ctx, Operand<TFloat32> clips, AdaFocusV2Spec spec, AdaFocusV2.Encoder global, AdaFocusV2.Encoder local) {
    Ops tf = ctx.tf();
    int t = spec.frames();
    int[] order = AdaFocusV2.processingOrder(t, spec.exitOrder().orElseThrow());
    Operand<TFloat32> thresholds = ctx.extension(AdaFocusV2.ExitThresholds.class).orElseThrow().values();
    float lr = ctx.learningRateMultiplier();
    BuildContext globalCtx = AdaFocusV2.scoped(ctx, "global", lr * AdaFocusV2.GLOBAL_LEARNING_RATE);
    BuildContext policyCtx = AdaFocusV2.scoped(ctx, "policy", lr * AdaFocusV2.RECURRENT_POLICY_LEARNING_RATE);
    BuildContext classifierCtx = AdaFocusV2.scoped(ctx, "classifier", lr * AdaFocusV2.CLASSIFIER_LEARNING_RATE);
    Map<String, Operand<TFloat32>> probes = new LinkedHashMap<>(); // the helpers record probes; unused here

    Operand<TFloat32> source = clips;
    Operand<TFloat32> h = null;
    Operand<TFloat32> pooled = null;
    Operand<TFloat32> chosen = null;
    Operand<TInt32> steps = null;
    Operand<TBool> exited = null;
    List<Operand<TFloat32>> exitLogits = new ArrayList<>();
    List<Operand<TInt32>> exitSteps = new ArrayList<>();
    for (int i = 0; i < t; i++) {
      Ops s = tf.withSubScope("exit_step" + i);
      Operand<TFloat32> frame = s.gather(source, s.constant(order[i]), s.constant(1)); // [N, S, S, C]
      Operand<TFloat32> glance = frame;
      if (spec.globalInputSize() < spec.inputSize()) {
        int g = spec.globalInputSize();
        glance = s.image.resizeBilinear(frame, s.constant(new int[] {g, g}), ResizeBilinear.alignCorners(true));
      }
      Operand<TFloat32> globalMap = AdaFocusV2.featureMap("global", global.apply(globalCtx, glance));
      Operand<TFloat32> globalFeatures = Pooling.globalAvgPool(s, globalMap);

      Operand<TFloat32> x =
          AdaFocusV2.linearBnTanh(
              policyCtx, "fc1", "bn1", spec.policyHidden(), AdaFocusV2.policyConv(policyCtx, globalMap, spec, probes));
      h = Gru.builder(spec.policyHidden()).step(policyCtx.child("gru"), x, h);
      Operand<TFloat32> centres = AdaFocusV2.location(policyCtx, "fc2", h, probes);

      Operand<TFloat32> patches = AdaFocusV2.patches(ctx, frame, centres, spec);
      Operand<TFloat32> localMap = AdaFocusV2.featureMap("local", local.apply(ctx.child("local"), patches));
      Operand<TFloat32> localFeatures = Pooling.globalAvgPool(s, localMap);

      Operand<TFloat32> z = s.concat(List.of(globalFeatures, localFeatures), s.constant(1));
      z = Linear.builder(spec.hidden()).build(classifierCtx.child("fc"), z);
      z = Activations.relu(s, BatchNorm.builder().build(classifierCtx.child("bn"), z));
      pooled = pooled == null ? z : s.math.maximum(z, pooled); // running max over the frames seen so far
      Operand<TFloat32> logits = Linear.builder(spec.classes()).build(classifierCtx.child("step" + i), pooled);

      Operand<TFloat32> confidence = s.reduceMax(logits, s.constant(1));
      Operand<TBool> fires =
          i == t - 1
              ? s.fill(s.shape(confidence), s.constant(true)) // the last step always exits
              : s.math.greaterEqual(confidence, s.gather(thresholds, s.constant(i), s.constant(0)));
      Operand<TBool> newly = exited == null ? fires : s.math.logicalAnd(s.math.logicalNot(exited), fires);
      Operand<TInt32> stepNumber = s.fill(s.shape(newly), s.constant(i + 1));
      chosen = chosen == null ? logits : s.select(s.expandDims(newly, s.constant(1)), logits, chosen);
      steps = steps == null ? stepNumber : s.select(newly, stepNumber, steps);
      exited = exited == null ? newly : s.math.logicalOr(exited, newly);
      if (i == t - 1) {
        exitLogits.add(chosen);
        exitSteps.add(steps);
        break;
      }
      // Go on while some clip of the batch has not exited; otherwise the next steps' inputs are dead.
      Operand<TBool> goOn = s.math.logicalNot(s.reduceAll(exited, s.constant(0)));
      SwitchCond<TFloat32> chosenSwitch = s.switchCond(chosen, goOn);
      SwitchCond<TInt32> stepsSwitch = s.switchCond(steps, goOn);
      exitLogits.add(chosenSwitch.outputFalse());
      exitSteps.add(stepsSwitch.outputFalse());
      chosen = chosenSwitch.outputTrue();
      steps = stepsSwitch.outputTrue();
      source = s.switchCond(source, goOn).outputTrue();
      h = s.switchCond(h, goOn).outputTrue();
      pooled = s.switchCond(pooled, goOn).outputTrue();
      exited = s.switchCond(exited, goOn).outputTrue();
    }
    Ops m = tf.withSubScope("exit");
    Operand<TFloat32> clipLogits = m.withName("clip_logits").merge(exitLogits).output();
    Operand<TInt32> stepsTaken = m.withName("steps_taken").merge(exitSteps).output();
    Operand<TFloat32> dynamicGflops =
        m.math.mul(m.dtypes.cast(stepsTaken, TFloat32.class), m.constant((float) (spec.gflopsPerClip() / t)));
    Map<String, Operand<TFloat32>> endpoints = new LinkedHashMap<>();
    endpoints.put("steps_taken", m.dtypes.cast(stepsTaken, TFloat32.class));
    return new ModelOutputs(clipLogits, null, List.of(), dynamicGflops, Map.of(), endpoints);
  }
}
