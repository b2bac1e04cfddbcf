package io.saccade.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.testing.TfTest;
import io.saccade.runtime.weights.ImportPlan;
import io.saccade.runtime.weights.Layouts;
import io.saccade.runtime.weights.NpyArray;
import io.saccade.runtime.weights.Npz;
import io.saccade.runtime.weights.WeightImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The MobileNetV3 blocks reproduce the official AF-MobileNetV3 on the {@code afnet-mbv3-s3} fixture: every
 * official tensor imported through {@link OfficialAfMobileNetKeys}, frame logits within
 * {@code 1e-3 + 1e-4·|official|}, all 5 masks equal, on the frame-skipping and the masked path. Skipped where
 * the fixture is absent (see {@link AfNetParityTest#fixtures()}).
 */
class AfNetParityMobileNetV3Test {

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void reproducesTheOfficialOutputs(boolean skipFrames) throws Exception {
    Path dir = AfNetParityTest.fixtures().resolve("afnet-mbv3-s3");
    assumeTrue(Files.isDirectory(dir), "no fixture at " + dir);
    int frames = 8;
    int clips = 2;
    int size = 96;
    Map<String, NpyArray> weights = Npz.read(dir.resolve("weights.npz"));
    NpyArray input = Layouts.nchwToNhwc(Npz.read(dir.resolve("input.npz")).get("clips"));
    Map<String, NpyArray> expected = Npz.read(dir.resolve("expected.npz"));
    OfficialAfMobileNetV3 model = new OfficialAfMobileNetV3(frames, 10, size);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(graph, 0);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(clips, frames, size, size, 3)));
      ModelOutputs out =
          model.build(BuildContext.root(tf, store, Mode.INFERENCE).withFrameSkipping(skipFrames), in, tf.constant(1f));
      assertEquals(5, out.selections().size());
      List<Operand<?>> fetches = new ArrayList<>();
      fetches.add(out.frameLogits());
      out.selections().forEach(s -> fetches.add(s.mask()));
      fetches.add(out.dynamicGflops());
      try (Session session = new Session(graph)) {
        ImportPlan plan = WeightImport.load(session, store, weights, OfficialAfMobileNetKeys.mapping(weights));
        // Every parameter filled from the official file, every official tensor used.
        assertEquals(store.all().size(), plan.assignments().size(), plan.summary());
        Session.Runner runner = session.runner();
        try (TFloat32 clipTensor = TFloat32.tensorOf(Shape.of(clips, frames, size, size, 3), DataBuffers.of(input.floats()))) {
          runner.feed(in, clipTensor);
          fetches.forEach(runner::fetch);
          try (Result r = runner.run()) {
            float[] logits = TfTest.toFloats(r.get(0));
            float[] official = expected.get("frame_logits").floats();
            assertEquals(official.length, logits.length);
            double worst = 0;
            double worstExcess = Double.NEGATIVE_INFINITY;
            double scale = 0;
            for (int i = 0; i < logits.length; i++) {
              double d = Math.abs(logits[i] - official[i]);
              worst = Math.max(worst, d);
              worstExcess = Math.max(worstExcess, d - (1e-3 + 1e-4 * Math.abs(official[i])));
              scale = Math.max(scale, Math.abs(official[i]));
            }
            int kept = 0;
            for (int m = 0; m < 5; m++) {
              float[] mask = TfTest.toFloats(r.get(1 + m));
              assertArrayEquals(expected.get(String.format(Locale.ROOT, "mask_%02d", m)).floats(), mask, "mask " + m);
              for (float v : mask) {
                kept += (int) v;
              }
            }
            float[] gflops = TfTest.toFloats(r.get(6));
            System.out.printf(
                Locale.ROOT,
                "PARITY fixture=afnet-mbv3-s3 path=%s logits_max_abs_diff=%.3g max|logit|=%.3g masks_equal=true kept=%d/80 gflops=%s%n",
                skipFrames ? "gather-scatter" : "masked", worst, scale, kept, java.util.Arrays.toString(gflops));
            assertTrue(worstExcess <= 0, "logits differ by up to " + worst);
          }
        }
      }
    }
  }
}
