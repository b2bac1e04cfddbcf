package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.Clip;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.metrics.TfRecordReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/** The trainer's listeners: their order and events, TensorBoard's two runs, early stopping, removing defaults, the per-video records. */
class TrainingListenersTest {

  private static VideoDataset data(Split split, int clips) {
    return SyntheticMotionDataset.builder().frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE).classes(4).keyFrames(2)
        .clips(clips).seed(3).split(split).build();
  }

  private static TrainerBuilder trainer(int epochs, Path run) {
    return Trainer.builder(new TinyAfModel(4)).trainData(data(Split.TRAIN, 16)).validationData(data(Split.VALIDATION, 12))
        .epochs(epochs).batchSize(8).threads(1).learningRate(0.05).seed(5).runDirectory(run);
  }

  @Test
  void listenersHearEveryEventInOrderTheUsersFirst(@TempDir Path dir) {
    List<String> events = new ArrayList<>();
    TrainingListener mine = new TrainingListener() {
      @Override public void onTrainingStart(Trainer t) {
        events.add("start " + t.listeners().indexOf(this));
      }
      @Override public void onEpochStart(Progress p) {
        events.add("epoch " + p.epoch());
      }
      @Override public void onStep(Progress p, Trainer.Step s) {
        events.add("step " + s.step() + " " + p.step());
      }
      @Override public void onEpochEnd(Progress p) {
        events.add("end " + p.epoch());
      }
      @Override public void onEpochResult(Progress p, EpochResult r) {
        events.add("result " + r.steps() + " " + (r.validation() != null));
      }
      @Override public void onTrainingEnd(Trainer t, Trainer.Summary s) {
        events.add("done " + s.steps());
      }
    };
    try (Trainer t = trainer(2, dir.resolve("run")).listener(mine).build()) {
      assertEquals(List.of(mine.getClass(), LoggingListener.class, ExitCurveListener.class, TensorBoardListener.class,
              CheckpointListener.class), t.listeners().stream().map(Object::getClass).toList());
      t.fit();
    }
    assertEquals(List.of("start 0", "epoch 0", "step 1 1", "step 2 2", "end 0", "result 2 true",
        "epoch 1", "step 3 3", "step 4 4", "end 1", "result 2 true", "done 4"), events);
  }

  @Test
  void defaultListenersCanBeRemoved(@TempDir Path dir) {
    Path run = dir.resolve("run");
    try (Trainer t = trainer(1, run).withoutListener(TensorBoardListener.class).withoutListener(CheckpointListener.class).build()) {
      assertEquals(List.of(LoggingListener.class, ExitCurveListener.class),
          t.listeners().stream().map(Object::getClass).toList());
      t.fit();
    }
    assertFalse(Files.exists(run.resolve("tensorboard")), "no TensorBoard listener, no events");
    assertFalse(Files.exists(run.resolve("checkpoints")), "no checkpoint listener, no checkpoints");
  }

  @Test
  void trainingAndValidationRunsShareTheirTagsAndShowTheKeptFrames(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    try (Trainer t = trainer(2, run).build()) {
      t.fit();
    }
    Map<String, List<Summary.Value>> train = values(run.resolve("tensorboard/train"));
    Map<String, List<Summary.Value>> validation = values(run.resolve("tensorboard/validation"));
    for (String tag : List.of("epoch/top1", "epoch/cross_entropy", "epoch/kept")) {
      assertEquals(2, train.get(tag).size(), "train " + tag + " once per epoch");
      assertEquals(2, validation.get(tag).size(), "validation " + tag + " once per epoch, overlaying train's");
    }
    assertEquals(4, train.get("step/loss").size());
    assertTrue(validation.containsKey("kept/stage1/nav0"), validation.keySet().toString());
    Summary.Image strip = validation.get("kept_frames").get(0).getImage();
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(strip.getEncodedImageString().toByteArray()));
    // Four 16-pixel frames with 2-pixel gaps across, one row per navigation layer (TinyAfModel has one).
    assertEquals(4 * 16 + 3 * 2, png.getWidth());
    assertEquals(16, png.getHeight());
    assertEquals(png.getWidth(), strip.getWidth());
  }

  @Test
  void theFilmStripDimsTheFramesALayerSkipped() {
    // Two 2×2 frames; every value 0 except one pixel of 1, so the stretch maps 1 → 255 and 0 → 0.
    float[] pixels = new float[2 * 2 * 2 * 3];
    for (int c = 0; c < 3; c++) {
      pixels[c] = 1f; // frame 0, pixel (0, 0)
      pixels[12 + c] = 1f; // frame 1, pixel (0, 0)
    }
    Clip clip = new Clip(pixels, 2, 2, 2, 0, "v");
    Map<String, float[]> kept = new LinkedHashMap<>();
    kept.put("stage1/nav0", new float[] {1f, 0f});
    kept.put("stage2/nav0", new float[] {0f, 1f});
    BufferedImage img = TensorBoardListener.keptFrames(clip, kept);
    assertEquals(2 * 2 + 2, img.getWidth());
    assertEquals(2 * 2 + 2, img.getHeight());
    int quarter = Math.round(0.25f * 255);
    assertEquals(0xffffff, img.getRGB(0, 0) & 0xffffff, "layer 1 kept frame 0: full brightness");
    assertEquals(quarter * 0x010101, img.getRGB(4, 0) & 0xffffff, "layer 1 skipped frame 1: a quarter");
    assertEquals(quarter * 0x010101, img.getRGB(0, 4) & 0xffffff, "layer 2 skipped frame 0");
    assertEquals(0xffffff, img.getRGB(4, 4) & 0xffffff, "layer 2 kept frame 1");
    assertEquals(0, img.getRGB(1, 1) & 0xffffff);
  }

  @Test
  void earlyStoppingEndsARunThatStoppedImprovingAndSaysWhy(@TempDir Path dir) {
    Path run = dir.resolve("run");
    Trainer.Summary s;
    // A learning rate of 1e-12 changes nothing: validation top-1 is the same after every epoch.
    try (Trainer t = trainer(10, run).learningRate(1e-12).listener(EarlyStopping.onTop1(2)).build()) {
      s = t.fit();
    }
    assertEquals(3 * 2, s.steps(), "best after epoch 1, no better after epochs 2 and 3: stopped there");
    assertTrue(s.stopReason().startsWith("the validation top-1 has not improved for 2 epochs (best "), s.stopReason());
    assertTrue(s.stopReason().endsWith("after epoch 1)"), s.stopReason());
    assertTrue(Files.isDirectory(run.resolve("checkpoints/step-00000006")), "the last epoch is still checkpointed");
  }

  @Test
  void aRunThatEndsNormallyHasNoStopReason(@TempDir Path dir) {
    try (Trainer t = trainer(1, null).build()) {
      assertNull(t.fit().stopReason());
    }
  }

  @Test
  void theEvaluatorReturnsOneTypedRecordPerVideoThatAddUpToTheMetrics(@TempDir Path dir) {
    VideoDataset val = data(Split.VALIDATION, 12);
    try (Trainer t = trainer(1, null).build()) {
      t.fit();
      Evaluation e = t.evaluator().evaluate(val, 1, 1, false);
      assertEquals(12, e.videos().size());
      Set<Integer> indices = new TreeSet<>();
      double correct = 0;
      double gflops = 0;
      double kept = 0;
      for (VideoResult v : e.videos()) {
        indices.add(v.index());
        assertEquals(val.label(v.index()), v.label());
        assertEquals(1, v.views());
        assertNull(v.stepLogits(), "no conditional exit");
        correct += v.predicted() == v.label() ? 1 : 0;
        gflops += v.gflops();
        float[] frames = v.keptFrames().get("stage1/nav0");
        assertEquals(TinyAfModel.FRAMES, frames.length);
        for (float f : frames) {
          assertTrue(f == 0f || f == 1f, "inference decisions are whole frames: " + f);
        }
        kept += v.kept("stage1/nav0");
        // log-sum-exp of the logits minus the label's logit, by hand
        double sum = 0;
        for (float l : v.logits()) {
          sum += Math.exp(l);
        }
        assertEquals(Math.log(sum) - v.logits()[v.label()], v.crossEntropy(), 1e-5);
      }
      assertEquals(12, indices.size(), "every video once");
      assertEquals(correct / 12, e.metrics().top1(), 1e-9);
      assertEquals(gflops / 12, e.metrics().gflopsPerClip(), 1e-6);
      assertEquals(kept / 12, e.metrics().selectionRatios().get("stage1/nav0"), 1e-6);
    }
  }

  private static Map<String, List<Summary.Value>> values(Path dir) throws Exception {
    Map<String, List<Summary.Value>> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        for (byte[] record : TfRecordReader.readAll(f)) {
          Event e = Event.parseFrom(record);
          for (Summary.Value v : e.getSummary().getValueList()) {
            out.computeIfAbsent(v.getTag(), k -> new ArrayList<>()).add(v);
          }
        }
      }
    }
    return out;
  }
}
