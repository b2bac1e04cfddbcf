package io.saccade.runtime.adaptive;

import static io.saccade.runtime.adaptive.TemporalShiftTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
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

class FrameSelectorTest {

  private static final int M = 6;
  private static final int H = 5;
  private static final int C = 3;
  private static final int C_OUT = 4;
  private static final float[] MASK = {1, 0, 1, 1, 0, 0};

  /** x, mask and a two-conv sub-graph whose kernels (and optional biases) are fed placeholders. */
  private static final class Fixture {
    final TfTest t;
    final Ops tf;
    final Placeholder<TFloat32> x;
    final Placeholder<TFloat32> mask;
    final Placeholder<TFloat32> kernel1;
    final Placeholder<TFloat32> kernel2;
    final Operand<TFloat32> bias1;
    final Map<Placeholder<TFloat32>, float[]> values = new LinkedHashMap<>();
    final Map<Placeholder<TFloat32>, long[]> shapes = new LinkedHashMap<>();

    Fixture(TfTest t, long batch, boolean withBias) {
      this.t = t;
      this.tf = t.tf();
      x = t.placeholder(batch, H, H, C);
      mask = t.placeholder(batch);
      kernel1 = t.placeholder(3, 3, C, 5);
      kernel2 = t.placeholder(3, 3, 5, C_OUT);
      bias1 = withBias ? t.constant(TfTest.randomFloats(21, 5, 0.5f), 5) : null;
      feed(x, TfTest.randomFloats(1, M * H * H * C, 1f), M, H, H, C);
      feed(mask, MASK, M);
      feed(kernel1, TfTest.randomFloats(2, 9 * C * 5, 0.5f), 3, 3, C, 5);
      feed(kernel2, TfTest.randomFloats(3, 9 * 5 * C_OUT, 0.5f), 3, 3, 5, C_OUT);
    }

    void feed(Placeholder<TFloat32> p, float[] v, long... shape) {
      values.put(p, v);
      shapes.put(p, shape);
    }

    /** conv 3×3 (+ bias) → ReLU → conv 3×3, stride 1, SAME: f(0) = 0 without the bias. */
    Operand<TFloat32> subgraph(Operand<TFloat32> in) {
      Operand<TFloat32> y = tf.nn.conv2d(in, kernel1, List.of(1L, 1L, 1L, 1L), "SAME");
      if (bias1 != null) {
        y = tf.nn.biasAdd(y, bias1);
      }
      return tf.nn.conv2d(tf.nn.relu(y), kernel2, List.of(1L, 1L, 1L, 1L), "SAME");
    }

    /** The dense reference: every row computed, then mask·f(x) + (1 − mask)·skipped. */
    Operand<TFloat32> denseReference(Operand<TFloat32> skipped) {
      Operand<TFloat32> m = tf.reshape(mask, tf.constant(new int[] {-1, 1, 1, 1}));
      Operand<TFloat32> y = tf.math.mul(m, subgraph(x));
      return skipped == null ? y : tf.math.add(y, tf.math.mul(tf.math.sub(tf.constant(1f), m), skipped));
    }

    Operand<TFloat32> zeroFrameResult() {
      return subgraph(tf.zeros(tf.constant(new int[] {1, H, H, C}), TFloat32.class));
    }

    /** Gradients of sum(w · y) w.r.t. x, kernel1, kernel2. */
    List<Operand<?>> gradients(Operand<TFloat32> y) {
      Operand<TFloat32> w = t.constant(TfTest.randomFloats(99, M * H * H * C_OUT, 1f), M, H, H, C_OUT);
      Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(y, w), tf.constant(new int[] {0, 1, 2, 3}));
      var g = tf.gradients(loss, List.of(x, kernel1, kernel2));
      return List.of(g.dy(0), g.dy(1), g.dy(2));
    }

    /** Runs the fetches with every placeholder fed at its recorded (possibly dynamic-batch) shape. */
    List<float[]> run(List<? extends Operand<?>> fetches) {
      Session.Runner runner = t.session().runner();
      List<Tensor> fed = new ArrayList<>();
      try {
        values.forEach(
            (p, v) -> {
              TFloat32 tensor = TFloat32.tensorOf(Shape.of(shapes.get(p)), DataBuffers.of(v));
              fed.add(tensor);
              runner.feed(p, tensor);
            });
        fetches.forEach(runner::fetch);
        try (Result r = runner.run()) {
          List<float[]> out = new ArrayList<>();
          for (int i = 0; i < fetches.size(); i++) {
            if (r.get(i) instanceof TInt32 ints) {
              out.add(new float[] {ints.getInt()});
            } else {
              out.add(TfTest.toFloats((TFloat32) r.get(i)));
            }
          }
          return out;
        }
      } finally {
        fed.forEach(Tensor::close);
      }
    }
  }

  private static void assertClose(float[] expected, float[] actual, double relTol, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    double scale = 1e-6;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], relTol * scale, what + "[" + i + "]");
    }
  }

  private static float sum(float[] v) {
    float s = 0;
    for (float f : v) {
      s += f;
    }
    return s;
  }

  @Test
  void gatheredEqualsTheDenseReferenceInValuesAndGradients() {
    try (TfTest t = TfTest.create()) {
      Fixture f = new Fixture(t, M, false);
      FrameSelector.Selected s = FrameSelector.gathered(f.tf, f.x, f.mask, f::subgraph, null);
      assertArrayEquals(new long[] {M, H, H, C_OUT}, s.output().shape().asArray());
      Operand<TFloat32> dense = f.denseReference(null);
      Operand<TFloat32> masked = FrameSelector.masked(f.tf, f.x, f.mask, f::subgraph);
      List<Operand<?>> fetches = new ArrayList<>(List.of(s.output(), dense, masked, s.computedFrames()));
      fetches.addAll(f.gradients(s.output()));
      fetches.addAll(f.gradients(dense));
      List<float[]> r = f.run(fetches);
      // Same convs on a smaller batch: equal up to float32 summation order (1e-5 of the largest value).
      assertClose(r.get(1), r.get(0), 1e-5, "output vs mask·f(x)");
      assertClose(r.get(2), r.get(0), 1e-5, "output vs f(x·mask) (f(0) = 0 here)");
      assertEquals(sum(MASK), r.get(3)[0], 0f, "computed frames = mask sum");
      String[] names = {"dx", "dkernel1", "dkernel2"};
      for (int i = 0; i < 3; i++) {
        assertClose(r.get(7 + i), r.get(4 + i), 1e-5, names[i]);
      }
      // Skipped rows get no gradient at all.
      float[] dx = r.get(4);
      for (int row = 0; row < M; row++) {
        if (MASK[row] == 0) {
          for (int j = 0; j < H * H * C; j++) {
            assertEquals(0f, dx[row * H * H * C + j], 0f);
          }
        }
      }
    }
  }

  @Test
  void skippedValueFillsUnselectedRowsAndAsMaskedEqualsTheOfficialForm() {
    try (TfTest t = TfTest.create()) {
      Fixture f = new Fixture(t, M, true); // with a bias, f(0) ≠ 0
      Operand<TFloat32> f0 = f.zeroFrameResult();
      FrameSelector.Selected s = FrameSelector.gathered(f.tf, f.x, f.mask, f::subgraph, f0);
      FrameSelector.Selected asMasked = FrameSelector.gatheredAsMasked(f.tf, f.x, f.mask, f::subgraph);
      Operand<TFloat32> masked = FrameSelector.masked(f.tf, f.x, f.mask, f::subgraph);
      List<Operand<?>> fetches =
          new ArrayList<>(List.of(s.output(), f.denseReference(f0), masked, asMasked.output(), asMasked.computedFrames()));
      fetches.addAll(f.gradients(asMasked.output()));
      fetches.addAll(f.gradients(masked));
      List<float[]> r = f.run(fetches);
      assertClose(r.get(1), r.get(0), 1e-5, "gathered with f(0) vs dense reference");
      assertClose(r.get(2), r.get(0), 1e-5, "gathered with f(0) vs f(x·mask)");
      assertClose(r.get(2), r.get(3), 1e-5, "gatheredAsMasked vs f(x·mask)");
      assertEquals(sum(MASK) + 1, r.get(4)[0], 0f, "k selected frames + the zero frame");
      // The official form's gradients w.r.t. x and both kernels, f(0) rows included.
      String[] names = {"dx", "dkernel1", "dkernel2"};
      for (int i = 0; i < 3; i++) {
        assertClose(r.get(8 + i), r.get(5 + i), 1e-5, names[i]);
      }
    }
  }

  @Test
  void maskGetsTheGradientOfAGate() {
    try (TfTest t = TfTest.create()) {
      Fixture f = new Fixture(t, M, true);
      Operand<TFloat32> f0 = f.zeroFrameResult();
      FrameSelector.Selected s = FrameSelector.gathered(f.tf, f.x, f.mask, f::subgraph, f0);
      Operand<TFloat32> w = t.constant(TfTest.randomFloats(98, M * H * H * C_OUT, 1f), M, H, H, C_OUT);
      Operand<TFloat32> loss = f.tf.reduceSum(f.tf.math.mul(s.output(), w), f.tf.constant(new int[] {0, 1, 2, 3}));
      Operand<TFloat32> dmask = f.tf.gradients(loss, List.of(f.mask)).dy(0);
      List<float[]> r = f.run(List.of(dmask, f.subgraph(f.x), f0, w));
      float[] fx = r.get(1);
      float[] zero = r.get(2);
      float[] weights = r.get(3);
      int row = H * H * C_OUT;
      for (int m = 0; m < M; m++) {
        // d/dm of m·f(x) + (1 − m)·f(0): ⟨w, f(x) − f(0)⟩ where f ran, ⟨w, −f(0)⟩ where it did not.
        double expected = 0;
        for (int j = 0; j < row; j++) {
          expected += weights[m * row + j] * ((MASK[m] == 1 ? fx[m * row + j] : 0) - zero[j]);
        }
        assertEquals(expected, r.get(0)[m], 1e-4 * Math.max(1, Math.abs(expected)), "row " + m);
      }
    }
  }

  @Test
  void allZeroMaskComputesOneDummyRowAndDiscardsIt() {
    try (TfTest t = TfTest.create()) {
      Fixture f = new Fixture(t, M, true);
      f.feed(f.mask, new float[M], M);
      Operand<TFloat32> f0 = f.zeroFrameResult();
      FrameSelector.Selected zeros = FrameSelector.gathered(f.tf, f.x, f.mask, f::subgraph, null);
      FrameSelector.Selected skipped = FrameSelector.gathered(f.tf, f.x, f.mask, f::subgraph, f0);
      FrameSelector.Selected asMasked = FrameSelector.gatheredAsMasked(f.tf, f.x, f.mask, f::subgraph);
      List<Operand<?>> fetches =
          new ArrayList<>(
              List.of(zeros.output(), zeros.computedFrames(), skipped.output(), f.denseReference(f0),
                  asMasked.output(), asMasked.computedFrames()));
      fetches.addAll(f.gradients(zeros.output()));
      List<float[]> r = f.run(fetches);
      assertArrayEquals(new float[M * H * H * C_OUT], r.get(0), 0f);
      assertEquals(1f, r.get(1)[0], 0f, "one dummy row, never an empty batch");
      assertClose(r.get(3), r.get(2), 1e-6, "every row = f(0)");
      assertClose(r.get(3), r.get(4), 1e-5, "gatheredAsMasked: every row = f(0)");
      assertEquals(1f, r.get(5)[0], 0f, "only the zero frame");
      for (int i = 6; i < 9; i++) {
        assertArrayEquals(new float[r.get(i).length], r.get(i), 0f, "the dummy row gets no gradient");
      }
    }
  }

  @Test
  void allOnesMaskComputesEveryFrame() {
    try (TfTest t = TfTest.create()) {
      Fixture f = new Fixture(t, M, true);
      f.feed(f.mask, new float[] {1, 1, 1, 1, 1, 1}, M);
      FrameSelector.Selected s = FrameSelector.gathered(f.tf, f.x, f.mask, f::subgraph, f.zeroFrameResult());
      List<float[]> r = f.run(List.of(s.output(), f.subgraph(f.x), s.computedFrames()));
      assertClose(r.get(1), r.get(0), 1e-6, "f(x)");
      assertEquals(M, r.get(2)[0], 0f);
    }
  }

  @Test
  void worksWithADynamicBatch() {
    try (TfTest t = TfTest.create()) {
      Fixture f = new Fixture(t, -1, false);
      FrameSelector.Selected s = FrameSelector.gathered(f.tf, f.x, f.mask, f::subgraph, null);
      // Channels and spatial size stay static for downstream layers.
      assertArrayEquals(new long[] {-1, H, H, C_OUT}, s.output().shape().asArray());
      Operand<TFloat32> dense = f.denseReference(null);
      Operand<TInt32> all = f.tf.constant(new int[] {0, 1, 2, 3});
      var dx = f.tf.gradients(f.tf.reduceSum(f.tf.math.square(s.output()), all), List.of(f.x)).dy(0);
      var dxDense = f.tf.gradients(f.tf.reduceSum(f.tf.math.square(dense), all), List.of(f.x)).dy(0);
      for (float[] mask : List.of(MASK, new float[] {0, 1, 0, 0})) {
        int m = mask.length;
        f.feed(f.x, TfTest.randomFloats(m, m * H * H * C, 1f), m, H, H, C);
        f.feed(f.mask, mask, m);
        List<float[]> r = f.run(List.of(s.output(), dense, s.computedFrames(), dx, dxDense));
        assertEquals(m * H * H * C_OUT, r.get(0).length);
        assertClose(r.get(1), r.get(0), 1e-5, "values, batch " + m);
        assertEquals(sum(mask), r.get(2)[0], 0f);
        assertClose(r.get(4), r.get(3), 1e-5, "dx, batch " + m);
      }
    }
  }

  @Test
  void selectedForInferenceEqualsTheMaskedFormForSomeAllAndNoFramesKept() {
    // A dynamic batch (the rows ranked by a computed score) and a static one (the score from constants).
    for (long batch : new long[] {-1, M}) {
      try (TfTest t = TfTest.create()) {
        Fixture f = new Fixture(t, batch, true); // with a bias, f(0) ≠ 0
        FrameSelector.Selected s =
            FrameSelector.selectedForInference(
                f.tf, f.x, f.mask, f::subgraph,
                partial -> f.subgraph(f.tf.zerosLike(f.tf.slice(partial, f.tf.constant(new int[] {0, 0, 0, 0}),
                    f.tf.constant(new int[] {1, H, H, C})))));
        assertArrayEquals(new long[] {batch, H, H, C_OUT}, s.output().shape().asArray());
        Operand<TFloat32> official = FrameSelector.masked(f.tf, f.x, f.mask, f::subgraph);
        float[][] masks = {MASK, {1, 1, 1, 1, 1, 1}, new float[M], {0, 1, 1}};
        float[] computed = {3, 6, 1, 2}; // k, every frame on the all-kept path, one dummy row, k
        for (int i = 0; i < masks.length; i++) {
          int m = masks[i].length;
          if (batch != -1 && m != batch) {
            continue;
          }
          f.feed(f.x, TfTest.randomFloats(40 + i, m * H * H * C, 1f), m, H, H, C);
          f.feed(f.mask, masks[i], m);
          List<float[]> r = f.run(List.of(s.output(), official, s.computedFrames()));
          assertClose(r.get(1), r.get(0), 1e-5, "mask " + i + " vs f(x·mask)");
          assertEquals(computed[i], r.get(2)[0], 0f, "frames computed, mask " + i + ", batch " + batch);
        }
      }
    }
  }

  @Test
  void badArgumentsAreRejectedWhileBuilding() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      Function<Operand<TFloat32>, Operand<TFloat32>> id = in -> in;
      Operand<TFloat32> x = t.placeholder(4, 2, 2, 3);
      assertMessage("rank 4 [M, H, W, C], got shape [4, 2, 3]", () -> FrameSelector.gathered(tf, t.placeholder(4, 2, 3), t.placeholder(4), id, null));
      assertMessage("mask of rank 1", () -> FrameSelector.gathered(tf, x, t.placeholder(4, 1), id, null));
      assertMessage("x has 4 frames, mask has 5", () -> FrameSelector.masked(tf, x, t.placeholder(5), id));
      assertMessage(
          "skippedValue must have shape [1, H', W', C'] = [1, 2, 2, 3], got [1, 2, 2, 4]",
          () -> FrameSelector.gathered(tf, x, t.placeholder(4), id, t.placeholder(1, 2, 2, 4)));
      assertMessage(
          "sub-graph must return rank 4",
          () -> FrameSelector.gathered(tf, x, t.placeholder(4), in -> tf.reshape(in, tf.constant(new int[] {-1, 12})), null));
    }
  }
}
