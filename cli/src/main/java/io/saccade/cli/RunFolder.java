package io.saccade.cli;

import io.saccade.runtime.data.LabelMap;
import io.saccade.runtime.export.Preprocessing;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Checkpoint;
import io.saccade.runtime.train.Checkpoints;
import io.saccade.runtime.train.RunInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code eval} and {@code export} learn from a run folder: the network, class names and
 * pre-processing recorded at training time (in the latest checkpoint, else in {@code run.json}), checked
 * against what the user gave.
 */
final class RunFolder {

  private final Path run;
  private final RunInfo info;

  private RunFolder(Path run, RunInfo info) {
    this.run = run;
    this.info = info;
  }

  /** Reads the run folder's metadata; a folder without checkpoints is an error naming it. */
  static RunFolder open(Path run) throws IOException {
    if (!Files.isDirectory(run.resolve("checkpoints"))) {
      throw new NoSuchFileException(run.resolve("checkpoints").toString(), null, "--run has no checkpoints; is it a run folder?");
    }
    Optional<Checkpoint> latest = new Checkpoints(run.resolve("checkpoints"), 1).latest();
    RunInfo info = latest.map(Checkpoint::runInfo).orElse(null);
    return new RunFolder(run, info != null ? info : RunInfo.read(run).orElse(null));
  }

  /** The recorded run information, empty for a run of an earlier version. */
  Optional<RunInfo> info() {
    return Optional.ofNullable(info);
  }

  /**
   * The network: the one named by {@code -n} (which must be the run's), else the one the run recorded.
   *
   * @throws io.saccade.runtime.io.ArtefactException naming both networks when they differ
   */
  VideoModel network(String given) throws IOException {
    if (given == null) {
      if (info == null) {
        throw new IllegalArgumentException(run + " records no network (a run of an earlier version): give -n NETWORK");
      }
      return NetworkRegistry.find(info.networkClass());
    }
    VideoModel model = NetworkRegistry.find(given);
    if (info != null) {
      info.requireNetwork(model, run);
    }
    return model;
  }

  /**
   * The class names: the run's; a label map given with {@code --labels} must equal them (or stands in
   * for them in a run of an earlier version).
   *
   * @param labels the --labels file, or null
   * @param fromData the names of the data given (--root with --val-list), or null
   * @throws IllegalArgumentException naming both lists when they differ, or when there are none
   */
  List<String> classNames(Path labels, List<String> fromData, VideoModel model) throws IOException {
    List<String> given = labels != null ? LabelMap.read(labels).names() : null;
    if (info != null) {
      if (given != null && !given.equals(info.classNames())) {
        throw new IllegalArgumentException("the label map " + labels + " " + describe(given) + " is not the run's "
            + describe(info.classNames()) + " (recorded in " + run + " at training time); drop --labels, or give the map the run was trained with");
      }
      return info.classNames();
    }
    List<String> names = given != null ? given : fromData;
    if (names == null) {
      throw new IllegalArgumentException(run + " records no class names (a run of an earlier version): give --labels FILE");
    }
    if (names.size() != model.classes()) {
      throw new IllegalArgumentException(model.name() + " has " + model.classes() + " classes, the label map has " + names.size());
    }
    return names;
  }

  /** The training pre-processing the run recorded, else {@code fallback}. */
  Preprocessing preprocessing(Preprocessing fallback) {
    return info != null ? info.preprocessing() : fallback;
  }

  /** "(4 names: left, right, up, down)" or "(174 names: a, b, c, …)". */
  static String describe(List<String> names) {
    List<String> shown = names.size() <= 6 ? names : names.subList(0, 5);
    return "(" + names.size() + " names: " + String.join(", ", shown) + (names.size() > 6 ? ", …" : "") + ")";
  }
}
