package io.saccade.runtime.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.Interpolation;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.testing.TfTest;
import io.saccade.runtime.train.Losses;
import io.saccade.runtime.train.SgdMomentum;
import io.saccade.runtime.train.TrainOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class AdaFocusV2Test {

  static final int N = 2;
  static final int T = 4;
  static final int SIZE = 32;
  static final int PATCH = 16;
  static final int CLASSES = 5;
  static final int POLICY_CHANNELS = 8;
  static final int POLICY_HIDDEN = 16;
  static final int HIDDEN = 16;
  static final int[] LABELS = {1, 3};

  /** 32 px → stem (8 ch, 8 px) → bottleneck (4 → 16 ch, stride 2): [M, 4, 4, 16]; on 16 px: [M, 2, 2, 16]. */
  static Operand<TFloat32> globalEncoder(BuildContext ctx, Operand<TFloat32> frames) {
    Operand<TFloat32> x = ResNet.stem(ctx.child("stem"), frames, 8);
    return ResNet.bottleneck(ctx.child("block0"), x, BottleneckSpec.of(4, 16).withStride(2));
  }

  /** 16 px patch → stem (8 ch, 4 px) → bottleneck (6 → 24 ch, stride 2): [M, 2, 2, 24]. */
  static Operand<TFloat32> localEncoder(BuildContext ctx, Operand<TFloat32> patches) {
    Operand<TFloat32> x = ResNet.stem(ctx.child("stem"), patches, 8);
    return ResNet.bottleneck(ctx.child("block0"), x, BottleneckSpec.of(6, 24).withStride(2));
  }

  static final int GLOBAL_CHANNELS = 16;
  static final int LOCAL_CHANNELS = 24;

  static AdaFocusV2Spec recurrent(float dropout, Interpolation interpolation, Optional<FrameOrder> exit) {
    return new AdaFocusV2Spec(
        T, CLASSES, SIZE, SIZE, PATCH, true, interpolation, POLICY_CHANNELS, POLICY_HIDDEN, HIDDEN, dropout, exit, 1.5);
  }

  static AdaFocusV2Spec recurrent() {
    return recurrent(0.2f, Interpolation.BILINEAR, Optional.of(FrameOrder.COARSE_TO_FINE));
  }

  /** One patch per clip; the global CNN sees frames resized to 16 px (its map is 2×2). */
  static AdaFocusV2Spec perClip() {
    return new AdaFocusV2Spec(
        T, CLASSES, SIZE, 16, PATCH, false, Interpolation.BILINEAR, POLICY_CHANNELS, POLICY_HIDDEN, HIDDEN, 0.5f,
        Optional.empty(), 2.25);
  }

  static ModelOutputs build(BuildContext ctx, Operand<TFloat32> clips, AdaFocusV2Spec spec) {
    return AdaFocusV2.build(ctx, clips, spec, AdaFocusV2Test::globalEncoder, AdaFocusV2Test::localEncoder);
  }

  static float[] clips(long seed) {
    return TfTest.randomFloats(seed, N * T * SIZE * SIZE * 3, 1f);
  }

  // ---------------------------------------------------------------- the processor's cost model, by hand

  /** Sizer's conv + BN: weights (no bias) and γ, β. */
  static long convBn(int in, int out, int k) {
    return (long) in * out * k * k + 2L * out;
  }

  static long linear(int in, int out) {
    return (long) in * out + out;
  }

  static long stem(int channels) {
    return convBn(3, channels, 7);
  }

  /** A projecting bottleneck (conv1, conv2, conv3, shortcut conv, each with BN), as Sizer.bottleneck. */
  static long bottleneck(int in, int inner, int out) {
    return convBn(in, inner, 1) + convBn(inner, inner, 3) + convBn(inner, out, 1) + convBn(in, out, 1);
  }

  /** Sizer.adaFocus's policy row with its constants (64, 2048; 1024, 512) replaced by the test's sizes. */
  static long sizerPolicy(boolean recurrent, int c, int cells) {
    int h = POLICY_HIDDEN;
    if (recurrent) {
      long gru = 3L * (2L * h * h);
      return convBn(c, POLICY_CHANNELS, 1) + linear(POLICY_CHANNELS * cells, h) + 2L * h + gru + 6L * h + linear(h, 2);
    }
    return convBn(T * c, POLICY_CHANNELS, 1) + linear(POLICY_CHANNELS * cells, h) + 2L * h + linear(h, h / 2) + 2L * (h / 2)
        + linear(h / 2, 2);
  }

  /** Sizer.adaFocus's classifier row. */
  static long sizerClassifier(boolean recurrent, int g, int l) {
    long head = linear(g, CLASSES) + linear(l, CLASSES);
    if (recurrent) {
      head += linear(g + l, HIDDEN) + 2L * HIDDEN + linear(HIDDEN, CLASSES);
      head += (long) (T - 1) * ((long) HIDDEN * CLASSES + CLASSES);
    } else {
      head += linear(g, CLASSES) + linear(l, CLASSES);
    }
    return head;
  }

  static long trainableUnder(List<Parameter> params, String... prefixes) {
    return params.stream()
        .filter(Parameter::trainable)
        .filter(p -> Arrays.stream(prefixes).anyMatch(x -> p.name().startsWith(x + "/")))
        .mapToLong(Parameter::size)
        .sum();
  }

  @Test
  void parameterCountsEqualTheProcessorsCostModel() {
    for (boolean rec : new boolean[] {true, false}) {
      try (TfTest t = TfTest.create()) {
        AdaFocusV2Spec spec = rec ? recurrent() : perClip();
        build(t.ctx(Mode.TRAINING), t.placeholder(N, T, SIZE, SIZE, 3), spec);
        int variables = t.store().all().size();
        build(t.ctx(Mode.INFERENCE), t.placeholder(N, T, SIZE, SIZE, 3), spec);
        assertEquals(variables, t.store().all().size(), "the inference build and the second pass share every variable");
        List<Parameter> ps = t.store().all();
        int cells = rec ? 16 : 4; // the global map is 4×4 on 32 px, 2×2 on the 16 px glance
        long global = stem(8) + bottleneck(8, 4, GLOBAL_CHANNELS);
        long local = stem(8) + bottleneck(8, 6, LOCAL_CHANNELS);
        assertEquals(global, trainableUnder(ps, "global"));
        assertEquals(local, trainableUnder(ps, "local"));
        assertEquals(sizerPolicy(rec, GLOBAL_CHANNELS, cells), trainableUnder(ps, "policy"), "policy, recurrent=" + rec);
        assertEquals(
            sizerClassifier(rec, GLOBAL_CHANNELS, LOCAL_CHANNELS),
            trainableUnder(ps, "classifier"),
            "classifier, recurrent=" + rec);
        assertEquals(
            global + local + sizerPolicy(rec, GLOBAL_CHANNELS, cells) + sizerClassifier(rec, GLOBAL_CHANNELS, LOCAL_CHANNELS),
            t.store().trainableSize());
      }
    }
  }

  @Test
  void learningRateMultipliersAreTheOfficialOnes() {
    for (boolean rec : new boolean[] {true, false}) {
      try (TfTest t = TfTest.create()) {
        build(t.ctx(Mode.TRAINING), t.placeholder(N, T, SIZE, SIZE, 3), rec ? recurrent() : perClip());
        for (Parameter p : t.store().trainables()) {
          String top = p.name().substring(0, p.name().indexOf('/'));
          if (p.name().startsWith("classifier/global/") || p.name().startsWith("classifier/local/")) {
            top = p.name().substring(0, p.name().indexOf('/', "classifier/".length()));
          }
          float want =
              switch (top) {
                case "policy" -> rec ? 0.1f : 0.01f;
                case "global", "classifier/global" -> 0.5f;
                case "classifier" -> 5f;
                case "local", "classifier/local" -> 1f;
                default -> throw new AssertionError("unexpected parameter " + p.name());
              };
          assertEquals(want, p.learningRateMultiplier(), p.name());
        }
      }
    }
  }

  private static float[] run(TfTest t, Placeholder<TFloat32> in, float[] clips, List<Operand<TFloat32>> fetches) {
    return t.evalAll(Map.of(in, clips), fetches).get(0);
  }

  @Test
  void recurrentShapesLossWeightsAndExitScores() {
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> in = t.placeholder(N, T, SIZE, SIZE, 3);
      BuildContext ctx = t.ctx(Mode.TRAINING).withNoiseSeed(t.tf().constant(new long[] {1L, 2L}));
      ModelOutputs train = build(ctx, in, recurrent());
      assertArrayEquals(new long[] {N, CLASSES}, train.clipLogits().shape().asArray());
      assertTrue(train.frameLogits() == train.auxiliaryLogits().get("steps"));
      assertArrayEquals(new long[] {N, T, CLASSES}, train.frameLogits().shape().asArray());
      assertEquals(List.of("steps", "global", "local", "random/steps", "random/local"), List.copyOf(train.auxiliaryLogits().keySet()));
      for (Operand<TFloat32> aux : train.auxiliaryLogits().values()) {
        assertArrayEquals(new long[] {N, T, CLASSES}, aux.shape().asArray());
      }
      assertEquals(0f, train.lossWeight(ModelOutputs.CLIP));
      assertEquals(1f, train.lossWeight("global"));
      assertEquals(0.5f, train.lossWeight("random/steps"));
      assertArrayEquals(new long[] {N * T, 2}, train.endpoints().get("centres").shape().asArray());
      assertArrayEquals(new long[] {N * T, 4, 4, GLOBAL_CHANNELS}, train.endpoints().get("global").shape().asArray());
      assertArrayEquals(new long[] {N * T, 2, 2, LOCAL_CHANNELS}, train.endpoints().get("local").shape().asArray());

      // The weighted loss is the official one: mean over the two passes of CE(all steps) + CE(global) + CE(local),
      // every CE over the N·T frames.
      Operand<TFloat32> loss = Losses.outputsLoss(t.tf(), train, t.tf().constant(LABELS), t.constant(new float[] {1, 1}, N));
      List<Operand<TFloat32>> fetches = new ArrayList<>(train.auxiliaryLogits().values());
      fetches.add(loss);
      fetches.add(train.clipLogits());
      fetches.add(train.exitScores());
      fetches.add(train.dynamicGflops());
      List<float[]> v = t.evalAll(Map.of(in, clips(3)), fetches);
      double pass1 = perFrameCe(v.get(0)) + perFrameCe(v.get(1)) + perFrameCe(v.get(2));
      double pass2 = perFrameCe(v.get(3)) + perFrameCe(v.get(1)) + perFrameCe(v.get(4));
      assertEquals((pass1 + pass2) / 2, v.get(5)[0], 1e-4);
      float[] steps = v.get(0); // frameLogits is the "steps" head itself
      for (int n = 0; n < N; n++) {
        for (int k = 0; k < CLASSES; k++) {
          assertEquals(steps[(n * T + T - 1) * CLASSES + k], v.get(6)[n * CLASSES + k], "clip logits = last step");
        }
        for (int s = 0; s < T; s++) {
          float max = Float.NEGATIVE_INFINITY;
          for (int k = 0; k < CLASSES; k++) {
            max = Math.max(max, steps[(n * T + s) * CLASSES + k]);
          }
          assertEquals(max, v.get(7)[n * T + s], "exit score = largest raw logit of the step");
        }
      }
      assertArrayEquals(new float[] {1.5f, 1.5f}, v.get(8));

      ModelOutputs infer = build(t.ctx(Mode.INFERENCE), t.tf().placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, T, SIZE, SIZE, 3))), recurrent());
      assertEquals(List.of("steps", "global", "local"), List.copyOf(infer.auxiliaryLogits().keySet()));
      assertNotNull(infer.exitScores());
      assertNull(build(t.ctx(Mode.INFERENCE), in, recurrent(0f, Interpolation.BILINEAR, Optional.empty())).exitScores());
    }
  }

  /** Mean over clips and frames of the CE of [N, T, k] logits against LABELS. */
  static double perFrameCe(float[] logits) {
    double sum = 0;
    for (int n = 0; n < N; n++) {
      for (int s = 0; s < T; s++) {
        int o = (n * T + s) * CLASSES;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < CLASSES; k++) {
          max = Math.max(max, logits[o + k]);
        }
        double z = 0;
        for (int k = 0; k < CLASSES; k++) {
          z += Math.exp(logits[o + k] - max);
        }
        sum += max + Math.log(z) - logits[o + LABELS[n]];
      }
    }
    return sum / (N * T);
  }

  @Test
  void perClipVariantAddsTsnLogitsAndMovesOnePatchPerClip() {
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> in = t.placeholder(N, T, SIZE, SIZE, 3);
      ModelOutputs train =
          build(t.ctx(Mode.TRAINING).withNoiseSeed(t.tf().constant(new long[] {1L, 2L})), in, perClip());
      assertEquals(List.of("global", "local", "random/clip", "random/local"), List.copyOf(train.auxiliaryLogits().keySet()));
      assertEquals(0.5f, train.lossWeight(ModelOutputs.CLIP));
      assertEquals(1f, train.lossWeight("global"));
      assertEquals(0.5f, train.lossWeight("random/local"));
      assertNull(train.exitScores());
      ModelOutputs infer = build(t.ctx(Mode.INFERENCE), in, perClip());
      List<float[]> v =
          t.evalAll(Map.of(in, clips(4)), List.of(infer.clipLogits(), infer.frameLogits(), infer.endpoints().get("centres"),
              infer.dynamicGflops()));
      assertArrayEquals(new long[] {N, CLASSES}, infer.clipLogits().shape().asArray());
      for (int n = 0; n < N; n++) {
        for (int k = 0; k < CLASSES; k++) {
          double mean = 0;
          for (int s = 0; s < T; s++) {
            mean += v.get(1)[(n * T + s) * CLASSES + k] / T;
          }
          assertEquals(mean, v.get(0)[n * CLASSES + k], 1e-6, "clip logits = TSN mean of global + local");
        }
        for (int s = 1; s < T; s++) {
          assertEquals(v.get(2)[(n * T) * 2], v.get(2)[(n * T + s) * 2]);
          assertEquals(v.get(2)[(n * T) * 2 + 1], v.get(2)[(n * T + s) * 2 + 1]);
        }
      }
      assertArrayEquals(new float[] {2.25f, 2.25f}, v.get(3));
    }
  }

  static final int FOCUS = 6;

  /** {@link #perClip()} with the local CNN on 6 focus frames sampled apart from the glance's 4 (the official 1.5·T). */
  static AdaFocusV2Spec perClipFocusFrames() {
    return new AdaFocusV2Spec(
        T, FOCUS, CLASSES, SIZE, 16, PATCH, false, Interpolation.BILINEAR, POLICY_CHANNELS, POLICY_HIDDEN, HIDDEN, 0.5f,
        Optional.empty(), 2.75);
  }

  /** Clip {@code c} of {@code clips} with its frames {@code from..to-1} replaced by {@code with}'s frames {@code order}. */
  private static float[] withFrames(float[] clips, int clipFrames, int from, float[] with, int[] order) {
    int frame = SIZE * SIZE * 3;
    float[] out = clips.clone();
    for (int n = 0; n < N; n++) {
      for (int k = 0; k < order.length; k++) {
        System.arraycopy(with, (n * clipFrames + order[k]) * frame, out, (n * clipFrames + from + k) * frame, frame);
      }
    }
    return out;
  }

  @Test
  void perClipFocusFramesAreTheClipsLastFramesEachCroppedAtTheClipsOnePatch() {
    AdaFocusV2Spec spec = perClipFocusFrames();
    assertEquals(T + FOCUS, spec.clipFrames());
    int frame = SIZE * SIZE * 3;
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> in = t.placeholder(N, T + FOCUS, SIZE, SIZE, 3);
      ModelOutputs out = build(t.ctx(Mode.INFERENCE), in, spec);
      assertNull(out.frameLogits(), "the glance's 4 frames and the focus network's 6 do not pair up");
      assertArrayEquals(new long[] {N * T, 2, 2, GLOBAL_CHANNELS}, out.endpoints().get("global").shape().asArray());
      assertArrayEquals(new long[] {N * FOCUS, PATCH, PATCH, 3}, out.endpoints().get("patches").shape().asArray());
      Map<String, Operand<TFloat32>> e = out.endpoints();
      List<Operand<TFloat32>> fetch = List.of(e.get("global_features"), e.get("clip_centres"), e.get("patches"),
          e.get("global_clip_logits"), e.get("local_clip_logits"), out.clipLogits());
      float[] a = TfTest.randomFloats(31, N * (T + FOCUS) * frame, 1f);
      float[] other = TfTest.randomFloats(32, N * (T + FOCUS) * frame, 1f);
      int[] all = {4, 5, 6, 7, 8, 9};
      int[] reversed = {9, 8, 7, 6, 5, 4};
      List<float[]> va = t.evalAll(Map.of(in, a), fetch);
      // other focus frames: the glance, its features and the policy's patch position are unchanged, the patches not
      List<float[]> vb = t.evalAll(Map.of(in, withFrames(a, T + FOCUS, T, other, all)), fetch);
      assertArrayEquals(va.get(0), vb.get(0));
      assertArrayEquals(va.get(1), vb.get(1));
      assertTrue(!Arrays.equals(va.get(2), vb.get(2)), "the patches come from the focus frames");
      // the focus frames reversed: the same patches reversed (one position for the clip), the local TSN mean the same
      List<float[]> vc = t.evalAll(Map.of(in, withFrames(a, T + FOCUS, T, a, reversed)), fetch);
      int patch = PATCH * PATCH * 3;
      for (int n = 0; n < N; n++) {
        for (int k = 0; k < FOCUS; k++) {
          assertArrayEquals(Arrays.copyOfRange(va.get(2), (n * FOCUS + k) * patch, (n * FOCUS + k + 1) * patch),
              Arrays.copyOfRange(vc.get(2), (n * FOCUS + FOCUS - 1 - k) * patch, (n * FOCUS + FOCUS - k) * patch), "patch " + k);
        }
      }
      assertArrayEquals(va.get(4), vc.get(4), 1e-5f);
      // TSN: each encoder's logits averaged over its own frames, then summed
      for (int i = 0; i < N * CLASSES; i++) {
        assertEquals(va.get(3)[i] + va.get(4)[i], va.get(5)[i], 1e-6);
      }
      var wrong = assertThrows(IllegalArgumentException.class, () -> build(t.ctx(Mode.INFERENCE), t.placeholder(N, T, SIZE, SIZE, 3), spec));
      assertTrue(wrong.getMessage().contains("[N, 10, 32, 32, C] (4 glance then 6 focus frames"), wrong.getMessage());
    }
    var recurrent = assertThrows(IllegalArgumentException.class, () -> new AdaFocusV2Spec(
        T, FOCUS, CLASSES, SIZE, SIZE, PATCH, true, Interpolation.BILINEAR, POLICY_CHANNELS, POLICY_HIDDEN, HIDDEN, 0.2f,
        Optional.empty(), 1));
    assertTrue(recurrent.getMessage().contains("focusFrames must be frames = 4, got 6"), recurrent.getMessage());
  }

  @Test
  void everyTrainableParameterGetsAGradientThePolicyThroughTheCrop() {
    for (AdaFocusV2Spec spec :
        List.of(recurrent(), perClip(), perClipFocusFrames(), recurrent(0.2f, Interpolation.NEAREST, Optional.empty()))) {
      try (TfTest t = TfTest.create()) {
        Ops tf = t.tf();
        Placeholder<TFloat32> in = t.placeholder(N, spec.clipFrames(), SIZE, SIZE, 3);
        ModelOutputs out = build(t.ctx(Mode.TRAINING).withNoiseSeed(tf.constant(new long[] {5L, 6L})), in, spec);
        Operand<TFloat32> loss = Losses.outputsLoss(tf, out, tf.constant(LABELS), t.constant(new float[] {1, 1}, N));
        List<Parameter> params = t.store().trainables();
        var grads = tf.gradients(loss, params.stream().map(Parameter::variable).toList());
        List<Operand<TFloat32>> norms = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
          var handle = ((GraphOperation) grads.dy(i).op()).getUnsafeNativeHandle();
          assertTrue(handle != null && !handle.isNull(), "no gradient reaches " + params.get(i).name());
          Operand<TFloat32> g = grads.dy(i);
          norms.add(tf.reduceSum(tf.math.abs(tf.reshape(g, tf.constant(new int[] {-1}))), tf.constant(0)));
        }
        float[] input = TfTest.randomFloats(5, N * spec.clipFrames() * SIZE * SIZE * 3, 1f);
        List<float[]> v = t.evalAll(Map.of(in, input), norms);
        for (int i = 0; i < params.size(); i++) {
          assertTrue(v.get(i)[0] > 0f && Float.isFinite(v.get(i)[0]),
              params.get(i).name() + " has gradient |g|₁ = " + v.get(i)[0] + " (" + spec.interpolation() + ")");
        }
      }
    }
  }

  @Test
  void lossGradientWithRespectToThePolicyOutputMatchesFiniteDifferences() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      Placeholder<TFloat32> in = t.placeholder(N, T, SIZE, SIZE, 3);
      // No dropout; training-mode BN and a fixed noise seed make the loss a deterministic function of the centres.
      ModelOutputs out =
          build(t.ctx(Mode.TRAINING).withNoiseSeed(tf.constant(new long[] {7L, 8L})), in,
              recurrent(0f, Interpolation.BILINEAR, Optional.empty()));
      Operand<TFloat32> loss = Losses.outputsLoss(tf, out, tf.constant(LABELS), t.constant(new float[] {1, 1}, N));
      Operand<TFloat32> centres = out.endpoints().get("centres");
      Operand<TFloat32> grad = tf.gradients(loss, List.of(centres)).dy(0);
      float[] x = smoothClips();
      List<float[]> v = t.evalAll(Map.of(in, x), List.of(centres, grad));
      float[] a = v.get(0);
      float[] analytic = v.get(1);
      // 0.0016 pixels of the 16-pixel free range: few ReLU/max-pool kinks fall inside ±eps on smooth frames.
      float eps = 1e-4f;
      double worst = 0;
      double scale = 0;
      for (float g : analytic) {
        scale = Math.max(scale, Math.abs(g));
      }
      int checked = 0;
      StringBuilder report = new StringBuilder();
      for (int i = 0; i < a.length; i++) {
        // Every sample of a patch shares the corner's fractional part, so the loss is piecewise smooth with
        // kinks where that part crosses 0: differences straddling one are meaningless.
        double corner = a[i] * (SIZE - PATCH);
        double frac = corner - Math.floor(corner);
        if (frac < 0.05 || frac > 0.95) {
          continue;
        }
        double numeric = (lossAt(t, in, x, centres, a, i, eps, loss) - lossAt(t, in, x, centres, a, i, -eps, loss)) / (2 * eps);
        worst = Math.max(worst, Math.abs(numeric - analytic[i]));
        report.append(String.format(" [%d: %.4f vs %.4f]", i, numeric, analytic[i]));
        checked++;
      }
      assertTrue(checked >= 10, "too few coordinates away from the pixel grid: " + checked);
      assertTrue(scale > 1e-3, "the policy output must move the loss, |grad|max = " + scale);
      assertTrue(worst < 0.02 * scale, "d loss / d centres vs finite differences: worst " + worst + " of max " + scale + report);
    }
  }

  /** Frames of slow sinusoids (periods of 10-20 pixels), so the loss is smooth at sub-pixel shifts. */
  static float[] smoothClips() {
    float[] x = new float[N * T * SIZE * SIZE * 3];
    int i = 0;
    for (int f = 0; f < N * T; f++) {
      for (int r = 0; r < SIZE; r++) {
        for (int c = 0; c < SIZE; c++) {
          for (int ch = 0; ch < 3; ch++) {
            x[i++] = (float) (Math.sin(0.31 * r + 0.7 * f + ch) * Math.cos(0.45 * c - 0.3 * f + 2 * ch) + 0.2 * Math.sin(0.6 * (r + c) + f));
          }
        }
      }
    }
    return x;
  }

  private static double lossAt(
      TfTest t, Placeholder<TFloat32> in, float[] x, Operand<TFloat32> centres, float[] a, int i, float delta,
      Operand<TFloat32> loss) {
    float[] moved = a.clone();
    moved[i] += delta;
    try (TFloat32 clips = TFloat32.tensorOf(in.shape(), DataBuffers.of(x));
        TFloat32 c = TFloat32.tensorOf(Shape.of(N * T, 2), DataBuffers.of(moved));
        Result r = t.session().runner().feed(in, clips).feed(centres, c).fetch(loss).run()) {
      return ((TFloat32) r.get(0)).getFloat();
    }
  }

  @Test
  void inferenceIsDeterministicAcrossRunsAndGraphs() {
    float[] first = null;
    for (int graph = 0; graph < 2; graph++) {
      try (TfTest t = TfTest.create(21)) {
        Placeholder<TFloat32> in = t.placeholder(N, T, SIZE, SIZE, 3);
        build(t.ctx(Mode.TRAINING), in, recurrent()); // a training build in the same graph changes nothing
        ModelOutputs out = build(t.ctx(Mode.INFERENCE), in, recurrent());
        float[] a = t.eval(Map.of(in, clips(8)), out.frameLogits());
        float[] b = t.eval(Map.of(in, clips(8)), out.frameLogits());
        assertArrayEquals(a, b);
        if (first == null) {
          first = a;
        } else {
          assertArrayEquals(first, a, "the same seed builds the same network");
        }
      }
    }
  }

  @Test
  void frameOrderIsTheOfficialCoarseToFineOrder() {
    assertArrayEquals(
        new int[] {7, 0, 15, 3, 11, 1, 5, 9, 13, 2, 4, 6, 8, 10, 12, 14},
        AdaFocusV2.processingOrder(16, FrameOrder.COARSE_TO_FINE));
    assertArrayEquals(new int[] {3, 0, 7, 1, 5, 2, 4, 6}, AdaFocusV2.processingOrder(8, FrameOrder.COARSE_TO_FINE));
    assertArrayEquals(new int[] {1, 0, 3, 2}, AdaFocusV2.processingOrder(4, FrameOrder.COARSE_TO_FINE));
    assertArrayEquals(new int[] {0}, AdaFocusV2.processingOrder(1, FrameOrder.COARSE_TO_FINE));
    assertArrayEquals(new int[] {0, 1}, AdaFocusV2.processingOrder(2, FrameOrder.COARSE_TO_FINE));
    assertArrayEquals(new int[] {0, 1, 2}, AdaFocusV2.processingOrder(3, FrameOrder.SEQUENTIAL));
    for (int frames = 1; frames <= 40; frames++) {
      int[] order = AdaFocusV2.processingOrder(frames, FrameOrder.COARSE_TO_FINE);
      int[] sorted = order.clone();
      Arrays.sort(sorted);
      assertArrayEquals(AdaFocusV2.processingOrder(frames, FrameOrder.SEQUENTIAL), sorted, "a permutation of " + frames);
    }
  }

  @Test
  void framesAreProcessedInTheExitOrder() {
    // With the order 1, 0, 3, 2 the first step sees frame 1: reversing the clip's time order changes step 0
    // unless the network reorders; compare against a sequential build fed the reordered clip.
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> in = t.placeholder(N, T, SIZE, SIZE, 3);
      Placeholder<TFloat32> reordered = t.placeholder(N, T, SIZE, SIZE, 3);
      ModelOutputs coarse = build(t.ctx(Mode.INFERENCE), in, recurrent(0f, Interpolation.BILINEAR, Optional.of(FrameOrder.COARSE_TO_FINE)));
      ModelOutputs plain = build(t.ctx(Mode.INFERENCE), reordered, recurrent(0f, Interpolation.BILINEAR, Optional.empty()));
      float[] x = clips(9);
      int frame = SIZE * SIZE * 3;
      float[] y = new float[x.length];
      int[] order = AdaFocusV2.processingOrder(T, FrameOrder.COARSE_TO_FINE);
      for (int n = 0; n < N; n++) {
        for (int s = 0; s < T; s++) {
          System.arraycopy(x, (n * T + order[s]) * frame, y, (n * T + s) * frame, frame);
        }
      }
      Map<Operand<?>, float[]> feeds = new LinkedHashMap<>();
      feeds.put(in, x);
      feeds.put(reordered, y);
      List<float[]> v = t.evalAll(feeds, List.of(coarse.frameLogits(), plain.frameLogits()));
      assertArrayEquals(v.get(1), v.get(0), 1e-5f);
    }
  }

  @Test
  void trainingStepsOnAFixedBatchLowerTheLoss() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      Placeholder<TFloat32> in = t.placeholder(N, T, SIZE, SIZE, 3);
      ModelOutputs out = build(t.ctx(Mode.TRAINING).withNoiseSeed(tf.constant(new long[] {3L, 4L})), in, recurrent());
      Operand<TFloat32> loss = Losses.outputsLoss(tf, out, tf.constant(LABELS), t.constant(new float[] {1, 1}, N));
      TrainOp step = SgdMomentum.builder().momentum(0.9f).build().minimize(tf, loss, t.store(), tf.constant(0.02f));
      float[] x = clips(10);
      double before = t.eval(Map.of(in, x), loss)[0];
      try (TFloat32 batch = TFloat32.tensorOf(in.shape(), DataBuffers.of(x))) {
        for (int i = 0; i < 8; i++) {
          t.session().runner().feed(in, batch).addTarget(step).run();
        }
      }
      double after = t.eval(Map.of(in, x), loss)[0];
      assertTrue(after < 0.8 * before, "loss on one batch (same noise) " + before + " → " + after);
    }
  }

  @Test
  void specRejectsInconsistentSizesWithTheValueInTheMessage() {
    var patch =
        assertThrows(IllegalArgumentException.class,
            () -> new AdaFocusV2Spec(4, 5, 32, 32, 40, true, Interpolation.BILINEAR, 8, 16, 16, 0f, Optional.empty(), 1));
    assertTrue(patch.getMessage().contains("patchSize") && patch.getMessage().contains("40"), patch.getMessage());
    var glance =
        assertThrows(IllegalArgumentException.class,
            () -> new AdaFocusV2Spec(4, 5, 32, 64, 16, true, Interpolation.BILINEAR, 8, 16, 16, 0f, Optional.empty(), 1));
    assertTrue(glance.getMessage().contains("globalInputSize") && glance.getMessage().contains("64"), glance.getMessage());
    var exit =
        assertThrows(IllegalArgumentException.class,
            () -> new AdaFocusV2Spec(4, 5, 32, 32, 16, false, Interpolation.BILINEAR, 8, 16, 16, 0f,
                Optional.of(FrameOrder.COARSE_TO_FINE), 1));
    assertTrue(exit.getMessage().contains("COARSE_TO_FINE"), exit.getMessage());
    try (TfTest t = TfTest.create()) {
      var clips =
          assertThrows(IllegalArgumentException.class, () -> build(t.ctx(Mode.INFERENCE), t.placeholder(N, 3, SIZE, SIZE, 3), recurrent()));
      assertTrue(clips.getMessage().contains("[2, 3, 32, 32, 3]"), clips.getMessage());
    }
  }
}
