package io.saccade.runtime.blocks;

import static io.saccade.runtime.blocks.AdaFocusV2Test.CLASSES;
import static io.saccade.runtime.blocks.AdaFocusV2Test.N;
import static io.saccade.runtime.blocks.AdaFocusV2Test.SIZE;
import static io.saccade.runtime.blocks.AdaFocusV2Test.T;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.dsl.Interpolation;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.testing.TfTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/** AdaFocusV2's conditional exit built to really stop ({@link AdaFocusV2Exit}) against the batched graph. */
class AdaFocusV2ExitTest {

  /** The batched inference graph and the exit-gated one on the same clips and parameters. */
  private record Pair(ModelOutputs batched, ModelOutputs gated, Placeholder<TFloat32> thresholds) {}

  private static Pair pair(TfTest t, Placeholder<TFloat32> in) {
    AdaFocusV2Spec spec = AdaFocusV2Test.recurrent(0.2f, Interpolation.BILINEAR, AdaFocusV2Test.recurrent().exitOrder());
    ModelOutputs batched = AdaFocusV2Test.build(t.ctx(Mode.INFERENCE), in, spec);
    Placeholder<TFloat32> thresholds = t.placeholder(T);
    ModelOutputs gated = AdaFocusV2Test.build(AdaFocusV2.withExitThresholds(t.ctx(Mode.INFERENCE), thresholds), in, spec);
    return new Pair(batched, gated, thresholds);
  }

  @Test
  void withoutAnExitTheGatedGraphGivesTheLastStepAndTheFullCost() {
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> in = t.placeholder(N, T, SIZE, SIZE, 3);
      Pair p = pair(t, in);
      assertNull(p.gated().exitScores());
      float[] never = new float[T];
      Arrays.fill(never, Float.POSITIVE_INFINITY);
      List<float[]> v =
          t.evalAll(
              Map.of(in, AdaFocusV2Test.clips(5), p.thresholds(), never),
              List.of(p.batched().clipLogits(), p.gated().clipLogits(), p.gated().dynamicGflops(),
                  p.gated().endpoints().get("steps_taken")));
      assertArrayEquals(v.get(0), v.get(1), 1e-4f, "the same logits, frame by frame or batched");
      assertArrayEquals(new float[] {T, T}, v.get(3));
      assertArrayEquals(new float[] {1.5f, 1.5f}, v.get(2), 1e-6f, "every step: the analytic GFLOPs");
    }
  }

  @Test
  void eachClipExitsWithTheLogitsOfTheFirstStepThatReachesItsThresholdAndPaysForItsSteps() {
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> in = t.placeholder(N, T, SIZE, SIZE, 3);
      Pair p = pair(t, in);
      float[] clips = AdaFocusV2Test.clips(7);
      float[] never = new float[T];
      Arrays.fill(never, Float.POSITIVE_INFINITY);
      List<float[]> full =
          t.evalAll(Map.of(in, clips, p.thresholds(), never), List.of(p.batched().frameLogits(), p.batched().exitScores()));
      float[] steps = full.get(0);
      float[] scores = full.get(1);
      // Step 2 (index 1): a threshold between the two clips' scores, so exactly one clip exits there; the
      // other goes on, and exits at step 3 (threshold below its score).
      int early = scores[1] >= scores[T + 1] ? 0 : 1;
      int late = 1 - early;
      float[] thresholds = {Float.POSITIVE_INFINITY, (scores[1] + scores[T + 1]) / 2, Float.NEGATIVE_INFINITY, 0f};
      if (scores[1] == scores[T + 1]) {
        throw new AssertionError("the two clips' step-2 scores tie; pick other clips");
      }
      List<float[]> v =
          t.evalAll(Map.of(in, clips, p.thresholds(), thresholds),
              List.of(p.gated().clipLogits(), p.gated().endpoints().get("steps_taken"), p.gated().dynamicGflops()));
      float[] expected = new float[N * CLASSES];
      System.arraycopy(steps, (early * T + 1) * CLASSES, expected, early * CLASSES, CLASSES);
      System.arraycopy(steps, (late * T + 2) * CLASSES, expected, late * CLASSES, CLASSES);
      assertArrayEquals(expected, v.get(0), 1e-4f);
      float[] taken = new float[N];
      taken[early] = 2;
      taken[late] = 3;
      assertArrayEquals(taken, v.get(1));
      assertArrayEquals(new float[] {taken[0] * 1.5f / T, taken[1] * 1.5f / T}, v.get(2), 1e-6f);
    }
  }

  @Test
  void theStepsAfterTheExitAreNeverComputed() {
    try (TfTest t = TfTest.create()) {
      Placeholder<TFloat32> in = t.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, T, SIZE, SIZE, 3)));
      Pair p = pair(t, in);
      float[] never = new float[T];
      Arrays.fill(never, Float.POSITIVE_INFINITY);
      float[] first = new float[T];
      Arrays.fill(first, Float.NEGATIVE_INFINITY);
      float[] clip = Arrays.copyOf(AdaFocusV2Test.clips(9), T * SIZE * SIZE * 3);
      int all = convolutionsRun(t, p, in, clip, never);
      int one = convolutionsRun(t, p, in, clip, first);
      assertTrue(all > 0);
      // Each step runs the same encoders: exiting after the first of T steps runs a T-th of the convolutions.
      assertEquals(all / T, one, "convolutions run: " + one + " of " + all);
    }
  }

  /** Convolution kernels TensorFlow ran (from its step statistics) for one batch of the gated graph. */
  private static int convolutionsRun(TfTest t, Pair p, Placeholder<TFloat32> in, float[] clip, float[] thresholds) {
    RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    try (TFloat32 x = TFloat32.tensorOf(in.shape(), DataBuffers.of(clip));
        TFloat32 th = TFloat32.tensorOf(Shape.of(T), DataBuffers.of(thresholds));
        Result r =
            t.session().runner().feed(in, x).feed(p.thresholds(), th).fetch(p.gated().clipLogits()).setOptions(trace)
                .runAndFetchMetadata()) {
      RunMetadata meta = r.getMetadata().orElseThrow();
      List<String> convs = new ArrayList<>();
      meta.getStepStats().getDevStatsList().forEach(d -> {
        for (NodeExecStats n : d.getNodeStatsList()) {
          if (n.getTimelineLabel().contains("Conv2D")) {
            convs.add(n.getNodeName());
          }
        }
      });
      return convs.size();
    }
  }
}
