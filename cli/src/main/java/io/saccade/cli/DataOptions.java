package io.saccade.cli;

import io.saccade.runtime.data.FrameFolderDataset;
import io.saccade.runtime.data.LabelMap;
import io.saccade.runtime.data.ListedDatasetBuilder;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.data.VideoFileDataset;
import io.saccade.runtime.model.VideoModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Where clips come from: the embedded synthetic dataset (default), frame folders with list files, or
 * video files with list files ({@code --videos}).
 */
final class DataOptions {

  /** File names FFmpeg-decodable containers usually have; used only to hint at a missing --videos. */
  static final Pattern VIDEO_FILE =
      Pattern.compile("\\.(mp4|m4v|mov|webm|mkv|avi|mpg|mpeg|ts|flv|ogv|3gp|wmv)$", Pattern.CASE_INSENSITIVE);

  @Option(
      names = "--root",
      description = "Folder the list's paths are relative to: frame folders (Something-Something layout), or video "
          + "files with --videos. Without it, the embedded dataset is used.")
  Path root;

  @Option(
      names = "--videos",
      description = "The lists name video files (mp4, webm, avi, mkv, ...), decoded with FFmpeg: "
          + "'path [num_frames] label' per line.")
  boolean videos;

  @Option(names = "--train-list", description = "List file for training: 'path num_frames label' per line ('path [num_frames] label' with --videos).")
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

  @Option(
      names = "--decoy-rate",
      defaultValue = "0",
      description = "Embedded dataset: chance that a frame outside the key frames shows a still decoy shape (default ${DEFAULT-VALUE}; 0.5 makes it harder).")
  double decoyRate;

  /** The class names a trained run recorded: used for listed data when no --labels is given. */
  LabelMap runLabels;

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
        .forModel(model)
        .clips(clips)
        .seed(dataSeed)
        .decoyRate(decoyRate)
        .split(split)
        .build();
  }

  private VideoDataset folders(VideoModel model, Path list, boolean training) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "--root is not a folder");
    }
    Path checked = require(list, training ? "--train-list" : "--val-list");
    if (videos) {
      return common(VideoFileDataset.builder(), model, checked, training).build();
    }
    requireFrameFolders(checked);
    return common(FrameFolderDataset.builder().template(template), model, checked, training).build();
  }

  /** The settings both kinds of listed dataset take from these options. */
  private <B extends ListedDatasetBuilder<B>> B common(B b, VideoModel model, Path list, boolean training)
      throws IOException {
    b.root(root).list(list).forModel(model).flip(training && flip);
    if (labels != null) {
      b.labels(LabelMap.read(labels));
    } else if (runLabels != null) {
      b.labels(runLabels);
    }
    return b;
  }

  /** A frame-folder list whose first entry is a video file is a forgotten --videos: say so. */
  private static void requireFrameFolders(Path list) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
      int n = 0;
      for (String raw = r.readLine(); raw != null; raw = r.readLine()) {
        n++;
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        for (String field : line.split("\\s+")) {
          if (VIDEO_FILE.matcher(field).find()) {
            throw new IllegalArgumentException(list + ":" + n + ": '" + field
                + "' is a video file; add --videos to decode video files (without it the list names frame folders)");
          }
        }
        return;
      }
    }
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
