package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.data.ClipLoader;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.metrics.ConditionalExit;
import io.saccade.runtime.metrics.ExitCurve;
import io.saccade.runtime.metrics.TfRecordReader;
import io.saccade.runtime.nn.Tensors;
import io.saccade.runtime.train.AdaFocusV2TrainerTest.TinyAdaFocus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;
import org.tensorflow.proto.Event;

/** The conditional exit end to end on a tiny hand-built AdaFocusV2: per-step logits → thresholds → curve. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdaFocusV2ExitCurveTest {

  static final int STEPS = AdaFocusV2TrainerTest.FRAMES;
  static final double GFLOPS = 0.75; // the spec's compile-time figure, every clip's dynamicGflops
  static final int VAL = 8;

  private Trainer trainer;

  private static VideoDataset data(Split split, int clips) {
    return SyntheticMotionDataset.builder()
        .frames(STEPS).size(AdaFocusV2TrainerTest.SIZE).classes(4).keyFrames(2).clips(clips).seed(3).split(split).build();
  }

  @BeforeAll
  void trainAFewSteps() throws Exception {
    trainer =
        Trainer.builder(new TinyAdaFocus())
            .trainData(data(Split.TRAIN, 16))
            .batchSize(4)
            .threads(1)
            .seed(11)
            .exitCalibrationClips(6)
            .build();
    try (ClipLoader loader = ClipLoader.builder(data(Split.TRAIN, 16)).batchSize(4).build()) {
      ClipBatch batch = loader.epoch(0).next();
      for (int i = 0; i < 4; i++) {
        trainer.step(batch, 0.02f, 1f, 1f, i);
      }
    }
  }

  @AfterAll
  void close() {
    trainer.close();
  }

  @Test
  void theAllFramesPointIsThePlainEvaluation() {
    VideoDataset val = data(Split.VALIDATION, VAL);
    ClassificationMetrics plain = trainer.evaluate(val);
    Evaluation e = trainer.evaluateWithExit(val, 1, 1);
    assertEquals(plain.top1(), e.metrics().top1(), 0);
    ExitCurve curve = e.exitCurve();
    assertNotNull(curve);
    assertEquals(6, curve.calibrationClips(), "default calibration: 6 evenly spaced of the 16 training clips");
    assertEquals(VAL, curve.evaluationClips());
    assertEquals(ConditionalExit.officialBases().length + 1, curve.points().size());
    ExitCurve.Point all = curve.allFrames();
    assertEquals(plain.top1(), all.accuracy(), 0);
    assertEquals(GFLOPS, plain.gflopsPerClip(), 1e-6);
    assertEquals(plain.gflopsPerClip(), all.expectedGflops(), 0);
    assertArrayEquals(new int[] {0, 0, 0, VAL}, all.exitsPerStep());

    // Two temporal views: the per-step logits are averaged over views as the clip logits are.
    ClassificationMetrics twoViews = trainer.evaluate(val, 2, 1);
    ExitCurve twoCurve = trainer.evaluateWithExit(val, 2, 1).exitCurve();
    assertEquals(twoViews.top1(), twoCurve.allFrames().accuracy(), 0);
    assertEquals(2 * GFLOPS, twoCurve.allFrames().expectedGflops(), 1e-6);
  }

  @Test
  void calibratingOnTheEvaluatedClipsExitsExactlyTheFittedFractions() throws Exception {
    VideoDataset val = data(Split.VALIDATION, VAL);
    ExitCurve curve = trainer.evaluateWithExit(val, 1, 1, val).exitCurve();
    assertEquals(VAL, curve.calibrationClips());

    // p = 1 by hand: q = (¼, ¼, ¼, ¼), so 2 of the 8 clips exit after each step; cost (2·1 + 2·2 + 2·3 + 2·4)/(4·8) of 0.75.
    ExitCurve.Point p1 = point(curve, 1.0);
    assertArrayEquals(new int[] {2, 2, 2, 2}, p1.exitsPerStep());
    assertEquals(GFLOPS * 20 / 32, p1.expectedGflops(), 1e-9);
    // Its top-1, from the step logits fetched here: at each step the two most confident (largest logit)
    // clips still running exit and predict their argmax.
    float[][][] steps = stepLogits(val);
    int[] labels = new int[VAL];
    for (int i = 0; i < VAL; i++) {
      labels[i] = val.label(i);
    }
    boolean[] done = new boolean[VAL];
    int correct = 0;
    for (int k = 0; k < STEPS; k++) {
      for (int take = 0; take < 2; take++) {
        int best = -1;
        for (int i = 0; i < VAL; i++) {
          if (!done[i] && (best < 0 || max(steps[i][k]) > max(steps[best][k]))) {
            best = i;
          }
        }
        done[best] = true;
        correct += argMax(steps[best][k]) == labels[best] ? 1 : 0;
      }
    }
    assertEquals(correct / (double) VAL, p1.accuracy(), 1e-12);

    // Every base: ⌊n·q_k⌋ clips exit after step k < K; the cost is at least the ideal Σ (k+1)·q_k·G/K, which
    // grows with p, and exceeds it by less than (K−1)·G/(2n) (the floors hold back < 1 clip per step).
    double previousIdeal = 0;
    for (ExitCurve.Point point : curve.sweep()) {
      double[] q = ConditionalExit.exitFractions(STEPS, point.p());
      int[] expected = new int[STEPS];
      int left = VAL;
      double ideal = 0;
      for (int k = 0; k < STEPS; k++) {
        expected[k] = k < STEPS - 1 ? (int) Math.floor(VAL * q[k]) : left;
        left -= expected[k];
        ideal += (k + 1) * q[k] * GFLOPS / STEPS;
      }
      assertArrayEquals(expected, point.exitsPerStep(), "p = " + point.p());
      assertTrue(ideal > previousIdeal, "the ideal cost grows with p");
      previousIdeal = ideal;
      assertTrue(point.expectedGflops() >= ideal - 1e-9, point.line() + " vs ideal " + ideal);
      assertTrue(point.expectedGflops() < ideal + (STEPS - 1) * GFLOPS / (2.0 * VAL), point.line() + " vs ideal " + ideal);
      assertTrue(point.expectedGflops() <= curve.allFrames().expectedGflops());
    }
    assertTrue(curve.sweep().get(0).expectedGflops() < 0.5 * GFLOPS, "p = 0.5 exits most clips early");
  }

  @Test
  void fitMeasuresTheCurveAfterTheLastEpochAndWritesScalars(@TempDir Path run) throws Exception {
    Trainer.Summary s;
    try (Trainer t =
        Trainer.builder(new TinyAdaFocus())
            .trainData(data(Split.TRAIN, 8))
            .validationData(data(Split.VALIDATION, 4))
            .exitCalibration(data(Split.TRAIN, 8).slice(0, 5))
            .batchSize(4)
            .threads(1)
            .seed(11)
            .runDirectory(run)
            .build()) {
      s = t.fit();
    }
    assertNotNull(s.exitCurve());
    assertEquals(5, s.exitCurve().calibrationClips());
    assertEquals(s.validation().top1(), s.exitCurve().allFrames().accuracy(), 0);
    List<String> tags = new ArrayList<>();
    try (Stream<Path> files = Files.list(run.resolve("tensorboard/validation"))) {
      for (byte[] record : TfRecordReader.readAll(files.findFirst().orElseThrow())) {
        Event e = Event.parseFrom(record);
        for (var v : e.getSummary().getValueList()) {
          tags.add(v.getTag());
          if (v.getTag().equals("exit/all_frames_top1")) {
            assertEquals(s.validation().top1(), v.getSimpleValue(), 1e-6);
            assertEquals(s.steps(), e.getStep());
          }
        }
      }
    }
    assertTrue(tags.containsAll(List.of("exit/all_frames_top1", "exit/cheapest_top1", "exit/cheapest_gflops",
        "exit/p1_top1", "exit/p1_gflops")), tags.toString());
  }

  @Test
  void modelsWithoutAnExitHaveNoCurve() {
    VideoDataset train = SyntheticMotionDataset.builder()
        .frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE).classes(4).clips(8).seed(3).split(Split.TRAIN).build();
    VideoDataset val = SyntheticMotionDataset.builder()
        .frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE).classes(4).clips(6).seed(3).split(Split.VALIDATION).build();
    try (Trainer t = Trainer.builder(new TinyAfModel(4)).trainData(train).batchSize(4).threads(1).build()) {
      Evaluation e = t.evaluateWithExit(val, 1, 1);
      assertNull(e.exitCurve());
      assertEquals(t.evaluate(val).top1(), e.metrics().top1(), 0);
      assertEquals(6, e.metrics().count());
    }
  }

  private static ExitCurve.Point point(ExitCurve curve, double p) {
    return curve.sweep().stream().filter(x -> Math.abs(x.p() - p) < 1e-9).findFirst().orElseThrow();
  }

  /** {@code [clip][step][class]} from the inference build, fetched batch by batch as the trainer does. */
  private float[][][] stepLogits(VideoDataset val) throws Exception {
    int k = trainer.model().classes();
    float[][][] out = new float[VAL][STEPS][k];
    try (ClipLoader loader = ClipLoader.builder(val).batchSize(4).training(false).build();
        ClipLoader.Epoch batches = loader.epoch(0)) {
      while (batches.hasNext()) {
        ClipBatch batch = batches.next();
        try (TFloat32 in = batch.toTensor();
            Result r =
                trainer.session().runner().feed(trainer.trainingGraph().inferenceInput(), in)
                    .fetch(trainer.trainingGraph().inferenceOutputs().frameLogits()).run()) {
          float[] v = Tensors.floats((TFloat32) r.get(0));
          for (int row = 0; row < batch.size(); row++) {
            if (batch.isValid(row)) {
              for (int s = 0; s < STEPS; s++) {
                System.arraycopy(v, (row * STEPS + s) * k, out[batch.index(row)][s], 0, k);
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static float max(float[] v) {
    float m = v[0];
    for (float x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  private static int argMax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
