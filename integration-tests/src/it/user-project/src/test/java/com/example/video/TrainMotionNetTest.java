package com.example.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's walkthrough, run by the user project's own build. */
class TrainMotionNetTest {

  @Test
  void trainsExportsAndClassifies() throws Exception {
    Path out = Path.of("target/it-run");
    TrainMotionNet.main(new String[] {out.toString(), "1", "64"});
    assertTrue(Files.isRegularFile(out.resolve("model/1/saved_model.pb")), "exported model, version 1");
    assertEquals(MotionNetNetwork.CLASSES, Files.readAllLines(out.resolve("model/1/assets.extra/labels.txt")).size());
    assertTrue(Files.isRegularFile(out.resolve("samples/validation_000000.mp4")), "the video it classified");
    var csv = Files.readAllLines(out.resolve("epochs.csv"));
    assertEquals(2, csv.size(), "the header and one line for the one epoch: " + csv);
    assertTrue(csv.get(1).startsWith("1,8,"), "epoch 1 ended at step 8 (64 clips, batch 8): " + csv.get(1));
  }

  @Test
  void theGeneratedClassesCarryTheDeclarations() {
    assertEquals(10, new MotionNetNetwork().classes());
    assertEquals(10, MotionNetBaselineNetwork.CLASSES);
    assertEquals(8, MotionNetNetwork.FRAMES);
    assertTrue(MotionNetNetwork.GFLOPS_PER_CLIP < MotionNetBaselineNetwork.GFLOPS_PER_CLIP);
  }

  @Test
  void aHandBuiltInferenceGraphRuns() {
    float[] v = InferenceGraph.logitsAndGflops();
    assertEquals(11, v.length);
    for (float x : v) {
      assertTrue(Float.isFinite(x));
    }
    assertTrue(v[10] > 0, "dynamic GFLOPs");
  }

  @Test
  void ownFrameFoldersTrain() throws Exception {
    Path data = Path.of("target/own-data");
    var model = new MotionNetBaselineNetwork();
    Path list = SyntheticMotionDataset.builder().forModel(model).clips(16).build().writeFrameFolders(data);
    VideoDataset train = OwnData.frameFolders(model, data, list, data.resolve("labels.json"));
    assertEquals(16, train.size());
    assertEquals("square_left", train.classNames().get(0));
    try (Trainer trainer = Trainer.builder(model).trainData(train).batchSize(8).epochs(1).build()) {
      assertEquals(2, trainer.fit().steps());
    }
  }
}
