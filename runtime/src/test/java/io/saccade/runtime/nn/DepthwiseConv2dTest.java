package io.saccade.runtime.nn;

import static io.saccade.runtime.nn.Conv2dTest.assertMessage;
import static io.saccade.runtime.nn.Reference.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class DepthwiseConv2dTest {

  // A [k, k, C, 1] depthwise kernel has the memory layout of a [k, k, 1, C] grouped-conv kernel (groups = C).
  @ParameterizedTest(name = "{0}x{1} k{2} s{3} p{4} d{5}")
  @CsvSource({"7, 6, 3, 1, 1, 1", "7, 6, 3, 2, 1, 1", "8, 8, 5, 2, 2, 1", "7, 7, 3, 1, 2, 2", "9, 8, 3, 2, 2, 2", "6, 5, 3, 1, 0, 1"})
  void forwardMatchesDirectLoops(int h, int w, int k, int stride, int pad, int dil) {
    int m = 2;
    int c = 3;
    float[] x = TfTest.randomFloats(11, m * h * w * c, 1f);
    float[] kernel = TfTest.randomFloats(12, k * k * c, 1f);
    float[] expected = Reference.conv2d(x, m, h, w, c, kernel, k, k, 1, c, stride, pad, dil);
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y =
          DepthwiseConv2d.apply(t.tf(), t.constant(x, m, h, w, c), t.constant(kernel, k, k, c, 1), stride, pad, dil);
      assertEquals(
          Shape.of(m, Reference.out(h, k, stride, pad, dil), Reference.out(w, k, stride, pad, dil), c), y.shape());
      assertClose(expected, t.eval(y), 1e-5);
    }
  }

  @Test
  void builderDefaultsToThreeByThreeSizePreservingWithKernelParameter() {
    float[] x = TfTest.randomFloats(13, 1 * 5 * 5 * 4, 1f);
    float[] kernel = TfTest.randomFloats(14, 9 * 4, 1f);
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> y =
          DepthwiseConv2d.builder()
              .initializer(Initializer.values(kernel))
              .bias(true)
              .biasInitializer(Initializer.constant(0.5f))
              .build(t.ctx(Mode.TRAINING).child("dw"), t.constant(x, 1, 5, 5, 4));
      float[] expected = Reference.conv2d(x, 1, 5, 5, 4, kernel, 3, 3, 1, 4, 1, 1, 1);
      for (int i = 0; i < expected.length; i++) {
        expected[i] += 0.5f;
      }
      assertClose(expected, t.eval(y), 1e-5);
      assertEquals(Shape.of(3, 3, 4, 1), t.store().get("dw/kernel").shape());
      assertEquals(Shape.of(4), t.store().get("dw/bias").shape());
    }
  }

  @Test
  void defaultInitIsPyTorchKaimingFanOutOfTheCx1xkxkWeight() {
    try (TfTest t = TfTest.create()) {
      DepthwiseConv2d.builder().kernel(5).build(t.ctx(Mode.TRAINING).child("dw"), t.constant(new float[4 * 4 * 256], 1, 4, 4, 256));
      double expected = Math.sqrt(2.0 / (25 * 256)); // fan_out = C·k·k; 6400 draws, std within 5%
      assertEquals(expected, Conv2dTest.std(t.eval(t.store().get("dw/kernel").variable())), 0.05 * expected);
    }
  }

  // Central differences, eps 1e-2; linear in both inputs, measured worst relative error <= 5e-5.
  @ParameterizedTest(name = "s{0} p{1} d{2}")
  @CsvSource({"1, 1, 1", "2, 1, 1", "2, 2, 2"})
  void gradientsWrtInputAndKernelMatchFiniteDifferences(int stride, int pad, int dil) {
    try (TfTest t = TfTest.create()) {
      double err =
          t.gradientError(
              in -> DepthwiseConv2d.apply(t.tf(), in.get(0), in.get(1), stride, pad, dil),
              List.of(TfTest.randomFloats(15, 2 * 7 * 6 * 3, 1f), TfTest.randomFloats(16, 9 * 3, 1f)),
              List.of(new long[] {2, 7, 6, 3}, new long[] {3, 3, 3, 1}),
              1e-2f,
              40);
      assertTrue(err < 2e-3, "relative gradient error " + err);
    }
  }

  @Test
  void badArgumentsThrowNamingValueAndLimit() {
    assertMessage(() -> DepthwiseConv2d.builder().kernel(0), "kernel", ">= 1");
    assertMessage(() -> DepthwiseConv2d.builder().stride(-2), "stride", "-2");
    assertMessage(() -> DepthwiseConv2d.builder().padding(-1), "padding", ">= 0");
    try (TfTest t = TfTest.create()) {
      Operand<TFloat32> x = t.constant(new float[4 * 4 * 4], 1, 4, 4, 4);
      assertMessage(
          () -> DepthwiseConv2d.apply(t.tf(), x, t.constant(new float[9 * 3], 3, 3, 3, 1), 1, 1, 1),
          "kernel channels (3)", "input channels (4)");
      assertMessage(() -> DepthwiseConv2d.builder().kernel(9).padding(0).build(t.ctx(Mode.TRAINING), x), "9 pixels", "4 pixels");
      assertEquals(List.of(), t.store().all());
    }
  }
}
