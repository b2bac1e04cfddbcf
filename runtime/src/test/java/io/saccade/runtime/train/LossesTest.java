package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

class LossesTest {

  private static final float[] LOGITS = {
    2.0f, -1.0f, 0.5f, 0.0f, //
    -0.3f, 0.8f, 0.8f, 1.5f, //
    10f, 9f, -20f, 3f
  };
  private static final int[] LABELS = {0, 2, 1};

  @Test
  void crossEntropyMatchesJavaReference() {
    double expected = 0;
    for (int n = 0; n < 3; n++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < 4; k++) {
        max = Math.max(max, LOGITS[n * 4 + k]);
      }
      double sum = 0;
      for (int k = 0; k < 4; k++) {
        sum += Math.exp(LOGITS[n * 4 + k] - max);
      }
      expected += max + Math.log(sum) - LOGITS[n * 4 + LABELS[n]];
    }
    expected /= 3;
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> logits = t.constant(LOGITS, 3, 4);
      float got32 = t.eval(Losses.crossEntropy(t.tf(), logits, t.tf().constant(LABELS)))[0];
      float got64 = t.eval(Losses.crossEntropy(t.tf(), logits, t.tf().constant(new long[] {0, 2, 1})))[0];
      assertEquals(expected, got32, 1e-5);
      assertEquals(got32, got64);
    }
  }

  @Test
  void crossEntropyGradientIsSoftmaxMinusOneHotOverN() {
    try (TfTest t = TfTest.create()) {
      Operand<TInt32> labels = t.tf().constant(LABELS);
      // Central differences in float32, step 1e-2 on logits of order 1: 1e-3 relative agreement.
      double err =
          t.gradientError(
              in -> t.tf().reshape(Losses.crossEntropy(t.tf(), in.get(0), labels), t.tf().constant(new long[] {1})),
              List.of(LOGITS.clone()),
              List.of(new long[] {3, 4}),
              1e-2f,
              12);
      assertTrue(err < 1e-3, "relative gradient error " + err);
    }
  }

  @Test
  void ratioLossValueAndGradient() {
    float[] m1 = {1, 0, 1, 1, 0, 1}; // mean 4/6
    float[] m2 = {0, 0, 1, 0}; // mean 1/4
    float rt = 0.5f;
    float lambda = 2f;
    double expected = lambda * 0.5 * (Math.pow(rt - 4.0 / 6, 2) + Math.pow(rt - 0.25, 2));
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      Placeholder<TFloat32> a = t.placeholder(2, 3);
      Placeholder<TFloat32> b = t.placeholder(4);
      Placeholder<TFloat32> target = tf.placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
      Operand<TFloat32> loss = Losses.ratioLoss(tf, List.of(a, b), target, lambda);
      var grads = tf.gradients(loss, List.of(a, b));
      Map<Operand<?>, float[]> feeds = new java.util.LinkedHashMap<>();
      feeds.put(a, m1);
      feeds.put(b, m2);
      // TfTest feeds by the placeholder's static shape; a scalar has shape [] and one element.
      feeds.put(target, new float[] {rt});
      List<float[]> out = t.evalAll(feeds, List.of(loss, grads.dy(0), grads.dy(1)));
      assertEquals(expected, out.get(0)[0], 1e-6);
      // d/dm_i = λ/L · 2(mean − rt) / size(mask).
      float g1 = (float) (lambda / 2 * 2 * (4.0 / 6 - rt) / 6);
      float g2 = (float) (lambda / 2 * 2 * (0.25 - rt) / 4);
      assertArrayEquals(new float[] {g1, g1, g1, g1, g1, g1}, out.get(1), 1e-6f);
      assertArrayEquals(new float[] {g2, g2, g2, g2}, out.get(2), 1e-6f);
    }
    try (TfTest t = TfTest.create()) {
      // The same against central differences through soft (non-binary) masks.
      Operand<TFloat32> target = t.tf().constant(0.3f);
      double err =
          t.gradientError(
              in -> t.tf().reshape(Losses.ratioLoss(t.tf(), in, target, 0.5f), t.tf().constant(new long[] {1})),
              List.of(TfTest.randomFloats(1, 6, 1f), TfTest.randomFloats(2, 4, 1f)),
              List.of(new long[] {2, 3}, new long[] {4}),
              1e-2f,
              6);
      assertTrue(err < 1e-3, "relative gradient error " + err);
    }
  }

  @Test
  void topKAccuracy() {
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> logits = t.constant(LOGITS, 3, 4);
      // Row 0: label 0 is the max → top-1 hit. Row 1: label 2 (0.8) ties 2nd with class 1 → top-1 miss,
      // top-2 hit (ties count). Row 2: label 1 (9) is second → top-1 miss, top-2 hit.
      Operand<TInt32> labels = t.tf().constant(LABELS);
      assertArrayEquals(new float[] {1, 0, 0}, t.eval(Losses.topKCorrect(t.tf(), logits, labels, 1)));
      assertEquals(1f / 3, t.eval(Losses.topKAccuracy(t.tf(), logits, labels, 1))[0], 1e-7f);
      assertEquals(1f, t.eval(Losses.topKAccuracy(t.tf(), logits, labels, 2))[0], 1e-7f);
      Operand<TInt64> labels64 = t.tf().constant(new long[] {3, 3, 3});
      assertArrayEquals(new float[] {0, 1, 0}, t.eval(Losses.topKCorrect(t.tf(), logits, labels64, 1)));
    }
  }

  @Test
  void badShapesAreRejected() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      Operand<TFloat32> flat = t.constant(LOGITS, 12);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(tf, flat, tf.constant(LABELS)));
      assertTrue(e.getMessage().contains("[12]"), e.getMessage());
      Operand<TFloat32> logits = t.constant(LOGITS, 3, 4);
      assertThrows(IllegalArgumentException.class, () -> Losses.topKAccuracy(tf, logits, tf.constant(LABELS), 5));
      assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(tf, logits, tf.constant(new float[] {0, 1, 2})));
      assertThrows(IllegalArgumentException.class, () -> Losses.ratioLoss(tf, List.of(), tf.constant(0.5f), 1f));
      assertThrows(
          IllegalArgumentException.class,
          () -> Losses.ratioLoss(tf, List.of(logits), tf.constant(new float[] {0.5f, 0.5f}), 1f));
    }
  }
  private static double ce(float[] logits, int offset, int classes, int label) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < classes; k++) {
      max = Math.max(max, logits[offset + k]);
    }
    double sum = 0;
    for (int k = 0; k < classes; k++) {
      sum += Math.exp(logits[offset + k] - max);
    }
    return max + Math.log(sum) - logits[offset + label];
  }

  @Test
  void outputsLossWeighsHeadsAndAveragesPerFrameHeadsOverFrames() {
    // 3 clips (the last one padding), 4 classes; a per-frame head over 2 frames.
    float[] frames = TfTest.randomFloats(5, 3 * 2 * 4, 2f);
    float[] valid = {1, 1, 0};
    double clip = 0;
    double perFrame = 0;
    for (int n = 0; n < 2; n++) {
      clip += ce(LOGITS, n * 4, 4, LABELS[n]) / 2;
      perFrame += (ce(frames, (n * 2) * 4, 4, LABELS[n]) + ce(frames, (n * 2 + 1) * 4, 4, LABELS[n])) / 2 / 2;
    }
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> logits = t.constant(LOGITS, 3, 4);
      Operand<TFloat32> steps = t.constant(frames, 3, 2, 4);
      Operand<TFloat32> gflops = t.constant(new float[3], 3);
      Operand<TInt32> labels = t.tf().constant(LABELS);
      Operand<TFloat32> mask = t.constant(valid, 3);
      var plain =
          new io.saccade.runtime.model.ModelOutputs(logits, null, List.of(), gflops, Map.of("steps", steps), Map.of());
      var weighted = plain.withLossWeights(Map.of(io.saccade.runtime.model.ModelOutputs.CLIP, 0.25f, "steps", 3f));
      var noClip = plain.withLossWeights(Map.of(io.saccade.runtime.model.ModelOutputs.CLIP, 0f));
      List<float[]> got =
          t.evalAll(
              Map.of(),
              List.of(
                  Losses.outputsLoss(t.tf(), plain, labels, mask),
                  Losses.outputsLoss(t.tf(), weighted, labels, mask),
                  Losses.outputsLoss(t.tf(), noClip, labels, mask)));
      assertEquals(clip + perFrame, got.get(0)[0], 1e-5);
      assertEquals(0.25 * clip + 3 * perFrame, got.get(1)[0], 1e-5);
      assertEquals(perFrame, got.get(2)[0], 1e-5);
    }
  }

  @Test
  void lossWeightsMustNameAHeadAndBeNonNegative() {
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> logits = t.constant(LOGITS, 3, 4);
      var out = new io.saccade.runtime.model.ModelOutputs(logits, null, List.of(), logits, Map.of("global", logits));
      var typo = assertThrows(IllegalArgumentException.class, () -> out.withLossWeights(Map.of("globl", 1f)));
      assertTrue(typo.getMessage().contains("'globl'") && typo.getMessage().contains("[global]"), typo.getMessage());
      var negative = assertThrows(IllegalArgumentException.class, () -> out.withLossWeights(Map.of("global", -1f)));
      assertTrue(negative.getMessage().contains("-1.0"), negative.getMessage());
      assertEquals(1f, out.lossWeight("global"));
    }
  }
}
