package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.metrics.TfRecordReader;
import io.saccade.runtime.model.NavigationTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;

/**
 * {@code @Anneal(epochs = …)} is what training anneals over: the declared length, unless the trainer is
 * told to override it, with a warning when the run ends first.
 */
class AnnealLengthTest {

  /** TinyAfModel declares {@code @Anneal(from = 1, to = 0.01, epochs = 2)}; 48 clips in batches of 8: 6 steps per epoch. */
  private static TreeMap<Long, Float> temperatures(Path run, int epochs, int override) throws Exception {
    TrainerBuilder b = Trainer.builder(new TinyAfModel(4))
        .trainData(SyntheticMotionDataset.builder().frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE).classes(4).keyFrames(2)
            .clips(48).seed(3).split(Split.TRAIN).build())
        .epochs(epochs)
        .batchSize(8)
        .threads(1)
        .seed(11)
        .runDirectory(run);
    if (override > 0) {
      b.temperatureAnnealEpochs(override);
    }
    try (Trainer t = b.build()) {
      t.fit();
    }
    Path events;
    try (Stream<Path> files = Files.list(run.resolve("tensorboard/train"))) {
      events = files.findFirst().orElseThrow();
    }
    TreeMap<Long, Float> tau = new TreeMap<>();
    for (byte[] r : TfRecordReader.readAll(events)) {
      Event e = Event.parseFrom(r);
      if (e.getSummary().getValueCount() > 0 && e.getSummary().getValue(0).getTag().equals("step/temperature")) {
        tau.put(e.getStep(), e.getSummary().getValue(0).getSimpleValue());
      }
    }
    return tau;
  }

  @Test
  void aDeclaredAnnealOfTwoEpochsReachesItsFinalTemperatureAtEpochTwo(@TempDir Path dir) throws Exception {
    TreeMap<Long, Float> tau = temperatures(dir.resolve("declared"), 3, 0);
    assertEquals(18, tau.size(), "one temperature per step of 3 epochs × 6 steps");
    // train/temperature at step s is the τ the s-th step ran with (step s − 1 counted from 0)
    assertEquals(1f, tau.get(1L), 1e-6f, "starts at from = 1");
    for (long s = 2; s <= 12; s++) {
      assertTrue(tau.get(s) < tau.get(s - 1) && tau.get(s) > 0.01f, "falls through epochs 1 and 2, step " + s + ": " + tau.get(s));
    }
    for (long s = 13; s <= 18; s++) {
      assertEquals(0.01f, tau.get(s), 1e-7f, "after 2 epochs τ is the declared to = 0.01, step " + s);
    }
  }

  @Test
  void theTrainersAnnealLengthOverridesTheDeclaredOne(@TempDir Path dir) throws Exception {
    TreeMap<Long, Float> tau = temperatures(dir.resolve("override"), 3, 3);
    assertTrue(tau.get(13L) > 0.01f && tau.get(18L) > 0.01f, "annealed over 3 epochs, τ is still above 0.01 in epoch 3: " + tau);
    assertEquals(Math.pow(0.01, 17 / 18.0), tau.get(18L), 1e-6);
  }

  @Test
  void aRunEndingBeforeTheAnnealIsWarnedAbout() {
    NavigationTraining declared = new NavigationTraining(0.5, 1.0, 0.01, 50);
    assertEquals(50, AnnealLength.epochs(declared, 0));
    assertEquals(11, AnnealLength.epochs(declared, 11));
    Optional<String> warning = AnnealLength.shortRunWarning(declared, 50, 12, false);
    assertTrue(warning.orElseThrow().contains("ends after 12 epochs, before the declared temperature anneal of 50 epochs"), warning.get());
    assertTrue(AnnealLength.shortRunWarning(declared, 11, 12, true).isEmpty());
    assertTrue(AnnealLength.shortRunWarning(declared, 50, 60, false).isEmpty());
    assertTrue(AnnealLength.shortRunWarning(NavigationTraining.NONE, 1, 0, false).isEmpty(), "no schedule, nothing to warn about");
  }
}
