package io.saccade.runtime.blocks;

import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.Interpolation;
import io.saccade.runtime.adaptive.PatchCropper;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.nn.Activations;
import io.saccade.runtime.nn.BatchNorm;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Conv2d;
import io.saccade.runtime.nn.Dropout;
import io.saccade.runtime.nn.Gru;
import io.saccade.runtime.nn.Initializer;
import io.saccade.runtime.nn.Linear;
import io.saccade.runtime.nn.Pooling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;

/**
 * AdaFocusV2 (Wang et al., CVPR 2022): a light global CNN glances at every whole frame, a policy on its
 * (detached) feature map picks a patch, a heavy local CNN looks only at the patch, and a classifier
 * combines both. The crop is bilinear, so the classification loss trains the policy end to end.
 *
 * <p>Two variants, as the official code has them ({@link AdaFocusV2Spec#recurrent()}):
 * <ul>
 *   <li><b>recurrent</b> (ActivityNet, FCVID, Mini-Kinetics): per frame, 1×1 conv → BN → tanh → linear →
 *       BN → tanh → GRU over time → linear → sigmoid gives the patch of that frame; the classifier is
 *       concat(pooled global, pooled local) → linear → BN → ReLU → running max over time → a separate
 *       linear head per time step. {@code frameLogits} are the T step logits, {@code clipLogits} the last
 *       step's. Auxiliary per-frame heads on the global and on the local features train the encoders.
 *   <li><b>non-recurrent</b> (Something-Something, Jester): all frames' maps stacked on channels → 1×1 conv
 *       → BN → tanh → linear → BN → tanh → linear → BN → tanh → linear → sigmoid give one patch per clip;
 *       {@code clipLogits} = TSN average of the global head + TSN average of the local head, both on
 *       detached features; auxiliary heads on the same features train the encoders and (through the crop)
 *       the policy. The local CNN sees {@link AdaFocusV2Spec#focusFrames()} Tf frames: when Tf differs from T
 *       (the official int(1.5·T)), the clip holds the glance's T frames followed by the focus network's Tf,
 *       sampled apart (the official code's {@code imgs_glance} and {@code ims_focus}), and the clip's one
 *       patch position is applied to each of the Tf frames; {@code frameLogits} are then {@code null} (the
 *       two encoders' frames do not pair up).
 * </ul>
 *
 * <p>In training the local CNN runs a second time, with the same weights, on patches at uniformly random
 * positions (drawn from {@link BuildContext#uniformNoise}, so a resumed run draws the same), and the loss
 * is the mean of the two passes' losses: the outputs carry every head as an auxiliary with the weights
 * that make {@link io.saccade.runtime.train.Losses#outputsLoss} the official loss (recurrent: per pass,
 * CE over all T step logits + per-frame CE of the global head + per-frame CE of the local head).
 * Learning-rate multipliers are the official ones, relative to the context's: policy
 * {@value #RECURRENT_POLICY_LEARNING_RATE} (non-recurrent {@value #CLIP_POLICY_LEARNING_RATE}), global CNN
 * and its head {@value #GLOBAL_LEARNING_RATE}, classifier {@value #CLASSIFIER_LEARNING_RATE}, local CNN and
 * its head 1.
 *
 * <p>Parameter paths: {@code global/…}, {@code policy/…}, {@code local/…}, and every head under
 * {@code classifier/…} ({@code classifier/global/…} and {@code classifier/local/…} the encoders' own heads),
 * the processor's summary rows. Endpoints: {@code global} and {@code local} feature maps
 * {@code [N·T, h, w, C]}, and {@code centres} {@code [N·T, 2]}, the policy's patch positions as
 * {@link PatchCropper} takes them ((x, y) fractions of the free range {@code inputSize − patchSize});
 * and, of the policy's pass, the intermediates an official fixture compares ({@code AdaFocusV2Parity}):
 * {@code global_features} and {@code local_features} (pooled, {@code [N·T, C]}), {@code policy_map}
 * (after conv, BN, tanh), {@code policy_features}, {@code policy_states} (the GRU's), {@code policy_hidden}
 * (per clip: the second layer), {@code policy_logits} (before the sigmoid, in the official (y, x) order),
 * {@code patches} {@code [N·T, P, P, C]}, {@code classifier_hidden} (recurrent: after linear, BN, ReLU) and,
 * per clip, {@code clip_centres} {@code [N, 2]} and the four heads' clip averages ({@code global_clip_logits},
 * {@code global_aux_logits}, {@code local_clip_logits}, {@code local_aux_logits}).
 *
 * <pre>{@code
 * ModelOutputs out = AdaFocusV2.build(ctx, clips, SPEC, MyNet::globalEncoder, MyNet::localEncoder);
 * }</pre>
 */
public final class AdaFocusV2 {

  /** Learning-rate multiplier of the recurrent policy (official {@code --stn_lr_ratio 0.1}). */
  public static final float RECURRENT_POLICY_LEARNING_RATE = 0.1f;

  /** Learning-rate multiplier of the non-recurrent policy (official {@code --stn_lr_ratio 0.01}). */
  public static final float CLIP_POLICY_LEARNING_RATE = 0.01f;

  /** Learning-rate multiplier of the global CNN and its head (official {@code --global_lr_ratio 0.5}). */
  public static final float GLOBAL_LEARNING_RATE = 0.5f;

  /** Learning-rate multiplier of the recurrent classifier (official {@code --classifier_lr_ratio 5}). */
  public static final float CLASSIFIER_LEARNING_RATE = 5f;

  private AdaFocusV2() {}

  /**
   * A CNN as the generated code builds it: {@code [M, H, W, 3]} frames to the last feature map
   * {@code [M, h, w, C]} (the whole backbone including its last conv, no pooling, no classifier), with
   * its parameters under {@code ctx}.
   */
  @FunctionalInterface
  public interface Encoder {
    Operand<TFloat32> apply(BuildContext ctx, Operand<TFloat32> frames);
  }

  /**
   * The order in which frames are processed. {@link FrameOrder#SEQUENTIAL}: {@code 0, 1, …, T−1}.
   * {@link FrameOrder#COARSE_TO_FINE}: the official conditional-exit order — the middle frame
   * {@code ⌊(T−1)/2⌋}, the first, the last, then for q = 2, 4, 8, … the midpoints {@code ⌊(a+b)/2⌋} of the
   * intervals between {@code ⌊i(T−1)/q⌋}, i = 0…q, skipping frames already taken; for T = 16:
   * 7, 0, 15, 3, 11, 1, 5, 9, 13, 2, 4, 6, 8, 10, 12, 14. (For T ≤ 2 the official list repeats a frame;
   * here every frame appears exactly once.)
   */
  public static int[] processingOrder(int frames, FrameOrder order) {
    Objects.requireNonNull(order, "order");
    if (frames < 1) {
      throw new IllegalArgumentException("frames must be >= 1, got " + frames);
    }
    int[] out = new int[frames];
    if (order == FrameOrder.SEQUENTIAL) {
      for (int i = 0; i < frames; i++) {
        out[i] = i;
      }
      return out;
    }
    Set<Integer> taken = new LinkedHashSet<>(List.of((frames - 1) / 2, 0, frames - 1));
    for (long q = 2; taken.size() < frames; q *= 2) {
      for (long i = 0; i < q; i++) {
        long a = i * (frames - 1) / q;
        long b = (i + 1) * (frames - 1) / q;
        taken.add((int) ((a + b) / 2));
      }
    }
    int k = 0;
    for (int f : taken) {
      out[k++] = f;
    }
    return out;
  }

  /**
   * Per-step exit thresholds carried by a build context ({@link #withExitThresholds}).
   *
   * @param values {@code [T]} thresholds, one per processing step, usually fed
   */
  public record ExitThresholds(Operand<TFloat32> values) {
    public ExitThresholds {
      Objects.requireNonNull(values, "values");
    }
  }

  /**
   * {@code ctx} with a network that has a conditional exit built for inference that really stops: after each
   * processed frame it exits when the step's confidence reaches {@code thresholds[step]} ({@code [T]}, usually
   * fed), and the frames after it are never computed (the recurrent form; see {@code AdaFocusV2Exit}). Without
   * it the network computes every step and reports the scores.
   */
  public static BuildContext withExitThresholds(BuildContext ctx, Operand<TFloat32> thresholds) {
    return ctx.with(ExitThresholds.class, new ExitThresholds(thresholds));
  }

  /**
   * Builds AdaFocusV2 on a batch of clips.
   *
   * @param ctx where to build (mode, parameters, noise seed)
   * @param clips {@code [N, T, S, S, C]} frames, NHWC, normalised; T = {@code spec.frames()}, S =
   *     {@code spec.inputSize()}; with {@link AdaFocusV2Spec#separateFocusFrames()} {@code [N, T + Tf, S, S, C]},
   *     the glance's T frames then the focus network's Tf
   * @param spec sizes and options
   * @param global the global CNN, built under {@code ctx.child("global")}
   * @param local the local CNN, built under {@code ctx.child("local")} (twice in training, same weights)
   * @return logits (see the class comment), auxiliary heads with their loss weights, {@code dynamicGflops}
   *     {@code [N]} equal to {@code spec.gflopsPerClip()}, endpoints, and with a conditional exit the
   *     per-step {@link ModelOutputs#exitScores()} (largest raw logit of each step, as the official
   *     {@code confidence} criterion), steps in {@link #processingOrder} order
   */
  public static ModelOutputs build(
      BuildContext ctx, Operand<TFloat32> clips, AdaFocusV2Spec spec, Encoder global, Encoder local) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(global, "global encoder");
    Objects.requireNonNull(local, "local encoder");
    checkClips(clips, spec);
    if (ctx.extension(ExitThresholds.class).isPresent() && !ctx.training() && spec.recurrent() && spec.exitOrder().isPresent()) {
      return AdaFocusV2Exit.build(ctx, clips, spec, global, local);
    }
    Ops tf = ctx.tf();
    int t = spec.frames();
    if (spec.exitOrder().isPresent()) {
      int[] order = processingOrder(t, spec.exitOrder().get());
      clips = tf.withSubScope("frame_order").gather(clips, tf.constant(order), tf.constant(1));
    }
    Operand<TFloat32> glanceClips = clips;
    Operand<TFloat32> focusClips = clips;
    if (spec.separateFocusFrames()) {
      // the glance's T frames, then the focus network's Tf (sampled apart from them)
      List<org.tensorflow.Output<TFloat32>> sets =
          tf.withSubScope("frame_sets")
              .splitV(clips, tf.constant(new int[] {t, spec.focusFrames()}), tf.constant(1), 2L)
              .output();
      glanceClips = sets.get(0);
      focusClips = sets.get(1);
    }
    Operand<TFloat32> frames = Heads.foldFrames(tf, focusClips);
    Operand<TFloat32> glance = spec.separateFocusFrames() ? Heads.foldFrames(tf, glanceClips) : frames;
    if (spec.globalInputSize() < spec.inputSize()) {
      int g = spec.globalInputSize();
      glance =
          tf.withSubScope("glance")
              .image.resizeBilinear(glance, tf.constant(new int[] {g, g}), ResizeBilinear.alignCorners(true));
    }
    float lr = ctx.learningRateMultiplier();
    Operand<TFloat32> globalMap = featureMap("global", global.apply(scoped(ctx, "global", lr * GLOBAL_LEARNING_RATE), glance));
    Operand<TFloat32> globalFeatures = Pooling.globalAvgPool(tf.withSubScope("global_pool"), globalMap);
    Operand<TFloat32> dynamicGflops =
        tf.fill(
            tf.slice(tf.shape(clips), tf.constant(new int[] {0}), tf.constant(new int[] {1})),
            tf.constant((float) spec.gflopsPerClip()));
    return spec.recurrent()
        ? recurrent(ctx, frames, globalMap, globalFeatures, dynamicGflops, spec, local)
        : perClip(ctx, frames, globalMap, globalFeatures, dynamicGflops, spec, local);
  }

  private static ModelOutputs recurrent(
      BuildContext ctx,
      Operand<TFloat32> frames,
      Operand<TFloat32> globalMap,
      Operand<TFloat32> globalFeatures,
      Operand<TFloat32> dynamicGflops,
      AdaFocusV2Spec spec,
      Encoder local) {
    Ops tf = ctx.tf();
    float lr = ctx.learningRateMultiplier();
    Map<String, Operand<TFloat32>> probes = new LinkedHashMap<>();
    probes.put("global_features", globalFeatures);
    Operand<TFloat32> centres =
        recurrentPolicy(scoped(ctx, "policy", lr * RECURRENT_POLICY_LEARNING_RATE), tf.stopGradient(globalMap), spec, probes);
    Operand<TFloat32> globalLogits = head(scoped(ctx.child("classifier"), "global", lr * GLOBAL_LEARNING_RATE), globalFeatures, spec);
    Pass main = recurrentPass(ctx, frames, centres, globalFeatures, spec, local, probes);

    Map<String, Operand<TFloat32>> aux = new LinkedHashMap<>();
    Map<String, Float> weights = new LinkedHashMap<>();
    weights.put(ModelOutputs.CLIP, 0f); // the last step's CE is part of "steps"
    aux.put("steps", main.logits());
    aux.put("global", globalLogits);
    aux.put("local", main.localLogits());
    if (ctx.training()) {
      BuildContext random = ctx.withNoiseKey("random");
      Pass second =
          recurrentPass(random, frames, randomCentres(random, centres), globalFeatures, spec, local, new LinkedHashMap<>());
      aux.put("random/steps", second.logits());
      aux.put("random/local", second.localLogits());
      // The mean of the two passes; the global head is the same in both.
      weights.put("steps", 0.5f);
      weights.put("local", 0.5f);
      weights.put("random/steps", 0.5f);
      weights.put("random/local", 0.5f);
    }
    ModelOutputs out =
        new ModelOutputs(main.lastLogits(), main.logits(), List.of(), dynamicGflops, aux, endpoints(globalMap, main.localMap(), centres, probes))
            .withLossWeights(weights);
    if (spec.exitOrder().isPresent()) {
      out = out.withExitScores(tf.withSubScope("exit_scores").reduceMax(main.logits(), tf.constant(2)));
    }
    return out;
  }

  private static ModelOutputs perClip(
      BuildContext ctx,
      Operand<TFloat32> frames,
      Operand<TFloat32> globalMap,
      Operand<TFloat32> globalFeatures,
      Operand<TFloat32> dynamicGflops,
      AdaFocusV2Spec spec,
      Encoder local) {
    Ops tf = ctx.tf();
    float lr = ctx.learningRateMultiplier();
    int t = spec.focusFrames(); // the clip's one patch position, on each of the local CNN's frames
    Map<String, Operand<TFloat32>> probes = new LinkedHashMap<>();
    probes.put("global_features", globalFeatures);
    Operand<TFloat32> clipCentres =
        clipPolicy(scoped(ctx, "policy", lr * CLIP_POLICY_LEARNING_RATE), tf.stopGradient(globalMap), spec, probes);
    probes.put("clip_centres", clipCentres);
    Operand<TFloat32> centres = perFrameCentres(tf, clipCentres, t);
    TsnHeads globalHeads =
        tsnHeads(scoped(ctx.child("classifier"), "global", lr * GLOBAL_LEARNING_RATE), globalFeatures, spec.frames(), spec);
    PerClipPass main = perClipPass(ctx, frames, centres, spec, local, probes);

    Map<String, Operand<TFloat32>> aux = new LinkedHashMap<>();
    Map<String, Float> weights = new LinkedHashMap<>();
    aux.put("global", clipMean(tf, globalHeads.auxiliary()));
    aux.put("local", clipMean(tf, main.heads().auxiliary()));
    if (ctx.training()) {
      BuildContext random = ctx.withNoiseKey("random");
      PerClipPass second =
          perClipPass(random, frames, perFrameCentres(tf, randomCentres(random, clipCentres), t), spec, local, new LinkedHashMap<>());
      aux.put("random/clip", tf.math.add(clipMean(tf, globalHeads.main()), clipMean(tf, second.heads().main())));
      aux.put("random/local", clipMean(tf, second.heads().auxiliary()));
      weights.put(ModelOutputs.CLIP, 0.5f);
      weights.put("local", 0.5f);
      weights.put("random/clip", 0.5f);
      weights.put("random/local", 0.5f);
    }
    // TSN: each encoder's logits averaged over its own frames, then summed; per frame only when they pair up
    Operand<TFloat32> frameLogits = spec.separateFocusFrames() ? null : tf.math.add(globalHeads.main(), main.heads().main());
    Operand<TFloat32> clipLogits =
        spec.separateFocusFrames()
            ? tf.math.add(clipMean(tf, globalHeads.main()), clipMean(tf, main.heads().main()))
            : clipMean(tf, frameLogits);
    probes.put("global_clip_logits", clipMean(tf, globalHeads.main()));
    probes.put("global_aux_logits", clipMean(tf, globalHeads.auxiliary()));
    probes.put("local_clip_logits", clipMean(tf, main.heads().main()));
    probes.put("local_aux_logits", clipMean(tf, main.heads().auxiliary()));
    return new ModelOutputs(
            clipLogits, frameLogits, List.of(), dynamicGflops, aux, endpoints(globalMap, main.localMap(), centres, probes))
        .withLossWeights(weights);
  }

  /**
   * One pass of the local CNN and the classifier on patches at {@code centres}: step logits {@code [N, T, classes]},
   * the last step's {@code [N, classes]}, the local head's logits and the local feature map.
   */
  private record Pass(
      Operand<TFloat32> logits, Operand<TFloat32> lastLogits, Operand<TFloat32> localLogits, Operand<TFloat32> localMap) {}

  private static Pass recurrentPass(
      BuildContext ctx,
      Operand<TFloat32> frames,
      Operand<TFloat32> centres,
      Operand<TFloat32> globalFeatures,
      AdaFocusV2Spec spec,
      Encoder local,
      Map<String, Operand<TFloat32>> probes) {
    LocalFeatures l = localFeatures(ctx, frames, centres, spec, local, probes);
    Operand<TFloat32> localLogits = head(ctx.child("classifier").child("local"), l.pooled(), spec);
    StepLogits logits =
        classifier(scoped(ctx, "classifier", ctx.learningRateMultiplier() * CLASSIFIER_LEARNING_RATE), globalFeatures,
            l.pooled(), spec, probes);
    return new Pass(logits.steps(), logits.last(), localLogits, l.map());
  }

  private record PerClipPass(TsnHeads heads, Operand<TFloat32> localMap) {}

  private static PerClipPass perClipPass(
      BuildContext ctx,
      Operand<TFloat32> frames,
      Operand<TFloat32> centres,
      AdaFocusV2Spec spec,
      Encoder local,
      Map<String, Operand<TFloat32>> probes) {
    LocalFeatures l = localFeatures(ctx, frames, centres, spec, local, probes);
    return new PerClipPass(tsnHeads(ctx.child("classifier").child("local"), l.pooled(), spec.focusFrames(), spec), l.map());
  }

  /** The local CNN's feature map {@code [N·T, h, w, C]} on the patches and its average {@code [N·T, C]}. */
  private record LocalFeatures(Operand<TFloat32> map, Operand<TFloat32> pooled) {}

  /** Crops the patches at {@code centres} and runs the local CNN on them (parameters under {@code local/…}). */
  private static LocalFeatures localFeatures(
      BuildContext ctx,
      Operand<TFloat32> frames,
      Operand<TFloat32> centres,
      AdaFocusV2Spec spec,
      Encoder local,
      Map<String, Operand<TFloat32>> probes) {
    Operand<TFloat32> patches = patches(ctx, frames, centres, spec);
    Operand<TFloat32> map = featureMap("local", local.apply(ctx.child("local"), patches));
    Operand<TFloat32> pooled = Pooling.globalAvgPool(ctx.tf().withSubScope("local_pool"), map);
    probes.put("patches", patches);
    probes.put("local_features", pooled);
    return new LocalFeatures(map, pooled);
  }

  /** Uniform positions in [0, 1)², one per row of {@code like}, the same on a resumed run. */
  private static Operand<TFloat32> randomCentres(BuildContext ctx, Operand<TFloat32> like) {
    return ctx.child("random_centres").uniformNoise(ctx.tf().shape(like));
  }

  /** A clip's centres {@code [N, 2]} repeated for each of its {@code t} frames: {@code [N·t, 2]}. */
  private static Operand<TFloat32> perFrameCentres(Ops tf, Operand<TFloat32> clipCentres, int t) {
    Ops s = tf.withSubScope("centres_per_frame");
    return s.reshape(
        s.tile(s.expandDims(clipCentres, s.constant(1)), s.constant(new int[] {1, t, 1})), s.constant(new int[] {-1, 2}));
  }

  /**
   * The patch of every frame. Bilinear: {@link PatchCropper}. Nearest: copied pixels at inference; in
   * training the nearest values with the bilinear crop's gradient (straight-through), so the policy trains.
   */
  static Operand<TFloat32> patches(
      BuildContext ctx, Operand<TFloat32> frames, Operand<TFloat32> centres, AdaFocusV2Spec spec) {
    Ops tf = ctx.tf().withSubScope("crop");
    int p = spec.patchSize();
    if (spec.interpolation() == Interpolation.BILINEAR) {
      return PatchCropper.crop(tf, frames, centres, p);
    }
    Operand<TFloat32> nearest = PatchCropper.crop(tf, frames, centres, p, Interpolation.NEAREST);
    if (!ctx.training()) {
      return nearest;
    }
    Operand<TFloat32> bilinear = PatchCropper.crop(tf, frames, centres, p);
    return tf.math.add(bilinear, tf.stopGradient(tf.math.sub(nearest, bilinear)));
  }

  /**
   * Per frame: 1×1 conv (no bias) → BN → tanh → linear → BN → tanh → GRU over the T frames → linear(2) →
   * sigmoid. Returns {@code [N·T, 2]} as (x, y): the official output is (y, x) (its {@code actions[:, 1]}
   * moves the patch horizontally), so official weights import unchanged.
   */
  private static Operand<TFloat32> recurrentPolicy(
      BuildContext ctx, Operand<TFloat32> maps, AdaFocusV2Spec spec, Map<String, Operand<TFloat32>> probes) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = linearBnTanh(ctx, "fc1", "bn1", spec.policyHidden(), policyConv(ctx, maps, spec, probes));
    probes.put("policy_features", x);
    x = Heads.unfoldFrames(tf, x, spec.frames());
    x = Gru.builder(spec.policyHidden()).build(ctx.child("gru"), x);
    x = tf.reshape(x, tf.constant(new int[] {-1, spec.policyHidden()}));
    probes.put("policy_states", x);
    return location(ctx, "fc2", x, probes);
  }

  /**
   * All T maps stacked on channels (frame-major, as the official {@code view(-1, T·C, h, w)}) → 1×1 conv →
   * BN → tanh → linear(H) → BN → tanh → linear(H/2) → BN → tanh → linear(2) → sigmoid: {@code [N, 2]} as (x, y).
   */
  private static Operand<TFloat32> clipPolicy(
      BuildContext ctx, Operand<TFloat32> maps, AdaFocusV2Spec spec, Map<String, Operand<TFloat32>> probes) {
    Ops tf = ctx.tf();
    int t = spec.frames();
    long[] s = maps.shape().asArray();
    int h = (int) s[1];
    int w = (int) s[2];
    int c = (int) s[3];
    Operand<TFloat32> stacked =
        tf.reshape(
            tf.linalg.transpose(Heads.unfoldFrames(tf, maps, t), tf.constant(new int[] {0, 2, 3, 1, 4})),
            tf.constant(new int[] {-1, h, w, t * c}));
    Operand<TFloat32> x = linearBnTanh(ctx, "fc1", "bn1", spec.policyHidden(), policyConv(ctx, stacked, spec, probes));
    probes.put("policy_features", x);
    x = linearBnTanh(ctx, "fc2", "bn2", spec.policyHidden() / 2, x);
    probes.put("policy_hidden", x);
    return location(ctx, "fc3", x, probes);
  }

  /** linear(width) under {@code fc} → BN under {@code bn} → tanh. */
  static Operand<TFloat32> linearBnTanh(BuildContext ctx, String fc, String bn, int width, Operand<TFloat32> x) {
    Operand<TFloat32> y = Linear.builder(width).build(ctx.child(fc), x);
    return Activations.tanh(ctx.tf(), BatchNorm.builder().build(ctx.child(bn), y));
  }

  /** linear(2) under {@code fc} → sigmoid: the patch location as (x, y); the logits go to {@code probes}. */
  static Operand<TFloat32> location(
      BuildContext ctx, String fc, Operand<TFloat32> x, Map<String, Operand<TFloat32>> probes) {
    Operand<TFloat32> logits = Linear.builder(2).build(ctx.child(fc), x);
    probes.put("policy_logits", logits);
    return yxToXy(ctx, ctx.tf().math.sigmoid(logits));
  }

  /** 1×1 conv → BN → tanh, flattened in PyTorch's (C, h, w) order: {@code [M, channels·h·w]}. */
  static Operand<TFloat32> policyConv(
      BuildContext ctx, Operand<TFloat32> maps, AdaFocusV2Spec spec, Map<String, Operand<TFloat32>> probes) {
    Ops tf = ctx.tf();
    long[] s = maps.shape().asArray();
    int cells = (int) (s[1] * s[2]);
    Operand<TFloat32> x =
        Conv2d.builder(spec.policyChannels())
            .kernel(1)
            .bias(false)
            .initializer(Initializer.uniform((float) (1.0 / Math.sqrt(s[3]))))
            .build(ctx.child("conv"), maps);
    x = Activations.tanh(tf, BatchNorm.builder().build(ctx.child("bn0"), x));
    probes.put("policy_map", x);
    x = tf.linalg.transpose(x, tf.constant(new int[] {0, 3, 1, 2}));
    return tf.reshape(x, tf.constant(new int[] {-1, spec.policyChannels() * cells}));
  }

  private static Operand<TFloat32> yxToXy(BuildContext ctx, Operand<TFloat32> yx) {
    Ops tf = ctx.tf();
    return tf.withName("centres").identity(tf.gather(yx, tf.constant(new int[] {1, 0}), tf.constant(1)));
  }

  /** The recurrent classifier's step logits {@code [N, T, classes]} and the last step's {@code [N, classes]}. */
  private record StepLogits(Operand<TFloat32> steps, Operand<TFloat32> last) {}

  private static StepLogits classifier(
      BuildContext ctx,
      Operand<TFloat32> globalFeatures,
      Operand<TFloat32> localFeatures,
      AdaFocusV2Spec spec,
      Map<String, Operand<TFloat32>> probes) {
    Ops tf = ctx.tf();
    int t = spec.frames();
    Operand<TFloat32> x = tf.concat(List.of(globalFeatures, localFeatures), tf.constant(1));
    x = Linear.builder(spec.hidden()).build(ctx.child("fc"), x);
    x = Activations.relu(tf, BatchNorm.builder().build(ctx.child("bn"), x));
    probes.put("classifier_hidden", x);
    x = Heads.unfoldFrames(tf, x, t);
    List<Operand<TFloat32>> z =
        new ArrayList<>(tf.unstack(x, (long) t, org.tensorflow.op.core.Unstack.axis(1L)).output());
    List<Operand<TFloat32>> steps = new ArrayList<>();
    Operand<TFloat32> pooled = z.get(0);
    for (int i = 0; i < t; i++) {
      if (i > 0) {
        pooled = tf.math.maximum(z.get(i), pooled); // running max over the frames seen so far
      }
      BuildContext step = ctx.child("step" + i);
      steps.add(Linear.builder(spec.classes()).build(step, Dropout.apply(step, pooled, spec.dropout())));
    }
    return new StepLogits(tf.stack(steps, org.tensorflow.op.core.Stack.axis(1L)), steps.get(t - 1));
  }

  /** Dropout → linear(classes) on {@code [N·T, C]} features (PyTorch's default initialisation): {@code [N, T, classes]}. */
  private static Operand<TFloat32> head(BuildContext ctx, Operand<TFloat32> features, AdaFocusV2Spec spec) {
    Operand<TFloat32> logits =
        Linear.builder(spec.classes()).build(ctx.child("fc"), Dropout.apply(ctx, features, spec.dropout()));
    return Heads.unfoldFrames(ctx.tf(), logits, spec.frames());
  }

  /** A TSN encoder's two heads, each {@code [N, frames, classes]}: the main one sees detached features. */
  private record TsnHeads(Operand<TFloat32> main, Operand<TFloat32> auxiliary) {}

  private static TsnHeads tsnHeads(BuildContext ctx, Operand<TFloat32> features, int frames, AdaFocusV2Spec spec) {
    Ops tf = ctx.tf();
    Operand<TFloat32> dropped = Dropout.apply(ctx, features, spec.dropout());
    Operand<TFloat32> main = tsnLinear(ctx.child("fc"), tf.stopGradient(dropped), spec.classes());
    Operand<TFloat32> aux = tsnLinear(ctx.child("aux_fc"), dropped, spec.classes());
    return new TsnHeads(Heads.unfoldFrames(tf, main, frames), Heads.unfoldFrames(tf, aux, frames));
  }

  /** Linear with the TSN initialisation: weights normal with std {@link Heads#CLASSIFIER_INIT_STD}, biases zero. */
  private static Operand<TFloat32> tsnLinear(BuildContext ctx, Operand<TFloat32> x, int out) {
    return Linear.builder(out)
        .initializer(Initializer.normal(Heads.CLASSIFIER_INIT_STD))
        .biasInitializer(Initializer.zeros())
        .build(ctx, x);
  }

  private static Operand<TFloat32> clipMean(Ops tf, Operand<TFloat32> perFrame) {
    return tf.math.mean(perFrame, tf.constant(1));
  }

  static BuildContext scoped(BuildContext ctx, String name, float learningRate) {
    return ctx.child(name).withLearningRateMultiplier(learningRate);
  }

  private static Map<String, Operand<TFloat32>> endpoints(
      Operand<TFloat32> globalMap,
      Operand<TFloat32> localMap,
      Operand<TFloat32> centres,
      Map<String, Operand<TFloat32>> probes) {
    Map<String, Operand<TFloat32>> e = new LinkedHashMap<>();
    e.put("global", globalMap);
    e.put("local", localMap);
    e.put("centres", centres);
    e.putAll(probes);
    return e;
  }

  static Operand<TFloat32> featureMap(String encoder, Operand<TFloat32> map) {
    Shape s = map.shape();
    if (s.isUnknown() || s.numDimensions() != 4 || s.get(1) <= 0 || s.get(2) <= 0 || s.get(3) <= 0) {
      throw new IllegalArgumentException(
          "the " + encoder + " encoder must return a feature map [M, h, w, C] with static h, w and C, got shape " + s);
    }
    return map;
  }

  private static void checkClips(Operand<TFloat32> clips, AdaFocusV2Spec spec) {
    Objects.requireNonNull(clips, "clips");
    Shape s = clips.shape();
    int size = spec.inputSize();
    if (s.isUnknown()
        || s.numDimensions() != 5
        || s.get(1) != spec.clipFrames()
        || s.get(2) != size
        || s.get(3) != size
        || s.get(4) <= 0) {
      throw new IllegalArgumentException(
          "AdaFocusV2 needs clips [N, " + spec.clipFrames() + ", " + size + ", " + size + ", C] ("
              + (spec.separateFocusFrames() ? spec.frames() + " glance then " + spec.focusFrames() + " focus frames" : "frames")
              + " and inputSize of the spec), got shape " + s);
    }
  }
}
