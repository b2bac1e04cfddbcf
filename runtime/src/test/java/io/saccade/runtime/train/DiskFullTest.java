package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.export.Preprocessing;
import io.saccade.runtime.export.SavedModelExporter;
import io.saccade.runtime.export.VideoClassifier;
import io.saccade.runtime.io.FileWrites;
import io.saccade.runtime.metrics.TfRecordReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;

/**
 * A full disk (an injected "No space left on device", {@link FileWrites}) while a checkpoint, an export and the
 * TensorBoard events are written: the checkpoint and the export fail naming the file, leave nothing half-written
 * and keep what was there loadable; training stops at a failed checkpoint and goes on without TensorBoard.
 */
class DiskFullTest {

  @TempDir Path dir;

  private static VideoDataset data() {
    return SyntheticMotionDataset.builder()
        .frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE).classes(4).keyFrames(2).clips(16).seed(3).split(Split.TRAIN).build();
  }

  private static TrainerBuilder trainer(Path run) {
    return Trainer.builder(new TinyAfModel(4))
        .trainData(data()).epochs(2).batchSize(4).threads(1).learningRate(0.01).seed(5).checkpointEvery(2).runDirectory(run);
  }

  @Test
  void aCheckpointThatCannotBeWrittenStopsTrainingNamingTheFileAndKeepsThePreviousOne() throws Exception {
    Path run = dir.resolve("run");
    UncheckedIOException e;
    try (FileWrites.Injected full = FileWrites.inject(FileWrites.diskFullFor(f -> f.toString().contains("step-00000006")));
        Trainer t = trainer(run).build()) {
      e = assertThrows(UncheckedIOException.class, t::fit);
    }
    String m = e.getMessage();
    assertTrue(m.contains("cannot write the checkpoint of step 6 to " + run.resolve("checkpoints/step-00000006"))
        && m.contains("variables.data-00000-of-00001") && m.contains("No space left on device"), m);
    assertTrue(m.contains("the latest complete checkpoint, " + run.resolve("checkpoints/step-00000004") + ", is untouched"), m);
    assertTrue(!contains(run, ".tmp-") && !contains(run, ".trash-"), "nothing half-written is left");
    // The previous checkpoint restores, and the run goes on from it once there is room.
    try (Trainer t = trainer(run).build()) {
      assertEquals(4L, t.resume().orElseThrow());
      assertEquals(8, t.fit().steps());
    }
  }

  @Test
  void aCheckpointWhoseMetadataCannotBeWrittenIsNotKept() throws Exception {
    Path run = dir.resolve("run");
    try (Trainer t = trainer(run).build()) {
      t.fitUntil(1); // checkpoints 2 and 4
      try (FileWrites.Injected full = FileWrites.inject(FileWrites.diskFullFor(f -> f.getFileName().toString().equals(Checkpoint.METADATA)))) {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> t.saveCheckpoint(java.util.Map.of()));
        assertTrue(e.getMessage().contains("checkpoint.json") && e.getMessage().contains("No space left on device"), e.getMessage());
      }
    }
    assertEquals(List.of(2L, 4L), new Checkpoints(run.resolve("checkpoints"), 3).list().stream().map(Checkpoint::step).toList());
    assertTrue(!contains(run, ".tmp-"), "nothing half-written is left");
  }

  @Test
  void anExportThatCannotBeWrittenNamesTheFileAndLeavesTheEarlierVersionServable() throws Exception {
    Path out = dir.resolve("served");
    try (Trainer t = trainer(dir.resolve("run")).build()) {
      t.fitUntil(1);
      Preprocessing p = Preprocessing.of(data());
      assertEquals(out.resolve("1"), SavedModelExporter.export(t.model(), t.session(), out, data().classNames(), p, 0));
      for (String file : List.of("ckpt.data-00000-of-00001", "variables.data-00000-of-00001", "labels.txt", "saccade.json")) {
        IOException e;
        try (FileWrites.Injected full = FileWrites.inject(FileWrites.diskFullFor(f -> f.getFileName().toString().equals(file)))) {
          e = assertThrows(IOException.class, () -> SavedModelExporter.export(t.model(), t.session(), out, data().classNames(), p, 0));
        }
        assertTrue(e.getMessage().startsWith("cannot write the export " + out.resolve("2") + ": ")
            && e.getMessage().contains(file) && e.getMessage().contains("No space left on device")
            && e.getMessage().contains("versions before 2 are untouched"), e.getMessage());
        try (Stream<Path> left = Files.list(out)) {
          assertEquals(List.of("1"), left.map(f -> f.getFileName().toString()).toList(), "no version 2, no temporary folder");
        }
      }
    }
    try (VideoClassifier c = VideoClassifier.open(out)) {
      assertEquals(out.resolve("1"), c.directory());
      assertNotNull(c.classify(new float[TinyAfModel.FRAMES * TinyAfModel.SIZE * TinyAfModel.SIZE * 3], 1));
    }
  }

  @Test
  void tensorBoardEventsThatCannotBeWrittenAreDroppedAndTrainingGoesOn() throws Exception {
    Path run = dir.resolve("run");
    AtomicBoolean full = new AtomicBoolean();
    TrainingListener fillDisk =
        new TrainingListener() {
          @Override
          public void onStep(Progress progress, Trainer.Step step) {
            full.set(step.step() >= 3);
          }
        };
    Trainer.Summary s;
    try (FileWrites.Injected injected =
            FileWrites.inject(FileWrites.diskFullFor(f -> full.get() && f.getFileName().toString().startsWith("events.out.tfevents.")));
        Trainer t = trainer(run).listener(fillDisk).build()) {
      s = t.fit();
    }
    assertEquals(8, s.steps(), "training went on to the end");
    assertEquals(List.of(4L, 6L, 8L),
        new Checkpoints(run.resolve("checkpoints"), 3).list().stream().map(Checkpoint::step).toList());
    TreeSet<Long> logged = new TreeSet<>();
    try (Stream<Path> files = Files.list(run.resolve("tensorboard/train"))) {
      for (Path f : files.toList()) {
        for (byte[] record : TfRecordReader.readAll(f)) {
          Event e = Event.parseFrom(record);
          if (e.hasSummary()) {
            logged.add(e.getStep());
          }
        }
      }
    }
    assertTrue(logged.isEmpty() || logged.last() <= 3, "events after the failure are dropped, the file stays readable: " + logged);
  }

  private static boolean contains(Path run, String prefix) {
    try (Stream<Path> files = Files.walk(run)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith(prefix));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
