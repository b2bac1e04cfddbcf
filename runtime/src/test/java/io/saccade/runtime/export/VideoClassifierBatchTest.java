package io.saccade.runtime.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.BadSampleException;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.train.TinyAfModel;
import io.saccade.runtime.train.Trainer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link VideoClassifier#classifyAll}: one session run for many inputs, unreadable ones answered with their error. */
class VideoClassifierBatchTest {

  @TempDir Path dir;

  @Test
  void aBatchGivesWhatEachInputGivesAloneAndUnreadableInputsTheirError() throws Exception {
    SyntheticMotionDataset data = SyntheticMotionDataset.builder().frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE)
        .classes(4).keyFrames(2).clips(6).seed(11).split(Split.VALIDATION).build();
    Path model = dir.resolve("model");
    try (Trainer trainer = Trainer.builder(new TinyAfModel(4)).trainData(data).epochs(1).batchSize(6).threads(1).seed(2).build()) {
      trainer.fit();
      SavedModelExporter.export(trainer.model(), trainer.session(), model, data.classNames(), Preprocessing.of(data), 0);
    }
    data.writeVideos(dir.resolve("videos"));
    data.writeFrameFolders(dir.resolve("folders"));
    Path corrupt = Files.write(dir.resolve("corrupt.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 1, 2, 3});
    Path missing = dir.resolve("missing.mp4");

    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      inputs.add(dir.resolve(String.format("videos/validation_%06d.mp4", i)));
      inputs.add(dir.resolve(String.format("folders/validation_%06d", i)));
    }
    inputs.add(3, corrupt);
    inputs.add(missing);

    try (VideoClassifier c = VideoClassifier.open(model)) {
      List<VideoClassifier.Outcome> all = c.classifyAll(inputs, 3);
      assertEquals(inputs.size(), all.size());
      for (int i = 0; i < inputs.size(); i++) {
        VideoClassifier.Outcome o = all.get(i);
        assertEquals(inputs.get(i), o.input());
        if (inputs.get(i).equals(corrupt) || inputs.get(i).equals(missing)) {
          assertFalse(o.ok());
          assertNull(o.prediction());
          assertTrue(o.error().getMessage().contains(inputs.get(i).getFileName().toString()), o.error().getMessage());
          continue;
        }
        assertNull(o.error(), () -> String.valueOf(o.error()));
        VideoClassifier.Prediction alone = c.classify(inputs.get(i), 3);
        VideoClassifier.Prediction batched = o.prediction();
        assertEquals(alone.top().stream().map(VideoClassifier.Scored::label).toList(),
            batched.top().stream().map(VideoClassifier.Scored::label).toList(), inputs.get(i).toString());
        for (int k = 0; k < 3; k++) {
          assertEquals(alone.top().get(k).probability(), batched.top().get(k).probability(), 1e-5f);
        }
        assertEquals(alone.gflops(), batched.gflops(), 1e-6f);
        assertArrayEquals(alone.frameNumbers(), batched.frameNumbers());
        assertEquals(alone.keptFrames().length, batched.keptFrames().length);
        assertTrue(batched.keptFrames().length > 0, "TinyAf has navigation layers");
        for (int l = 0; l < alone.keptFrames().length; l++) {
          assertArrayEquals(alone.keptFrames()[l], batched.keptFrames()[l]);
        }
      }
      assertInstanceOf(BadSampleException.class, all.get(3).error());
      assertInstanceOf(NoSuchFileException.class, all.get(inputs.size() - 1).error());
      assertTrue(c.classifyAll(List.of(missing), 1).get(0).error() instanceof NoSuchFileException, "a batch with nothing readable runs nothing");
      assertEquals(List.of(), c.classifyAll(List.of(), 1));
      assertThrows(IllegalArgumentException.class, () -> c.classifyAll(inputs, 0));
      c.close();
      assertThrows(IllegalStateException.class, () -> c.classifyAll(inputs, 1));
    }
  }
}
