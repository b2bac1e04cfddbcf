package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.FrameFolderDataset;
import io.saccade.runtime.data.LabelMap;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.data.VideoFileDataset;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.Activations;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Conv2d;
import io.saccade.runtime.nn.Linear;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The data pipeline does not silently damage what it reads: the same clips, trained on by the same
 * network with the same settings, reach the same accuracy whether they come from memory (the embedded
 * generator), from JPEG frame folders or from MPEG-4 files (decoding, segment sampling, crops,
 * normalisation and label mapping all on the way). A swapped channel, a shifted label, a wrong frame
 * order or normalisation would cost the file paths their accuracy.
 */
class DataPathLearnabilityTest {
  private static final int FRAMES = 6;
  private static final int SIZE = 32;
  private static final int CLASSES = 4;
  private static final int TRAIN = 640;
  private static final int VALIDATION = 192;

  @TempDir static Path dir;
  static SyntheticMotionDataset train;
  static SyntheticMotionDataset validation;

  @BeforeAll
  static void data() {
    train = SyntheticMotionDataset.builder().frames(FRAMES).size(SIZE).classes(CLASSES).clips(TRAIN).seed(5).build();
    validation = train.toBuilder().split(Split.VALIDATION).clips(VALIDATION).build();
  }

  /** Frames t and t+1 stacked on channels, three stride-2 convs, max over the pairs: sees motion. */
  static final class PairCnn implements VideoModel {
    @Override
    public String name() {
      return "PairCnn";
    }

    @Override
    public int frames() {
      return FRAMES;
    }

    @Override
    public int classes() {
      return CLASSES;
    }

    @Override
    public int inputSize() {
      return SIZE;
    }

    @Override
    public ModelSummary summary() {
      return ModelSummary.builder(name(), FRAMES, SIZE).build();
    }

    @Override
    public ModelOutputs build(BuildContext ctx, Operand<TFloat32> clips, Operand<TFloat32> temperature) {
      Ops tf = ctx.tf();
      int pairs = FRAMES - 1;
      Operand<TFloat32> a = tf.slice(clips, tf.constant(new int[] {0, 0, 0, 0, 0}), tf.constant(new int[] {-1, pairs, -1, -1, -1}));
      Operand<TFloat32> b = tf.slice(clips, tf.constant(new int[] {0, 1, 0, 0, 0}), tf.constant(new int[] {-1, pairs, -1, -1, -1}));
      Operand<TFloat32> x = tf.reshape(tf.concat(List.of(a, b), tf.constant(4)), tf.constant(new int[] {-1, SIZE, SIZE, 6}));
      int[] widths = {32, 64, 64};
      for (int i = 0; i < widths.length; i++) {
        x = Activations.relu(tf, Conv2d.builder(widths[i]).kernel(3).stride(2).padding(1).bias(true).build(ctx.child("conv" + i), x));
      }
      Operand<TFloat32> features = tf.math.mean(x, tf.constant(new int[] {1, 2}));
      features = tf.max(tf.reshape(features, tf.constant(new int[] {-1, pairs, 64})), tf.constant(1));
      Operand<TFloat32> logits = Linear.builder(CLASSES).build(ctx.child("fc"), features);
      Operand<TFloat32> gflops = tf.math.mul(tf.reduceSum(logits, tf.constant(1)), tf.constant(0f));
      return new ModelOutputs(logits, null, List.of(), gflops, Map.of());
    }
  }

  /** Top-1 on each validation set after training on {@code trainData}. */
  private static double[] trainAndEvaluate(VideoDataset trainData, VideoDataset... validationSets) {
    try (Trainer t =
        Trainer.builder(new PairCnn())
            .trainData(trainData)
            .epochs(5)
            .batchSize(16)
            .optimizer(Adam.builder().build())
            .learningRate(2e-3)
            .seed(3)
            .build()) {
      t.fit();
      double[] top1 = new double[validationSets.length];
      for (int i = 0; i < top1.length; i++) {
        top1[i] = t.evaluate(validationSets[i]).top1();
      }
      return top1;
    }
  }

  @Test
  void framesFoldersAndVideoFilesLearnAsWellAsTheClipsInMemory() throws Exception {
    Path folders = dir.resolve("folders");
    Path trainList = train.writeFrameFolders(folders);
    Path validationList = validation.writeFrameFolders(folders);
    LabelMap labels = LabelMap.read(folders.resolve("labels.json"));
    assertEquals(train.classNames(), labels.names());
    VideoDataset folderTrain = FrameFolderDataset.builder().root(folders).list(trainList).labels(labels).frames(FRAMES).size(SIZE).build();
    VideoDataset folderValidation =
        FrameFolderDataset.builder().root(folders).list(validationList).labels(labels).frames(FRAMES).size(SIZE).build();
    Path videos = dir.resolve("videos");
    Path trainVideos = train.writeVideos(videos);
    Path validationVideos = validation.writeVideos(videos);
    VideoDataset videoTrain = VideoFileDataset.builder().root(videos).list(trainVideos).labels(labels).frames(FRAMES).size(SIZE).build();
    VideoDataset videoValidation =
        VideoFileDataset.builder().root(videos).list(validationVideos).labels(labels).frames(FRAMES).size(SIZE).build();

    // Trained in memory, evaluated on the same validation clips read three ways: a consistent defect of
    // the file paths (swapped channels, reversed or shifted frames, permuted labels, a wrong
    // normalisation) that training on the files would learn around shows up here.
    double[] memory = trainAndEvaluate(train, validation, folderValidation, videoValidation);
    double[] fromFolders = trainAndEvaluate(folderTrain, folderValidation);
    double[] fromVideos = trainAndEvaluate(videoTrain, videoValidation);

    String measured = String.format(
        "trained in memory: %.3f on memory, %.3f on frame folders, %.3f on videos; trained on folders %.3f; on videos %.3f",
        memory[0], memory[1], memory[2], fromFolders[0], fromVideos[0]);
    System.out.println("DataPathLearnabilityTest: " + measured);
    assertTrue(memory[0] > 0.8, "the network learns the clips in memory: " + measured);
    // The file paths add crops (training: multi-scale; evaluation: the centre 224/256 of each frame), so
    // not the same numbers, but within a few points; chance is 0.25.
    for (double top1 : new double[] {memory[1], memory[2], fromFolders[0], fromVideos[0]}) {
      assertTrue(top1 > memory[0] - 0.1, measured);
    }
  }
}
