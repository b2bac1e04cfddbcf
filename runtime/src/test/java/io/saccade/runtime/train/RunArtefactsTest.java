package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.BadSampleException;
import io.saccade.runtime.data.Clip;
import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.data.Sampling;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.export.Preprocessing;
import io.saccade.runtime.io.ArtefactException;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.metrics.TfRecordReader;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.NavigationTraining;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.Tensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.proto.Event;
import org.tensorflow.types.TFloat32;

/** What a run leaves on disk — checkpoints, run.json, TensorBoard files — and what happens when they are wrong. */
class RunArtefactsTest {

  @TempDir Path dir;

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

  private static TrainerBuilder trainer(VideoModel model, int epochs, Path run) {
    return Trainer.builder(model)
        .trainData(data(Split.TRAIN, 48))
        .validationData(data(Split.VALIDATION, 20))
        .epochs(epochs)
        .batchSize(8)
        .threads(1)
        .learningRate(0.05)
        .seed(11)
        .runDirectory(run);
  }

  /** An evaluation-only trainer with another optimizer than the run's (SGD with momentum). */
  private static Trainer evaluator(VideoModel model, Path run) {
    return Trainer.builder(model).batchSize(8).threads(1).runDirectory(run).optimizer(TrainerBuilder.fineTuningOptimizer()).build();
  }

  @Test
  void aRunTrainedWithAdamEvaluatesInAGraphBuiltWithSgd() throws Exception {
    Path run = dir.resolve("adam");
    ClassificationMetrics trained;
    try (Trainer t = trainer(new TinyAfModel(4), 1, run).optimizer(Adam.builder().build()).build()) {
      t.fit();
      trained = t.evaluate(data(Split.VALIDATION, 20));
    }
    RunInfo info = RunInfo.read(run).orElseThrow();
    assertEquals("TinyAf", info.network());
    assertEquals(TinyAfModel.class.getName(), info.networkClass());
    assertEquals("Adam", info.optimizerKind());
    assertEquals(data(Split.TRAIN, 1).classNames(), info.classNames());
    assertEquals(Preprocessing.EMBEDDED, info.preprocessing().source());
    assertEquals(List.of(0.485, 0.456, 0.406), info.preprocessing().mean());
    try (Trainer eval = evaluator(new TinyAfModel(4), run)) {
      Checkpoint c = eval.restoreModel().orElseThrow();
      assertEquals(6, c.step());
      assertEquals(info, c.runInfo(), "the checkpoint carries the run's settings");
      ClassificationMetrics m = eval.evaluate(data(Split.VALIDATION, 20));
      assertEquals(trained.top1(), m.top1(), 0.0);
      assertEquals(trained.gflopsPerClip(), m.gflopsPerClip(), 1e-9);
      // Resuming needs the optimizer's state, so another optimizer is a clear error, not a missing key.
      UncheckedIOException e = assertThrows(UncheckedIOException.class, eval::resume);
      assertInstanceOf(ArtefactException.class, e.getCause());
      assertTrue(e.getMessage().contains("Adam{") && e.getMessage().contains("--optimizer adam"), e.getMessage());
    }
  }

  @Test
  void resumingAfterACrashLeavesOneCurveInTensorBoard() throws Exception {
    Map<Long, Float> whole;
    try (Trainer t = trainer(new TinyAfModel(4), 3, dir.resolve("whole")).build()) {
      t.fit();
    }
    whole = losses(dir.resolve("whole"));
    Path split = dir.resolve("split");
    TrainingListener crash =
        new TrainingListener() {
          @Override
          public void onStep(Progress progress, Trainer.Step step) {
            if (step.step() == 15) {
              throw new IllegalStateException("killed at step 15");
            }
          }
        };
    try (Trainer t = trainer(new TinyAfModel(4), 3, split).listener(crash).build()) {
      assertThrows(IllegalStateException.class, t::fit); // steps 13–15 are logged, the last checkpoint is 12
    }
    try (Trainer t = trainer(new TinyAfModel(4), 3, split).build()) {
      assertEquals(12L, t.resume().orElseThrow());
      t.fit();
    }
    Map<Long, Float> resumed = losses(split); // throws on a step logged twice
    assertEquals(18, whole.size());
    assertEquals(whole.keySet(), resumed.keySet(), "each step 1..18 once");
    for (long s = 1; s <= 18; s++) {
      assertEquals(whole.get(s), resumed.get(s), 1e-5f * Math.max(1f, Math.abs(whole.get(s))), "train/loss at step " + s);
    }
  }

  /** train/loss by step over every event file of the run; fails if a step appears twice. */
  private static Map<Long, Float> losses(Path run) throws IOException {
    Map<Long, Float> out = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(run.resolve("tensorboard/train"))) {
      files = list.sorted().toList();
    }
    for (Path f : files) {
      for (byte[] record : TfRecordReader.readAll(f)) {
        Event e = Event.parseFrom(record);
        if (e.hasSummary() && e.getSummary().getValue(0).getTag().equals("step/loss")) {
          Float before = out.put(e.getStep(), e.getSummary().getValue(0).getSimpleValue());
          assertEquals(null, before, "step " + e.getStep() + " logged twice in " + files);
        }
      }
    }
    return out;
  }

  @Test
  void aCheckpointOfAnotherNetworkNamesItOrTheVariableAndBothShapes() throws Exception {
    Path run = dir.resolve("run");
    try (Trainer t = trainer(new TinyAfModel(4), 1, run).build()) {
      t.fit();
    }
    try (Trainer other = evaluator(new Renamed(new TinyAfModel(4), "OtherNet"), run)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, other::restoreModel);
      assertInstanceOf(ArtefactException.class, e.getCause());
      assertTrue(e.getMessage().contains("trained with network TinyAf") && e.getMessage().contains("not OtherNet"), e.getMessage());
    }
    // Same name, five classes instead of four: the head's shapes differ.
    try (Trainer wider = evaluator(new TinyAfModel(5), run)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, wider::restoreModel);
      String m = e.getMessage();
      assertTrue(m.contains("step-00000006") && m.contains("does not fit this graph"), m);
      assertTrue(m.contains("params/head/") && m.contains(", 4] in it but") && m.contains(", 5] here"), m);
    }
    // Without the checks' records (a checkpoint of an earlier version) TensorFlow's reason is still wrapped.
    Path meta = run.resolve("checkpoints/step-00000006/checkpoint.json");
    String json = Files.readString(meta);
    Files.writeString(meta, json.substring(0, json.indexOf(",\n  \"run\"")) + "\n}\n");
    try (Trainer wider = evaluator(new TinyAfModel(5), run)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, wider::restoreModel);
      assertInstanceOf(ArtefactException.class, e.getCause());
      assertTrue(e.getMessage().contains("does not fit this graph") && e.getMessage().contains("params/head/"), e.getMessage());
    }
  }

  @Test
  void aTruncatedOrAlteredCheckpointNamesTheFile() throws Exception {
    Path run = dir.resolve("run");
    try (Trainer t = trainer(new TinyAfModel(4), 1, run).build()) {
      t.fit();
    }
    Path data = run.resolve("checkpoints/step-00000006/variables.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, Arrays.copyOf(bytes, bytes.length / 2));
    try (Trainer t = trainer(new TinyAfModel(4), 1, run).build()) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, t::resume);
      assertInstanceOf(ArtefactException.class, e.getCause());
      assertTrue(e.getMessage().contains("variables.data-00000-of-00001 has " + bytes.length / 2 + " bytes but " + bytes.length)
          && e.getMessage().contains("truncated"), e.getMessage());
    }
    byte[] altered = bytes.clone();
    altered[altered.length / 3] ^= 0x10;
    Files.write(data, altered);
    try (Trainer t = evaluator(new TinyAfModel(4), run)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, t::restoreModel);
      assertTrue(e.getMessage().contains("variables.data-00000-of-00001 has the recorded length but other contents"), e.getMessage());
    }
  }

  @Test
  void aNanLossStopsTheRunNamingTheStepAndTheLastGoodCheckpoint() throws Exception {
    Path run = dir.resolve("run");
    Poisoned poisoned = new Poisoned(data(Split.TRAIN, 48), 60); // loads 61 on: in the second epoch
    TrainingDivergedException e;
    try (Trainer t = trainer(new TinyAfModel(4), 3, run).trainData(poisoned).checkpointEvery(4).build()) {
      e = assertThrows(TrainingDivergedException.class, t::fit);
    }
    assertTrue(e.step() > 6 && e.step() <= 12, "diverged in the second epoch, at step " + e.step());
    assertTrue(Double.isNaN(e.loss()));
    Checkpoints checkpoints = new Checkpoints(run.resolve("checkpoints"), 3);
    List<Checkpoint> saved = checkpoints.list();
    Checkpoint last = saved.get(saved.size() - 1);
    assertTrue(last.step() < e.step(), "nothing saved at or after the poisoned step: " + saved);
    assertEquals(last.directory(), e.lastGoodCheckpoint().orElseThrow());
    assertTrue(e.getMessage().contains("at step " + e.step()) && e.getMessage().contains(last.directory().toString()), e.getMessage());
    for (Checkpoint c : saved) {
      try (Trainer t = evaluator(new TinyAfModel(4), run)) {
        checkpoints.restoreModel(t.session(), c);
        assertTrue(allFinite(t), "finite weights in " + c.directory());
      }
    }
  }

  @Test
  void nonFiniteWeightsAreNeverWrittenOverAGoodCheckpoint() throws Exception {
    Path run = dir.resolve("run");
    try (Trainer t = trainer(new TinyAfModel(4), 1, run).build()) {
      t.fit();
      List<Clip> clips = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        clips.add(Poisoned.nan(data(Split.TRAIN, 8).load(i, Sampling.eval())));
      }
      t.step(ClipBatch.of(clips), 0.05f, 1f, 1f, 99); // the session now holds NaN weights
      assertFalse(allFinite(t));
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.saveCheckpoint(Map.of()));
      assertTrue(e.getMessage().contains("step-00000006"), e.getMessage());
    }
    assertEquals(List.of(6L), new Checkpoints(run.resolve("checkpoints"), 3).list().stream().map(Checkpoint::step).toList());
  }

  private static boolean allFinite(Trainer t) {
    for (Parameter p : t.store().all()) {
      try (Result r = t.session().runner().fetch(p.variable()).run()) {
        for (float v : Tensors.floats((TFloat32) r.get(0))) {
          if (!Float.isFinite(v)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** A dataset whose clips turn to NaN pixels after a number of loads (a corrupt batch mid-training). */
  private static final class Poisoned extends io.saccade.runtime.data.ForwardingDataset {
    private final int cleanLoads;
    private final AtomicInteger loads = new AtomicInteger();

    Poisoned(VideoDataset base, int cleanLoads) {
      super(base);
      this.cleanLoads = cleanLoads;
    }

    static Clip nan(Clip c) {
      float[] x = c.data().clone();
      Arrays.fill(x, Float.NaN);
      return new Clip(x, c.frames(), c.height(), c.width(), c.label(), c.id());
    }

    @Override
    public Clip load(int index, Sampling sampling) throws BadSampleException {
      Clip c = base.load(index, sampling);
      return loads.incrementAndGet() > cleanLoads ? nan(c) : c;
    }
  }

  /** Another network with the same layers under another name. */
  private record Renamed(VideoModel base, String name) implements VideoModel {
    @Override
    public int frames() {
      return base.frames();
    }

    @Override
    public int classes() {
      return base.classes();
    }

    @Override
    public int inputSize() {
      return base.inputSize();
    }

    @Override
    public ModelSummary summary() {
      return base.summary();
    }

    @Override
    public NavigationTraining navigationTraining() {
      return base.navigationTraining();
    }

    @Override
    public ModelOutputs build(BuildContext ctx, Operand<TFloat32> clips, Operand<TFloat32> temperature) {
      return base.build(ctx, clips, temperature);
    }
  }
}
