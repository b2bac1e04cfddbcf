package io.saccade.runtime.train;

import io.saccade.runtime.io.ArtefactException;
import io.saccade.runtime.io.FileDigests;
import io.saccade.runtime.io.FileTrees;
import io.saccade.runtime.io.FileWrites;
import io.saccade.runtime.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * A directory of training checkpoints, written atomically and pruned to the last few plus the best.
 *
 * <p>{@link #save} writes the session's variables (every {@code VariableV2}: parameters, moving
 * statistics and optimizer state) and a {@code checkpoint.json} into a hidden temporary directory
 * inside {@code dir}, flushes them to disk, and only then renames it to {@code step-00000123/} with an
 * atomic move. A crash mid-write leaves at most a {@code .tmp-*} directory, which {@link #latest()}
 * never picks and the next save removes. One writer per directory.
 *
 * <pre>{@code
 * Checkpoints checkpoints = new Checkpoints(Path.of("runs/afnet"), 3).keepBest("top1", true);
 * checkpoints.save(session, step, Map.of("top1", 0.473, "loss", 2.1));
 * // later, in a graph built by the same code:
 * checkpoints.latest().ifPresent(c -> checkpoints.restore(session, c));
 * }</pre>
 */
public final class Checkpoints {

  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  private static final Pattern NAME = Pattern.compile("step-(\\d+)");
  private static final String TEMP_PREFIX = ".tmp-";
  private static final String TRASH_PREFIX = ".trash-";
  private static final String FORMAT = "saccade-checkpoint-1";

  private final Path dir;
  private final int keepLast;
  private final String bestMetric;
  private final boolean higherIsBetter;
  private final Clock clock;
  private final RunInfo runInfo;

  /**
   * @param dir the checkpoint directory (created on the first save)
   * @param keepLast how many of the most recent checkpoints to keep, &gt;= 1
   */
  public Checkpoints(Path dir, int keepLast) {
    this(dir, keepLast, null, true, Clock.systemUTC(), null);
  }

  private Checkpoints(
      Path dir, int keepLast, String bestMetric, boolean higherIsBetter, Clock clock, RunInfo runInfo) {
    this.dir = Objects.requireNonNull(dir, "dir");
    if (keepLast < 1) {
      throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
    }
    this.keepLast = keepLast;
    this.bestMetric = bestMetric;
    this.higherIsBetter = higherIsBetter;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.runInfo = runInfo;
  }

  /**
   * The same directory, also keeping the checkpoint with the best value of {@code metric}
   * (e.g. {@code "top1"}, higher is better; {@code "loss"}, lower is better).
   */
  public Checkpoints keepBest(String metric, boolean higherIsBetter) {
    Objects.requireNonNull(metric, "metric");
    if (metric.isEmpty()) {
      throw new IllegalArgumentException("metric name must not be empty");
    }
    return new Checkpoints(dir, keepLast, metric, higherIsBetter, clock, runInfo);
  }

  /**
   * The same directory, writing {@code info} (network, optimizer, class names, pre-processing) into every
   * checkpoint's metadata, so a checkpoint alone is enough to evaluate or export it.
   */
  public Checkpoints withRunInfo(RunInfo info) {
    return new Checkpoints(dir, keepLast, bestMetric, higherIsBetter, clock, Objects.requireNonNull(info, "info"));
  }

  /** The same directory with another clock for the metadata time (tests). */
  Checkpoints withClock(Clock other) {
    return new Checkpoints(dir, keepLast, bestMetric, higherIsBetter, other, runInfo);
  }

  public Path directory() {
    return dir;
  }

  public int keepLast() {
    return keepLast;
  }

  /** The metric {@link #best()} ranks by, empty when no {@link #keepBest} was set. */
  public Optional<String> bestMetric() {
    return Optional.ofNullable(bestMetric);
  }

  /**
   * Saves every variable of the session's graph as checkpoint {@code step}, then deletes checkpoints
   * that are neither among the last {@code keepLast} nor the best. A checkpoint of the same step is
   * replaced.
   *
   * @param step the optimisation step, &gt;= 0
   * @param metrics values to record (and rank by), e.g. {@code top1 → 0.473}; may be empty
   * @throws IOException if writing fails; no partial checkpoint is left where {@link #latest()} looks
   */
  public Checkpoint save(Session session, long step, Map<String, Double> metrics) throws IOException {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(metrics, "metrics");
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    Map<String, Double> copy = new LinkedHashMap<>();
    metrics.forEach(
        (k, v) -> {
          if (k == null || v == null) {
            throw new IllegalArgumentException("metric names and values must not be null, got " + k + " = " + v);
          }
          copy.put(k, v);
        });
    Files.createDirectories(dir);
    String name = directoryName(step);
    Path temp = createTemporary(name);
    try {
      Instant time = clock.instant();
      try {
        writeInto(temp, session, step, time, copy);
      } catch (IOException e) {
        throw writeFailed(step, temp, e);
      }
      Path target = dir.resolve(name);
      Path trash = null;
      if (Files.exists(target)) {
        trash = dir.resolve(TRASH_PREFIX + name + "-" + System.nanoTime());
        atomicMove(target, trash);
      }
      atomicMove(temp, target);
      syncDirectory(dir);
      if (trash != null) {
        FileTrees.delete(trash);
      }
      Checkpoint saved = new Checkpoint(step, target, time, copy, runInfo);
      try {
        prune();
      } catch (IOException e) {
        // The checkpoint itself is safe; an old one left behind is only disk space.
        LOG.warn("saved {}, but could not delete old checkpoints in {}: {}", target, dir, e.toString());
      }
      return saved;
    } finally {
      FileTrees.delete(temp); // nothing to do once it was renamed
    }
  }

  /** The variables (TensorFlow writes them natively) and checkpoint.json, flushed to disk, into {@code temp}. */
  private void writeInto(Path temp, Session session, long step, Instant time, Map<String, Double> metrics)
      throws IOException {
    FileWrites.check(temp.resolve(Checkpoint.VARIABLES + ".data-00000-of-00001"));
    try {
      session.save(temp.resolve(Checkpoint.VARIABLES).toString());
    } catch (TensorFlowException | IllegalStateException e) {
      throw new IOException(e.getMessage(), e); // a full disk, an I/O error, or a closed session
    }
    if (!Files.exists(temp.resolve(Checkpoint.VARIABLES + ".index"))) {
      throw new IOException("TensorFlow wrote no " + Checkpoint.VARIABLES + ".index");
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    json.put("step", step);
    json.put("time", time.toString());
    json.put("variables", Checkpoint.VARIABLES);
    json.put("metrics", metrics);
    if (runInfo != null) {
      json.put("run", runInfo.toJson());
    }
    // What restore checks before it touches TensorFlow: every variable's dtype and shape, every file's
    // length and checksum (a truncated or overwritten file is named, not met as a TensorFlow error).
    json.put("tensors", CheckpointContents.tensors(session.graph(), variable -> true));
    json.put("files", FileDigests.of(temp, ""));
    Path metadata = temp.resolve(Checkpoint.METADATA);
    FileWrites.check(metadata);
    Files.writeString(metadata, Json.write(json), StandardCharsets.UTF_8);
    syncTree(temp);
  }

  /**
   * A failed checkpoint write (a full disk, an I/O error) in one line: the checkpoint, the file and the
   * reason, and which complete checkpoint a resume would use; the half-written folder is deleted by the caller.
   */
  private IOException writeFailed(long step, Path temp, IOException e) {
    String latest;
    try {
      latest = latest().map(c -> "the latest complete checkpoint, " + c.directory() + ", is untouched").orElse("there is no earlier checkpoint");
    } catch (IOException | RuntimeException x) {
      latest = "earlier checkpoints were not touched";
    }
    return new IOException(
        "cannot write the checkpoint of step " + step + " to " + dir.resolve(directoryName(step)) + ": " + FileWrites.reason(e, temp)
            + "; nothing of it was kept and " + latest,
        e);
  }

  /** Every complete checkpoint, oldest step first; incomplete directories are skipped. */
  public List<Checkpoint> list() throws IOException {
    List<Checkpoint> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        Matcher m = NAME.matcher(entry.getFileName().toString());
        if (m.matches() && Files.isDirectory(entry)) {
          read(entry, m.group(1)).ifPresent(out::add);
        }
      }
    }
    out.sort(Comparator.comparingLong(Checkpoint::step));
    return out;
  }

  /** The complete checkpoint with the highest step. */
  public Optional<Checkpoint> latest() throws IOException {
    List<Checkpoint> all = list();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * The checkpoint with the best value of the {@link #keepBest} metric (the earliest on a tie);
   * checkpoints without the metric, or with a NaN, are not candidates.
   *
   * @throws IllegalStateException if no {@link #keepBest} metric was set
   */
  public Optional<Checkpoint> best() throws IOException {
    if (bestMetric == null) {
      throw new IllegalStateException("no best metric for " + dir + ": call keepBest(metric, higherIsBetter) first");
    }
    return best(list());
  }

  private Optional<Checkpoint> best(List<Checkpoint> all) {
    Checkpoint best = null;
    for (Checkpoint c : all) {
      Double v = c.metrics().get(bestMetric);
      if (v == null || v.isNaN()) {
        continue;
      }
      double b = best == null ? Double.NaN : best.metrics().get(bestMetric);
      if (best == null || (higherIsBetter ? v > b : v < b)) {
        best = c;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Restores every variable of the session's graph (parameters, moving statistics, optimizer state) from
   * {@code checkpoint}: what resuming a run needs. The graph must have been built by the same code with
   * the same optimizer.
   *
   * @throws java.nio.file.NoSuchFileException if the checkpoint's files are missing
   * @throws ArtefactException if the checkpoint does not fit the graph (naming each missing variable, or
   *     the variable and both shapes) or its files were truncated or changed since it was written
   */
  public void restore(Session session, Checkpoint checkpoint) throws IOException {
    restore(session, checkpoint, name -> true);
  }

  /**
   * Restores only the network's own variables ({@code params/...}: weights and moving statistics), not
   * the optimizer's state: what evaluation, export and fine-tuning need. A checkpoint trained with Adam
   * restores into a graph built with SGD, and the other way round.
   *
   * @throws ArtefactException as {@link #restore(Session, Checkpoint)}
   */
  public void restoreModel(Session session, Checkpoint checkpoint) throws IOException {
    restore(session, checkpoint, CheckpointContents::isModelVariable);
  }

  /**
   * Restores the graph's variables whose names {@code variables} accepts from {@code checkpoint}, after
   * checking the checkpoint's files against the lengths and checksums recorded when it was saved and its
   * variables against the graph's names, dtypes and shapes.
   *
   * @throws ArtefactException naming the checkpoint and what does not match
   */
  public void restore(Session session, Checkpoint checkpoint, Predicate<String> variables) throws IOException {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(variables, "variables");
    Path index = checkpoint.directory().resolve(Checkpoint.VARIABLES + ".index");
    if (!Files.isRegularFile(index)) {
      throw new NoSuchFileException(index.toString(), null, "checkpoint of step " + checkpoint.step() + " has no variable index");
    }
    CheckpointContents.restore(session, checkpoint, variables);
  }

  /** Restores the latest checkpoint if there is one, and returns it. */
  public Optional<Checkpoint> restoreLatest(Session session) throws IOException {
    Optional<Checkpoint> latest = latest();
    if (latest.isPresent()) {
      restore(session, latest.get());
    }
    return latest;
  }

  /** A fresh hidden directory with the default permissions (createTempDirectory would make it owner-only). */
  private Path createTemporary(String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path temp = dir.resolve(TEMP_PREFIX + name + "-" + Long.toHexString(System.nanoTime()) + "-" + attempt);
      try {
        return Files.createDirectory(temp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  /** {@code step-00000123}. */
  static String directoryName(long step) {
    return String.format("step-%08d", step);
  }

  private Optional<Checkpoint> read(Path entry, String digits) {
    Path metadata = entry.resolve(Checkpoint.METADATA);
    try {
      long step = Long.parseLong(digits);
      if (!Files.isRegularFile(metadata) || !Files.isRegularFile(entry.resolve(Checkpoint.VARIABLES + ".index"))) {
        LOG.warn("ignoring incomplete checkpoint directory {}", entry);
        return Optional.empty();
      }
      String text = Files.readString(metadata, StandardCharsets.UTF_8);
      Map<String, Object> json = Json.object(Json.parse(text), "the metadata");
      if (!FORMAT.equals(json.get("format")) || !(json.get("step") instanceof Long s) || s != step) {
        LOG.warn("ignoring checkpoint directory {}: {} is not a {} file for step {}", entry, metadata, FORMAT, step);
        return Optional.empty();
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      if (json.get("metrics") instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          metrics.put((String) e.getKey(), Json.real(e.getValue(), "metric \"" + e.getKey() + "\""));
        }
      }
      Instant time = Instant.parse(Json.string(json.get("time"), "\"time\""));
      RunInfo run = json.get("run") == null ? null : RunInfo.fromJson(json.get("run"));
      return Optional.of(new Checkpoint(step, entry, time, metrics, run));
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring checkpoint directory {}: cannot read {}: {}", entry, metadata, e.getMessage());
      return Optional.empty();
    }
  }

  /** Deletes checkpoints beyond the last {@code keepLast} that are not the best, and stale temporaries. */
  private void prune() throws IOException {
    List<Checkpoint> all = list();
    Set<Path> keep = new HashSet<>();
    for (int i = Math.max(0, all.size() - keepLast); i < all.size(); i++) {
      keep.add(all.get(i).directory());
    }
    if (bestMetric != null) {
      best(all).ifPresent(c -> keep.add(c.directory()));
    }
    for (Checkpoint c : all) {
      if (!keep.contains(c.directory())) {
        // Renamed first so a half-deleted checkpoint never looks complete.
        Path trash = dir.resolve(TRASH_PREFIX + c.directory().getFileName() + "-" + System.nanoTime());
        atomicMove(c.directory(), trash);
        FileTrees.delete(trash);
      }
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String n = entry.getFileName().toString();
        if (n.startsWith(TEMP_PREFIX) || n.startsWith(TRASH_PREFIX)) {
          FileTrees.delete(entry);
        }
      }
    }
  }

  private static void atomicMove(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + from.getParent() + " cannot rename " + from + " to " + to + " atomically", e);
    }
  }

  private static void syncTree(Path directory) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry)) {
          try (FileChannel ch = FileChannel.open(entry, StandardOpenOption.WRITE)) {
            ch.force(true);
          }
        }
      }
    }
    syncDirectory(directory);
  }

  private static void syncDirectory(Path directory) {
    // Makes the rename durable on Linux; some platforms cannot open directories, which is harmless.
    try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot fsync directory {}: {}", directory, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "Checkpoints{" + dir + ", keepLast=" + keepLast
        + (bestMetric == null ? "" : ", best " + (higherIsBetter ? "max " : "min ") + bestMetric) + "}";
  }
}
