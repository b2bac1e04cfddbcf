package io.saccade.spark;

import io.saccade.runtime.export.VideoClassifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link VideoClassifier} per exported model per JVM: an executor opens a model (and so loads
 * TensorFlow's natives) the first time one of its tasks needs it, and every later task on that executor
 * — concurrent ones included — shares it ({@code VideoClassifier} is thread-safe). The classifiers live as
 * long as the executor; nothing is reloaded per task, per partition or per retry.
 */
public final class Classifiers {

  private static final Logger LOG = LoggerFactory.getLogger(Classifiers.class);

  /** How an executor came by a model: where it was found and what opening it cost. */
  public record Load(Path directory, long millis, int count) {}

  private static final Map<String, VideoClassifier> OPEN = new ConcurrentHashMap<>();
  private static final Map<String, Load> LOADS = new ConcurrentHashMap<>();

  private Classifiers() {}

  /**
   * The classifier of {@code model}, opened on first use in this JVM. {@code model} is a local path
   * (absolute, e.g. on shared storage mounted on every node, or relative to the executor's working
   * directory), or the name a model folder was shipped under with {@code --archives model.zip#NAME}
   * (looked up in {@link SparkFiles}).
   *
   * @throws UncheckedIOException when the model cannot be found or opened (a broken model fails the job:
   *     no row could be scored with it)
   */
  public static VideoClassifier get(String model) {
    return OPEN.computeIfAbsent(model, Classifiers::open);
  }

  /** How {@code model} was loaded in this JVM, if it was. */
  public static java.util.Optional<Load> load(String model) {
    return java.util.Optional.ofNullable(LOADS.get(model));
  }

  private static VideoClassifier open(String model) {
    Path dir = locate(model);
    long start = System.nanoTime();
    try {
      VideoClassifier c = VideoClassifier.open(dir);
      long millis = (System.nanoTime() - start) / 1_000_000;
      LOADS.merge(model, new Load(c.directory(), millis, 1), (a, b) -> new Load(b.directory(), b.millis(), a.count() + 1));
      LOG.info("opened {} ({}) in {} ms", c.directory(), c.network(), millis);
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the model " + model + " (found at " + dir + "): " + e.getMessage(), e);
    }
  }

  /** The model folder as given if it exists here, else the file Spark shipped under that name. */
  static Path locate(String model) {
    Path given = Path.of(model);
    if (Files.exists(given)) {
      return given.toAbsolutePath();
    }
    if (!given.isAbsolute() && given.getNameCount() == 1) {
      try {
        Path shipped = Path.of(SparkFiles.get(model));
        if (Files.exists(shipped)) {
          return shipped;
        }
      } catch (RuntimeException e) {
        // No SparkContext in this JVM (a plain local call): only the path itself counts.
      }
    }
    throw new UncheckedIOException(new java.nio.file.NoSuchFileException(model, null,
        "no such model folder on this node (" + Path.of("").toAbsolutePath() + "), nor shipped with --archives under that name"));
  }
}
