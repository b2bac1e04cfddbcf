package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.metrics.TfRecordReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;

class TrainerTest {

  private static VideoDataset data(Split split, int clips) {
    return SyntheticMotionDataset.builder()
        .frames(TinyAfModel.FRAMES)
        .size(TinyAfModel.SIZE)
        .classes(4)
        .keyFrames(2)
        .clips(clips)
        .seed(3)
        .split(split)
        .build();
  }

  private static TrainerBuilder trainer(int epochs, Path run) {
    return Trainer.builder(new TinyAfModel(4))
        .trainData(data(Split.TRAIN, 48))
        .validationData(data(Split.VALIDATION, 20))
        .epochs(epochs)
        .batchSize(8)
        .threads(2)
        .learningRate(0.05)
        .seed(11)
        .runDirectory(run);
  }

  @Test
  void killAndResumeContinuesExactlyAsTheUninterruptedRun(@TempDir Path dir) throws Exception {
    Trainer.Summary whole;
    try (Trainer t = trainer(3, dir.resolve("whole")).build()) {
      whole = t.fit();
    }
    try (Trainer t = trainer(3, dir.resolve("split")).build()) {
      t.fitUntil(2); // the process dies here; only the checkpoints survive
    }
    Trainer.Summary resumed;
    try (Trainer t = trainer(3, dir.resolve("split")).build()) {
      assertEquals(12L, t.resume().orElseThrow(), "resumes at the step of the last checkpoint (2 epochs × 6 steps)");
      resumed = t.fit();
    }
    assertEquals(18, whole.steps());
    assertEquals(whole.steps(), resumed.steps());
    assertEquals(whole.lastLoss(), resumed.lastLoss(), 1e-5 * Math.max(1, Math.abs(whole.lastLoss())));
    assertEquals(whole.validation().top1(), resumed.validation().top1(), 1e-9);
  }

  @Test
  void aKeepMarginOverrideStartsEveryDecisionThatFarAboveSkip() throws Exception {
    assertEquals(List.of(9f), keepMargins(trainer(1, null)), "from scratch, the backbone first learns with every frame");
    assertEquals(List.of(2f), keepMargins(trainer(1, null).navigationKeepMargin(2f)), "the trainer's override");
  }

  @Test
  void fromScratchTheDecisionsRestartMovableWhenTheCurriculumBegins() throws Exception {
    // 5 epochs from scratch: the curriculum begins at round(0.4 · 5) = epoch 2 (0-based).
    java.util.Map<Integer, List<Float>> atEpochStart = new java.util.TreeMap<>();
    java.util.concurrent.atomic.AtomicReference<Trainer> trainer = new java.util.concurrent.atomic.AtomicReference<>();
    TrainerBuilder b = trainer(5, null).listener(new TrainingListener() {
      @Override
      public void onEpochStart(Progress p) {
        atEpochStart.put(p.epoch(), margins(trainer.get()));
      }
    });
    try (Trainer t = b.build()) {
      trainer.set(t);
      t.fitUntil(3);
    }
    assertEquals(List.of(9f), atEpochStart.get(0), "every frame kept while the backbone learns");
    assertEquals(List.of(TrainingRecipe.FROM_SCRATCH_KEEP_MARGIN), atEpochStart.get(2), "movable once the curriculum begins");
  }

  @Test
  void fromScratchTheOfficialRatioWeightGivesWayUnlessOverridden() throws Exception {
    // Every frame kept (margin 10³), lr 0 and curriculum 0 (rt = RT = 0.5): the ratio term is exactly λ·(1 − RT)².
    assertEquals(TrainingRecipe.FROM_SCRATCH_RATIO_LOSS_WEIGHT, ratioWeight(trainer(1, null).navigationKeepMargin(1e3f)), 1e-4);
    assertEquals(0.7, ratioWeight(trainer(1, null).navigationKeepMargin(1e3f).ratioLossWeight(0.7)), 1e-4);
    assertEquals(0.0, ratioWeight(trainer(1, null).navigationKeepMargin(1e3f).ratioLossWeight(0)), 1e-6);
  }

  /** λ as the loss minus the clip cross-entropy of one step, over (1 − RT)², RT = 0.5 for the tiny AFNet. */
  private static double ratioWeight(TrainerBuilder builder) throws Exception {
    try (Trainer t = builder.build();
        var loader = io.saccade.runtime.data.ClipLoader.builder(data(Split.TRAIN, 48)).batchSize(8).build()) {
      Trainer.Step st = t.step(loader.epoch(0).next(), 0f, 1f, 0f, 0);
      assertEquals(1.0, st.selectionRatio(), 1e-6, "every frame kept");
      assertTrue(Double.isFinite(st.gradientNorm()) && st.gradientNorm() > 0, "the step reports its gradient norm");
      return (st.loss() - st.classificationLoss()) / (0.5 * 0.5);
    }
  }

  /** The distinct keep-minus-skip differences of every frame decision bias, in a freshly built trainer. */
  private static List<Float> keepMargins(TrainerBuilder builder) throws Exception {
    try (Trainer t = builder.build()) {
      return margins(t);
    }
  }

  private static List<Float> margins(Trainer t) {
    java.util.Set<Float> margins = new java.util.TreeSet<>();
    int modules = 0;
    for (io.saccade.runtime.nn.Parameter p : t.store().all()) {
      if (p.name().endsWith("conv_gs/bias")) {
        modules++;
        try (org.tensorflow.Result r = t.session().runner().fetch(p.variable()).run()) {
          float[] b = io.saccade.runtime.nn.Tensors.floats((org.tensorflow.types.TFloat32) r.get(0));
          for (int f = 0; f < b.length; f += 2) {
            margins.add(b[f + 1] - b[f]);
          }
        }
      }
    }
    assertTrue(modules > 0, "the tiny AFNet has navigation modules");
    return List.copyOf(margins);
  }

  @Test
  void stepsOnAFixedBatchLowerItsLoss() throws Exception {
    try (Trainer t = trainer(1, null).build();
        var loader = io.saccade.runtime.data.ClipLoader.builder(data(Split.TRAIN, 48)).batchSize(8).build()) {
      var batch = loader.epoch(0).next();
      double first = t.step(batch, 0.05f, 1f, 1f, 0).loss();
      double last = first;
      for (int i = 1; i < 15; i++) {
        last = t.step(batch, 0.05f, 1f, 1f, i).loss();
      }
      assertTrue(last < 0.5 * first, "loss on one batch " + first + " → " + last);
      assertEquals(15, t.step());
    }
  }

  @Test
  void fitEvaluatesAndWritesValidTensorBoardEvents(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    Trainer.Summary s;
    try (Trainer t = trainer(2, run).build()) {
      s = t.fit();
      ClassificationMetrics m = t.evaluate(data(Split.VALIDATION, 20));
      assertEquals(20, m.count(), "every validation clip is scored once, padding excluded");
      assertTrue(m.gflopsPerClip() > 0);
      assertEquals(1, m.selectionRatios().size());
      ClassificationMetrics twoClips = t.evaluate(data(Split.VALIDATION, 20), 2, 1);
      assertEquals(20, twoClips.count(), "two views of a video make one prediction");
      assertEquals(2 * m.gflopsPerClip(), twoClips.gflopsPerClip(), 0.5 * m.gflopsPerClip(), "two views cost about twice one");
    }
    assertTrue(Double.isFinite(s.lastLoss()));
    List<Path> events;
    try (Stream<Path> files = Files.list(run.resolve("tensorboard/train"))) {
      events = files.toList();
    }
    assertEquals(1, events.size());
    List<byte[]> records = TfRecordReader.readAll(events.get(0));
    long losses = records.stream().skip(1).map(TrainerTest::parse)
        .filter(e -> e.getSummary().getValueCount() > 0 && e.getSummary().getValue(0).getTag().equals("step/loss"))
        .count();
    assertEquals(s.steps(), losses, "one train/loss scalar per step");
    assertTrue(Files.isDirectory(run.resolve("checkpoints")));
  }

  private static Event parse(byte[] b) {
    try {
      return Event.parseFrom(b);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
