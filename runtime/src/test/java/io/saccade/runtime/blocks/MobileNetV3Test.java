package io.saccade.runtime.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.blocks.MobileNetInvertedResidualSpec.Excitation;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.testing.TfTest;
import io.saccade.runtime.train.SgdMomentum;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class MobileNetV3Test {

  private static final int FRAMES = 2;

  /** Gives every parameter random values (BN variances positive) and returns them by name. */
  private static Map<String, float[]> randomize(TfTest t, long seed) {
    Ops tf = t.tf();
    Random r = new Random(seed);
    Map<String, float[]> values = new HashMap<>();
    Session.Runner runner = t.session().runner();
    for (Parameter p : t.store().all()) {
      float[] v = new float[(int) p.shape().size()];
      for (int i = 0; i < v.length; i++) {
        v[i] =
            p.name().endsWith("moving_variance") ? 0.5f + r.nextFloat()
                : p.name().endsWith("gamma") ? 0.6f + 0.8f * r.nextFloat()
                : (r.nextFloat() * 2 - 1) * 0.5f;
      }
      values.put(p.name(), v);
      runner.addTarget(tf.assign(p.variable(), tf.constant(p.shape(), DataBuffers.of(v))));
    }
    runner.run();
    return values;
  }

  /** A plain-Java inverted residual on NHWC {@code [m, s, s, in]} with the parameters under {@code path}. */
  private static float[] reference(
      float[] x, int m, int s, int in, MobileNetInvertedResidualSpec spec, Map<String, float[]> p, String path) {
    int e = spec.expanded();
    int k = spec.kernel();
    int o = spec.outputSize(s);
    float[] shifted = spec.shiftFrames() > 0 ? shift(x, m, s * s, in, spec.shiftFrames()) : x;
    float[] y = shifted;
    boolean expands = in != e;
    if (expands) {
      y = pointwise(y, m * s * s, in, e, spec.groups(), p.get(path + "/expand/conv/kernel"));
      y = act(bn(y, e, p, path + "/expand/bn"), spec);
    }
    // Depthwise k×k, stride, zero padding (k − 1)/2.
    float[] w = p.get(path + "/depthwise/conv/kernel"); // [k, k, e, 1]
    float[] d = new float[m * o * o * e];
    int pad = (k - 1) / 2;
    for (int b = 0; b < m; b++) {
      for (int i = 0; i < o; i++) {
        for (int j = 0; j < o; j++) {
          for (int c = 0; c < e; c++) {
            double acc = 0;
            for (int di = 0; di < k; di++) {
              for (int dj = 0; dj < k; dj++) {
                int yi = i * spec.stride() + di - pad;
                int xj = j * spec.stride() + dj - pad;
                if (yi >= 0 && yi < s && xj >= 0 && xj < s) {
                  acc += y[((b * s + yi) * s + xj) * e + c] * w[(di * k + dj) * e + c];
                }
              }
            }
            d[((b * o + i) * o + j) * e + c] = (float) acc;
          }
        }
      }
    }
    d = bn(d, e, p, path + "/depthwise/bn");
    boolean first = spec.excitation() == Excitation.BEFORE_ACTIVATION && expands;
    if (first) {
      d = excite(d, m, o * o, e, spec.squeezeChannels(), p, path + "/se");
    }
    d = act(d, spec);
    if (spec.excitation() != Excitation.NONE && !first) {
      d = excite(d, m, o * o, e, spec.squeezeChannels(), p, path + "/se");
    }
    float[] out = bn(pointwise(d, m * o * o, e, spec.out(), spec.groups(), p.get(path + "/project/conv/kernel")), spec.out(), p,
        path + "/project/bn");
    if (spec.stride() == 1 && in == spec.out()) {
      for (int i = 0; i < out.length; i++) {
        out[i] += x[i];
      }
    }
    return out;
  }

  private static float[] shift(float[] x, int m, int hw, int c, int frames) {
    int fold = c / 8;
    float[] y = new float[x.length];
    for (int b = 0; b < m; b++) {
      int t = b % frames;
      for (int q = 0; q < hw; q++) {
        for (int ch = 0; ch < c; ch++) {
          int src = ch < fold ? b + 1 : ch < 2 * fold ? b - 1 : b;
          int srcT = t + (src - b);
          y[(b * hw + q) * c + ch] = srcT < 0 || srcT >= frames ? 0f : x[(src * hw + q) * c + ch];
        }
      }
    }
    return y;
  }

  private static float[] pointwise(float[] x, int rows, int in, int out, int groups, float[] w) {
    int gi = in / groups;
    int go = out / groups;
    float[] y = new float[rows * out];
    for (int r = 0; r < rows; r++) {
      for (int oc = 0; oc < out; oc++) {
        int g = oc / go;
        double acc = 0;
        for (int ic = 0; ic < gi; ic++) {
          acc += x[r * in + g * gi + ic] * w[ic * out + oc];
        }
        y[r * out + oc] = (float) acc;
      }
    }
    return y;
  }

  private static float[] bn(float[] x, int c, Map<String, float[]> p, String path) {
    float[] g = p.get(path + "/gamma");
    float[] b = p.get(path + "/beta");
    float[] mean = p.get(path + "/moving_mean");
    float[] var = p.get(path + "/moving_variance");
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      int ch = i % c;
      y[i] = (float) ((x[i] - mean[ch]) / Math.sqrt(var[ch] + 1e-5) * g[ch] + b[ch]);
    }
    return y;
  }

  private static float[] act(float[] x, MobileNetInvertedResidualSpec spec) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = switch (spec.activation()) {
        case RELU -> Math.max(x[i], 0f);
        case RELU6 -> Math.min(Math.max(x[i], 0f), 6f);
        case HARD_SWISH -> hardSwish(x[i]);
      };
    }
    return y;
  }

  private static float hardSwish(float v) {
    return v * Math.min(Math.max(v + 3f, 0f), 6f) / 6f;
  }

  private static float[] excite(float[] x, int m, int hw, int c, int r, Map<String, float[]> p, String path) {
    float[] w1 = p.get(path + "/fc1/kernel");
    float[] b1 = p.get(path + "/fc1/bias");
    float[] w2 = p.get(path + "/fc2/kernel");
    float[] b2 = p.get(path + "/fc2/bias");
    float[] y = x.clone();
    for (int b = 0; b < m; b++) {
      double[] mean = new double[c];
      for (int q = 0; q < hw; q++) {
        for (int ch = 0; ch < c; ch++) {
          mean[ch] += x[(b * hw + q) * c + ch] / (double) hw;
        }
      }
      double[] h = new double[r];
      for (int j = 0; j < r; j++) {
        double acc = b1[j];
        for (int ch = 0; ch < c; ch++) {
          acc += mean[ch] * w1[ch * r + j];
        }
        h[j] = Math.max(acc, 0);
      }
      for (int ch = 0; ch < c; ch++) {
        double acc = b2[ch];
        for (int j = 0; j < r; j++) {
          acc += h[j] * w2[j * c + ch];
        }
        double scale = Math.min(Math.max(acc + 3, 0), 6) / 6;
        for (int q = 0; q < hw; q++) {
          y[(b * hw + q) * c + ch] *= (float) scale;
        }
      }
    }
    return y;
  }

  @Test
  void invertedResidualMatchesAPlainJavaReference() {
    int m = 2 * FRAMES;
    int s = 5;
    List<MobileNetInvertedResidualSpec> specs =
        List.of(
            // expanding, SE after the activation (torchvision), hard-swish, identity residual, TSM
            MobileNetInvertedResidualSpec.of(24, 8, 3).withHardSwish().withSqueezeExcitation(Excitation.AFTER_ACTIVATION)
                .withTemporalShift(FRAMES),
            // official AFNet order (SE before the activation), k5 stride 2, no residual
            MobileNetInvertedResidualSpec.of(16, 12, 5).withStride(2).withSqueezeExcitation(Excitation.BEFORE_ACTIVATION),
            // no expansion (features_head), ReLU, identity
            MobileNetInvertedResidualSpec.of(8, 8, 3).withTemporalShift(FRAMES),
            // focal-like: grouped pointwise convs, projected shortcut
            MobileNetInvertedResidualSpec.of(16, 12, 3).withGroups(2).withShortcut(MobileNetInvertedResidualSpec.Shortcut.PROJECT),
            // MobileNetV2: ReLU6, expansion 6, identity residual
            MobileNetInvertedResidualSpec.of(48, 8, 3).withActivation(MobileNetInvertedResidualSpec.Activation.RELU6));
    for (int v = 0; v < specs.size(); v++) {
      MobileNetInvertedResidualSpec spec = specs.get(v);
      try (TfTest t = TfTest.create()) {
        var x = t.placeholder(m, s, s, 8);
        Operand<TFloat32> y = MobileNetV3.invertedResidual(t.ctx(Mode.INFERENCE).child("block"), x, spec);
        assertEquals(spec.outputSize(s), y.shape().get(1));
        Map<String, float[]> p = randomize(t, 11 + v);
        float[] input = TfTest.randomFloats(3 + v, m * s * s * 8, 2f);
        float[] ours = t.eval(Map.of(x, input), y);
        float[] expected = reference(input, m, s, 8, spec, p, "block");
        if (spec.shortcut() == MobileNetInvertedResidualSpec.Shortcut.PROJECT) {
          float[] sc = bn(pointwise(input, m * s * s, 8, 12, 2, p.get("block/shortcut/conv/kernel")), 12, p, "block/shortcut/bn");
          for (int i = 0; i < expected.length; i++) {
            expected[i] += sc[i];
          }
        }
        // float32 vs float64-accumulated reference: 1e-4 relative.
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], ours[i], 1e-4f * (1 + Math.abs(expected[i])), "variant " + v + " element " + i);
        }
      }
    }
  }

  @Test
  void gradientsMatchFiniteDifferencesInTraining() {
    MobileNetInvertedResidualSpec spec =
        MobileNetInvertedResidualSpec.of(16, 8, 3).withHardSwish().withSqueezeExcitation(Excitation.BEFORE_ACTIVATION)
            .withTemporalShift(FRAMES);
    try (TfTest t = TfTest.create()) {
      float[] input = TfTest.randomFloats(5, 2 * FRAMES * 4 * 4 * 8, 1f);
      double err =
          t.gradientError(
              in -> MobileNetV3.invertedResidual(t.ctx(Mode.TRAINING).child("block"), in.get(0), spec),
              List.of(input),
              List.of(new long[] {2 * FRAMES, 4, 4, 8}),
              1e-2f,
              24);
      // Central differences in float32 with step 1e-2 across ReLU6 kinks: 3e-2 of the largest gradient.
      assertTrue(err < 3e-2, "gradient error " + err);
    }
  }

  @Test
  void everyParameterOfTheDenseNetworkTrains() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      var clips = t.placeholder(1, FRAMES, 32, 32, 3);
      var ctx = t.ctx(Mode.TRAINING);
      Operand<TFloat32> x = MobileNetV3.stem(ctx.child("stem"), Heads.foldFrames(tf, clips));
      x = MobileNetV3.features(ctx.child("features"), x, MobileNetV3.small(FRAMES));
      x = MobileNetV3.lastConv(ctx.child("last"), x, MobileNetV3.SMALL_LAST_CHANNELS);
      Heads.Logits logits = MobileNetV3.classifier(ctx.child("head"), x, FRAMES, MobileNetV3.SMALL_HIDDEN, 5, 0.5f);
      assertArrayEquals(new long[] {1, 5}, logits.clipLogits().shape().asArray());
      Set<String> names = new TreeSet<>();
      t.store().all().forEach(p -> names.add(p.name()));
      assertTrue(names.contains("features/block0/se/fc1/kernel"), names.toString());
      assertTrue(names.contains("features/block0/depthwise/conv/kernel"));
      assertTrue(!names.contains("features/block0/expand/conv/kernel"), "block 0 has no expansion");
      assertTrue(names.contains("features/block1/expand/bn/moving_variance"));
      assertTrue(names.contains("head/fc2/bias"));
      Operand<TFloat32> loss = tf.math.mean(tf.math.square(logits.clipLogits()), tf.constant(new int[] {0, 1}));
      // minimize() names any parameter without a gradient path.
      SgdMomentum.builder().build().minimize(tf, loss, t.store(), tf.constant(0.01f));
    }
  }

  @Test
  void flopsFollowTheOfficialCounter() {
    // features_stage2_base.0 of the official AF-MobileNetV3 at 12×12: 24 → 72 → 40, k5 / 2, SE.
    MobileNetInvertedResidualSpec b =
        MobileNetInvertedResidualSpec.of(72, 40, 5).withStride(2).withSqueezeExcitation(Excitation.BEFORE_ACTIVATION);
    long expand = 24L * 72 * 12 * 12;
    long depthwise = 72L * 72 * 6 * 6 * 25 / 72;
    long se = 72L * 6 * 6 + 72L * 72 / 4 * 2 + 72;
    long project = 72L * 40 * 6 * 6;
    assertEquals(expand + depthwise + se + project, MobileNetV3.invertedResidualFlops(24, 12, b));
    assertEquals(24, b.squeezeChannels());
    assertEquals(184, MobileNetInvertedResidualSpec.expandedChannels(80, 2.3));
    assertEquals(104, MobileNetInvertedResidualSpec.expandedChannels(40, 2.5));
    // Focal block: grouped pointwise convs and a grouped projection shortcut.
    MobileNetInvertedResidualSpec f = b.withStride(1).withGroups(2).withShortcut(MobileNetInvertedResidualSpec.Shortcut.PROJECT);
    assertEquals(24L * 40 * 12 * 12 / 2, MobileNetV3.shortcutFlops(24, 12, f));
    assertEquals(3L * 16 * 112 * 112 * 9, MobileNetV3.stemFlops(224, 16));
    assertEquals(960L * 1280 + 1280L * 174, MobileNetV3.classifierFlops(960, 1280, 174));
  }

  @Test
  void badArgumentsFailWhileBuilding() {
    assertThrows(IllegalArgumentException.class, () -> MobileNetInvertedResidualSpec.of(16, 8, 4));
    assertThrows(IllegalArgumentException.class, () -> MobileNetInvertedResidualSpec.of(16, 8, 3).withStride(3));
    assertThrows(IllegalArgumentException.class, () -> MobileNetInvertedResidualSpec.of(15, 8, 3).withGroups(2));
    assertThrows(IllegalArgumentException.class, () -> MobileNetV3.afDenseStage(2, 8));
    try (TfTest t = TfTest.create()) {
      var x = t.placeholder(2, 4, 4, 5);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> MobileNetV3.invertedResidual(t.ctx(Mode.INFERENCE).child("b"), x, MobileNetInvertedResidualSpec.of(16, 8, 3).withGroups(2)));
      assertTrue(e.getMessage().contains("groups=2"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> MobileNetV3.shortcut(t.ctx(Mode.INFERENCE).child("b"), x, MobileNetInvertedResidualSpec.of(16, 8, 3)));
    }
  }
}
