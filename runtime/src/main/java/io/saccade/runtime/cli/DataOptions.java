package io.saccade.runtime.cli;

import io.saccade.runtime.data.FrameFolderDataset;
import io.saccade.runtime.data.LabelMap;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.model.VideoModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where clips come from: the embedded synthetic dataset (default) or frame folders with list files.
 */
final class DataOptions {

  @Option(
      names = "--root",
      description = "Folder of frame folders (Something-Something layout). Without it, the embedded dataset is used.")
  Path root;

  @Option(names = "--train-list", description = "List file for training: 'path num_frames label' per line.")
  Path trainList;

  @Option(names = "--val-list", description = "List file for validation.")
  Path valList;

  @Option(names = "--labels", description = "Label map: JSON {\"name\": index}, JSON list or CSV.")
  Path labels;

  @Option(
      names = "--template",
      defaultValue = "{:05d}.jpg",
      description = "Frame file name template (default ${DEFAULT-VALUE}; SSv2 uses {:06d}.jpg).")
  String template;

  @Option(names = "--flip", description = "Allow horizontal flips in training (never for Something-Something).")
  boolean flip;

  @Option(names = "--train-clips", defaultValue = "1536", description = "Embedded dataset: training clips (default ${DEFAULT-VALUE}).")
  int trainClips;

  @Option(names = "--val-clips", defaultValue = "384", description = "Embedded dataset: validation clips (default ${DEFAULT-VALUE}).")
  int valClips;

  @Option(names = "--data-seed", defaultValue = "1", description = "Embedded dataset: seed (default ${DEFAULT-VALUE}).")
  long dataSeed;

  /** The training set for {@code model}. */
  VideoDataset train(VideoModel model) throws IOException {
    return root == null ? embedded(model, Split.TRAIN, trainClips) : folders(model, require(trainList, "--train-list"), true);
  }

  /** The validation set for {@code model}, or null when frame folders are used without a validation list. */
  VideoDataset validation(VideoModel model) throws IOException {
    if (root == null) {
      return embedded(model, Split.VALIDATION, valClips);
    }
    return valList == null ? null : folders(model, valList, false);
  }

  private VideoDataset embedded(VideoModel model, Split split, int clips) {
    return SyntheticMotionDataset.builder()
        .frames(model.frames())
        .size(model.inputSize())
        .classes(model.classes())
        .clips(clips)
        .seed(dataSeed)
        .split(split)
        .build();
  }

  private VideoDataset folders(VideoModel model, Path list, boolean training) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "--root is not a folder");
    }
    FrameFolderDataset.Builder b =
        FrameFolderDataset.builder()
            .root(root)
            .list(require(list, training ? "--train-list" : "--val-list"))
            .template(template)
            .frames(model.frames())
            .size(model.inputSize())
            .flip(training && flip)
            .classes(model.classes());
    if (labels != null) {
      b.labels(LabelMap.read(labels));
    }
    return b.build();
  }

  private static Path require(Path p, String option) throws IOException {
    if (p == null) {
      throw new IllegalArgumentException(option + " is required with --root");
    }
    if (!Files.isRegularFile(p)) {
      throw new NoSuchFileException(p.toString(), null, option + " does not name a file");
    }
    return p;
  }
}
