package io.saccade.runtime.nn;

import static io.saccade.runtime.nn.Reference.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class Conv2dTest {

  @ParameterizedTest(name = "{0}x{1}x{2}→{3} k{4} s{5} p{6} d{7} g{8}")
  @CsvSource({
    "7, 6, 4, 6, 3, 1, 1, 1, 1", // stride 1, "SAME" path
    "7, 6, 4, 6, 3, 2, 1, 1, 1", // stride 2 on an even width: TF SAME would pad only right/bottom
    "8, 8, 4, 6, 3, 2, 1, 1, 2", // grouped, strided
    "7, 7, 4, 4, 3, 1, 2, 2, 1", // dilated, stride 1
    "9, 8, 4, 6, 3, 2, 2, 2, 2", // dilated, strided, grouped
    "6, 6, 4, 8, 1, 2, 0, 1, 1", // 1x1 stride-2 downsample
    "12, 10, 3, 4, 7, 2, 3, 1, 1", // ResNet stem 7x7/2 pad 3
    "5, 5, 4, 2, 3, 1, 0, 1, 1", // no padding
    "5, 5, 4, 4, 3, 2, 0, 1, 4" // depthwise as groups = C
  })
  void forwardMatchesDirectLoops(int h, int w, int cin, int cout, int k, int stride, int pad, int dil, int groups) {
    int m = 2;
    int kin = cin / groups;
    float[] x = TfTest.randomFloats(1, m * h * w * cin, 1f);
    float[] kernel = TfTest.randomFloats(2, k * k * kin * cout, 1f);
    float[] expected = Reference.conv2d(x, m, h, w, cin, kernel, k, k, kin, cout, stride, pad, dil);
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y =
          Conv2d.apply(t.tf(), t.constant(x, m, h, w, cin), t.constant(kernel, k, k, kin, cout), stride, pad, dil);
      int oh = Reference.out(h, k, stride, pad, dil);
      int ow = Reference.out(w, k, stride, pad, dil);
      assertEquals(Shape.of(m, oh, ow, cout), y.shape());
      assertEquals(oh, Conv2d.outputSize(h, k, stride, pad, dil));
      assertClose(expected, t.eval(y), 1e-5);
    }
  }

  @Test
  void builderCreatesKernelAndBiasAndDefaultsToSizePreservingPadding() {
    float[] x = TfTest.randomFloats(3, 1 * 6 * 6 * 4, 1f);
    float[] kernel = TfTest.randomFloats(4, 3 * 3 * 2 * 6, 1f);
    float[] bias = {0.5f, -1f, 2f, 0f, 0.25f, -0.75f};
    float[] expected = Reference.conv2d(x, 1, 6, 6, 4, kernel, 3, 3, 2, 6, 2, 1, 1);
    for (int i = 0; i < expected.length; i++) {
      expected[i] += bias[i % 6];
    }
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y =
          Conv2d.builder(6)
              .kernel(3)
              .stride(2)
              .groups(2)
              .bias(true)
              .initializer(Initializer.values(kernel))
              .biasInitializer(Initializer.values(bias))
              .build(t.ctx(Mode.TRAINING).child("stage1").child("conv2"), t.constant(x, 1, 6, 6, 4));
      assertEquals(Shape.of(1, 3, 3, 6), y.shape());
      assertClose(expected, t.eval(y), 1e-5);
      Parameter k = t.store().get("stage1/conv2/kernel");
      assertEquals(Shape.of(3, 3, 2, 6), k.shape());
      assertEquals(Parameter.Role.WEIGHT, k.role());
      assertEquals(Parameter.Role.BIAS, t.store().get("stage1/conv2/bias").role());
      assertTrue(y.op().name().startsWith("stage1/conv2/"), y.op().name());
    }
  }

  @Test
  void noBiasByDefaultAndDefaultInitIsPyTorchKaimingFanOut() {
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> x = t.constant(new float[1 * 4 * 4 * 16], 1, 4, 4, 16);
      Conv2d.builder(64).kernel(3).build(t.ctx(Mode.TRAINING).child("a"), x);
      Conv2d.builder(64).kernel(3).groups(2).build(t.ctx(Mode.TRAINING).child("b"), x);
      assertEquals(List.of("a/kernel", "b/kernel"), t.store().all().stream().map(Parameter::name).toList());
      // PyTorch's fan_out = weight.size(0)·k·k = 64·9 for any groups; sample std of 9216 (4608) draws within 5%.
      double expected = Math.sqrt(2.0 / (9 * 64));
      assertEquals(expected, std(t.eval(t.store().get("a/kernel").variable())), 0.05 * expected);
      assertEquals(expected, std(t.eval(t.store().get("b/kernel").variable())), 0.05 * expected);
    }
  }

  // Gradients by central differences (eps 1e-2, float32): a conv is linear in x and in the kernel, so the
  // only error is float32 rounding of a loss of order 10; measured worst relative errors <= 6e-5.
  @ParameterizedTest(name = "s{0} p{1} d{2} g{3}")
  @CsvSource({"2, 1, 1, 1", "1, 1, 1, 2", "2, 1, 1, 2", "1, 2, 2, 1", "2, 2, 2, 2", "1, 0, 1, 1"})
  void gradientsWrtInputAndKernelMatchFiniteDifferences(int stride, int pad, int dil, int groups) {
    int cin = 4;
    int cout = 6;
    long[] xs = {2, 7, 6, cin};
    long[] ks = {3, 3, cin / groups, cout};
    try (TfTest t = TfTest.create()) {
      double err =
          t.gradientError(
              in -> Conv2d.apply(t.tf(), in.get(0), in.get(1), stride, pad, dil),
              List.of(TfTest.randomFloats(5, 2 * 7 * 6 * cin, 1f), TfTest.randomFloats(6, 9 * (cin / groups) * cout, 1f)),
              List.of(xs, ks),
              1e-2f,
              40);
      assertTrue(err < 2e-3, "relative gradient error " + err);
    }
  }

  @Test
  void groupedEqualsSplitConvConcatInValuesAndGradients() {
    float[] xv = TfTest.randomFloats(7, 2 * 6 * 6 * 4, 1f);
    float[] kv = TfTest.randomFloats(8, 3 * 3 * 2 * 6, 1f);
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      Placeholder<TFloat32> x = t.placeholder(2, 6, 6, 4);
      Placeholder<TFloat32> k = t.placeholder(3, 3, 2, 6);
      Operand<TFloat32> grouped = Conv2d.apply(tf, x, k, 2, 1, 1);
      var xParts = tf.split(tf.constant(3), x, 2L).output();
      var kParts = tf.split(tf.constant(3), k, 2L).output();
      Operand<TFloat32> split =
          tf.concat(
              List.of(
                  Conv2d.apply(tf, xParts.get(0), kParts.get(0), 2, 1, 1),
                  Conv2d.apply(tf, xParts.get(1), kParts.get(1), 2, 1, 1)),
              tf.constant(3));
      Operand<TFloat32> w = t.constant(TfTest.randomFloats(9, 2 * 3 * 3 * 6, 1f), 2, 3, 3, 6);
      var gGrouped = tf.gradients(tf.reduceSum(tf.math.mul(grouped, w), tf.constant(new int[] {0, 1, 2, 3})), List.of(x, k));
      var gSplit = tf.gradients(tf.reduceSum(tf.math.mul(split, w), tf.constant(new int[] {0, 1, 2, 3})), List.of(x, k));
      List<float[]> r =
          t.evalAll(
              Map.of(x, xv, k, kv),
              List.of(grouped, split, gGrouped.dy(0), gSplit.dy(0), gGrouped.dy(1), gSplit.dy(1)));
      assertClose(r.get(1), r.get(0), 1e-5);
      assertClose(r.get(3), r.get(2), 1e-5);
      assertClose(r.get(5), r.get(4), 1e-5);
    }
  }

  @Test
  void badArgumentsThrowNamingValueAndLimit() {
    assertMessage(() -> Conv2d.builder(0), "0", ">= 1");
    assertMessage(() -> Conv2d.builder(8).kernel(0), "kernel", "0");
    assertMessage(() -> Conv2d.builder(8).stride(0), "stride", ">= 1");
    assertMessage(() -> Conv2d.builder(8).padding(-1), "padding", ">= 0");
    assertMessage(() -> Conv2d.builder(8).dilation(0), "dilation", ">= 1");
    assertMessage(() -> Conv2d.builder(8).groups(0), "groups", ">= 1");
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> x = t.constant(new float[4 * 4 * 4], 1, 4, 4, 4);
      BuildContext ctx = t.ctx(Mode.TRAINING);
      assertMessage(() -> Conv2d.builder(6).groups(3).build(ctx.child("a"), x), "groups (3)", "input channels (4)");
      assertMessage(() -> Conv2d.builder(5).groups(2).build(ctx.child("b"), x), "groups (2)", "output channels (5)");
      Operand<TFloat32> unknown = t.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, -1)));
      assertMessage(() -> Conv2d.builder(6).build(ctx.child("c"), unknown), "channel", "[-1, 4, 4, -1]");
      assertMessage(() -> Conv2d.builder(6).build(ctx.child("d"), t.constant(new float[16], 4, 4)), "rank-4", "[4, 4]");
      assertMessage(() -> Conv2d.builder(6).kernel(7).padding(1).build(ctx.child("e"), x), "7 pixels", "6 pixels");
      assertMessage(
          () -> Conv2d.apply(t.tf(), x, t.constant(new float[9 * 3 * 2], 3, 3, 3, 2), 1, 1, 1),
          "input channels (4)", "kernel's input channels (3)");
      assertMessage(
          () -> Conv2d.apply(t.tf(), x, t.constant(new float[9 * 2 * 3], 3, 3, 2, 3), 1, 1, 1),
          "groups (2", "output channels (3)");
      assertMessage(() -> Conv2d.apply(t.tf(), x, t.constant(new float[9 * 4 * 4], 3, 3, 4, 4), 0, 1, 1), "stride", "0");
      assertEquals(List.of(), t.store().all(), "no parameter is created by a failed build");
    }
  }

  static void assertMessage(Runnable r, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should contain '" + p + "'");
    }
  }

  static double std(float[] v) {
    double mean = 0;
    for (float f : v) {
      mean += f;
    }
    mean /= v.length;
    double s = 0;
    for (float f : v) {
      s += (f - mean) * (f - mean);
    }
    return Math.sqrt(s / v.length);
  }

  @Test
  void outputSizeFollowsPyTorch() {
    assertArrayEquals(
        new int[] {112, 56, 56, 28, 1},
        new int[] {
          Conv2d.outputSize(224, 7, 2, 3, 1),
          Conv2d.outputSize(112, 3, 2, 1, 1),
          Conv2d.outputSize(56, 3, 1, 1, 1),
          Conv2d.outputSize(56, 1, 2, 0, 1),
          Conv2d.outputSize(3, 3, 1, 0, 1)
        });
    assertMessage(() -> Conv2d.outputSize(2, 3, 1, 0, 1), "3 pixels", "2 pixels");
  }

  @Test
  void atInferenceAsymmetricPaddingIsDoneByTheConvolutionWithTheSameValues() {
    // 3×3 / 2 with padding 1 on an even input: SAME would pad (0, 1), so this padding is explicit.
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> x = t.placeholder(2, 8, 8, 6);
      BuildContext ctx = t.ctx(Mode.INFERENCE);
      Operand<TFloat32> conv = Conv2d.builder(4).kernel(3).stride(2).padding(1).build(ctx.child("c"), x);
      Operand<TFloat32> convPadded = Conv2d.apply(t.tf(), x, t.store().get("c/kernel").variable(), 2, 1, 1);
      assertTrue(opTypes(t).contains("PadV2"), "the reference pads by copy");
      List<float[]> v = t.evalAll(Map.of(x, TfTest.randomFloats(4, 2 * 8 * 8 * 6, 1f)), List.of(conv, convPadded));
      assertArrayEquals(v.get(1), v.get(0), 1e-5f);
      assertEquals("EXPLICIT", ((org.tensorflow.GraphOperation) conv.op()).attributes().getAttrString("padding"));
    }
  }

  private static List<String> opTypes(TfTest t) {
    List<String> types = new java.util.ArrayList<>();
    t.graph().operations().forEachRemaining(o -> types.add(o.type()));
    return types;
  }
}
