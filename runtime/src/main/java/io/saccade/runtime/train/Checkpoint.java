package io.saccade.runtime.train;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One complete checkpoint on disk, as listed by {@link Checkpoints}: the directory
 * {@code step-00000123/} holding TensorFlow's {@code variables.index} and {@code variables.data-*}
 * files and a {@code checkpoint.json} with the step, the time and the metrics given at save time.
 *
 * @param step the optimisation step it was saved at
 * @param directory its directory
 * @param time when it was written (UTC)
 * @param metrics the metrics given to {@link Checkpoints#save}, e.g. {@code top1 → 0.473}
 * @param runInfo what the run was made of (network, optimizer, class names, pre-processing), or null for a
 *     checkpoint saved without it (by an older version, or by {@link Checkpoints} without
 *     {@link Checkpoints#withRunInfo})
 */
public record Checkpoint(long step, Path directory, Instant time, Map<String, Double> metrics, RunInfo runInfo) {

  /** File-name prefix of the variable files inside the directory. */
  public static final String VARIABLES = "variables";

  /** Name of the metadata file inside the directory. */
  public static final String METADATA = "checkpoint.json";

  public Checkpoint {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(time, "time");
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** A checkpoint without run information. */
  public Checkpoint(long step, Path directory, Instant time, Map<String, Double> metrics) {
    this(step, directory, time, metrics, null);
  }

  /** The prefix to give {@code Session.restore}, e.g. {@code runs/a/step-00000123/variables}. */
  public String prefix() {
    return directory.resolve(VARIABLES).toString();
  }

  /** The value of one metric, empty if it was not recorded. */
  public OptionalDouble metric(String name) {
    Double v = metrics.get(name);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }
}
