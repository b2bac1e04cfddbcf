package io.saccade.runtime.train;

import io.saccade.runtime.export.Preprocessing;
import io.saccade.runtime.io.ArtefactException;
import io.saccade.runtime.io.Json;
import io.saccade.runtime.model.VideoModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a training run was made of, so that its checkpoints can be evaluated, exported and resumed without
 * the user repeating it: the network (name and class), the optimizer, the class names and the
 * pre-processing of the training data. A {@link Trainer} writes it to {@code run.json} in the run folder
 * when training starts and into every checkpoint's {@code checkpoint.json}.
 *
 * <pre>{@code
 * RunInfo info = RunInfo.read(Path.of("runs/afnet")).orElseThrow();
 * System.out.println(info.network() + " trained with " + info.optimizer() + " on " + info.classNames());
 * }</pre>
 *
 * @param network the network's name ({@link VideoModel#name()})
 * @param networkClass the network's class, e.g. {@code io.saccade.examples.AfDemoNetwork}
 * @param optimizer the optimizer's description, e.g. {@code Adam{beta1=0.9, ...}}
 * @param classNames class names indexed by label
 * @param preprocessing how training videos became clips
 */
public record RunInfo(
    String network, String networkClass, String optimizer, List<String> classNames, Preprocessing preprocessing) {

  /** File name of the run metadata inside the run folder. */
  public static final String FILE = "run.json";

  private static final String FORMAT = "saccade-run-1";

  public RunInfo {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(networkClass, "networkClass");
    Objects.requireNonNull(optimizer, "optimizer");
    classNames = List.copyOf(classNames);
    Objects.requireNonNull(preprocessing, "preprocessing");
  }

  /** The run's information for {@code model} trained by {@code optimizer} with class names and pre-processing from {@code trainData}. */
  static RunInfo of(VideoModel model, Optimizer optimizer, io.saccade.runtime.data.VideoDataset trainData) {
    return new RunInfo(
        model.name(), model.getClass().getName(), optimizer.toString(), trainData.classNames(), Preprocessing.of(trainData));
  }

  /** The optimizer's kind ({@code Adam}, {@code SgdMomentum}): what decides the optimizer's saved state. */
  public String optimizerKind() {
    return kind(optimizer);
  }

  static String kind(String optimizerDescription) {
    int brace = optimizerDescription.indexOf('{');
    return brace < 0 ? optimizerDescription : optimizerDescription.substring(0, brace);
  }

  /** The JSON object of {@code run.json} (also embedded in each checkpoint's metadata under {@code "run"}). */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("format", FORMAT);
    out.put("network", network);
    out.put("network_class", networkClass);
    out.put("frames", preprocessing.frames());
    out.put("input_size", preprocessing.inputSize());
    out.put("classes", classNames.size());
    out.put("class_names", classNames);
    out.put("optimizer", optimizer);
    out.put("preprocessing", preprocessing.toJson());
    return out;
  }

  /** Reads {@link #toJson()}'s form. */
  public static RunInfo fromJson(Object json) {
    Map<String, Object> o = Json.object(json, "the run metadata");
    if (!FORMAT.equals(o.get("format"))) {
      throw new IllegalArgumentException("not a " + FORMAT + " object (format " + o.get("format") + ")");
    }
    List<String> names = new ArrayList<>();
    for (Object n : Json.array(o.get("class_names"), "\"class_names\"")) {
      names.add(Json.string(n, "a class name"));
    }
    return new RunInfo(
        Json.string(o.get("network"), "\"network\""),
        Json.string(o.get("network_class"), "\"network_class\""),
        Json.string(o.get("optimizer"), "\"optimizer\""),
        names,
        Preprocessing.fromJson(o.get("preprocessing")));
  }

  /**
   * The {@code run.json} of run folder {@code runDirectory}, empty if there is none (a run of an older
   * version, or not started).
   *
   * @throws ArtefactException if the file exists but cannot be read
   */
  public static Optional<RunInfo> read(Path runDirectory) throws IOException {
    Path file = runDirectory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromJson(Json.parse(Files.readString(file, StandardCharsets.UTF_8))));
    } catch (RuntimeException e) {
      throw new ArtefactException(file, "cannot read the run metadata " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code run.json} into {@code runDirectory} (atomically: a temporary file renamed into place). */
  public void write(Path runDirectory) throws IOException {
    Files.createDirectories(runDirectory);
    Path file = runDirectory.resolve(FILE);
    Path temp = runDirectory.resolve("." + FILE + ".tmp");
    Files.writeString(temp, Json.write(toJson()), StandardCharsets.UTF_8);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Checks that {@code model} is the network this run trained.
   *
   * @throws ArtefactException naming both networks (and their classes) when they differ
   */
  public void requireNetwork(VideoModel model, Path where) throws ArtefactException {
    if (!network.equals(model.name()) || !networkClass.equals(model.getClass().getName())) {
      throw new ArtefactException(
          where,
          where + " was trained with network " + network + " (" + networkClass + "), not " + model.name() + " ("
              + model.getClass().getName() + "); evaluate, export or resume it with -n " + network);
    }
  }
}
