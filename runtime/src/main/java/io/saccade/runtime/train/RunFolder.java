package io.saccade.runtime.train;

import io.saccade.runtime.io.ArtefactException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trainer's run directory: {@code run.json} (what the run is made of) and {@code checkpoints/} (written only
 * with finite weights, restored only into the same network, and with the optimizer only into the same kind).
 */
final class RunFolder {

  private final TrainingSettings settings;
  private final TrainingGraph graph;
  private final RunInfo runInfo;
  private final Checkpoints checkpoints;

  RunFolder(TrainingSettings s, TrainingGraph graph) {
    this.settings = s;
    this.graph = graph;
    runInfo = s.trainData == null ? null : RunInfo.of(s.model, s.optimizer, s.trainData);
    Checkpoints c =
        s.runDirectory == null ? null : new Checkpoints(s.runDirectory.resolve("checkpoints"), s.keepLast).keepBest("top1", true);
    checkpoints = c == null || runInfo == null ? c : c.withRunInfo(runInfo);
  }

  RunInfo runInfo() {
    return runInfo;
  }

  /** Writes {@code run.json}, refusing a run folder that holds another network's run. */
  void writeRunInfo() throws IOException {
    if (settings.runDirectory == null || runInfo == null) {
      return;
    }
    Optional<RunInfo> existing = RunInfo.read(settings.runDirectory);
    if (existing.isPresent()) {
      existing.get().requireNetwork(settings.model, settings.runDirectory);
    }
    runInfo.write(settings.runDirectory);
  }

  /** See {@link Trainer#saveCheckpoint}. */
  Checkpoint save(Map<String, Double> metrics) {
    if (checkpoints == null) {
      throw new IllegalStateException("no run directory: set TrainerBuilder.runDirectory to save checkpoints");
    }
    try {
      long step = graph.globalStep();
      if (!graph.weightsFinite()) {
        throw new TrainingDivergedException(step, Double.NaN, latest(), settings.model.name(),
            "the steps before it: a weight is not finite");
      }
      return checkpoints.save(graph.session(), step, metrics);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** See {@link Trainer#resume()} and {@link Trainer#restoreModel()}. */
  Optional<Checkpoint> restore(boolean withOptimizer) {
    if (checkpoints == null) {
      return Optional.empty();
    }
    try {
      Optional<Checkpoint> latest = checkpoints.latest();
      if (latest.isPresent()) {
        Checkpoint c = latest.get();
        RunInfo recorded = c.runInfo() != null ? c.runInfo() : RunInfo.read(settings.runDirectory).orElse(null);
        if (recorded != null) {
          recorded.requireNetwork(settings.model, c.directory());
          if (withOptimizer && !recorded.optimizerKind().equals(RunInfo.kind(settings.optimizer.toString()))) {
            throw new ArtefactException(c.directory(), c.directory() + " was trained with " + recorded.optimizer()
                + ", this trainer uses " + settings.optimizer + "; resume with the same optimizer (saccade: --optimizer "
                + (recorded.optimizerKind().equals("Adam") ? "adam" : "sgd") + ")");
          }
        }
        if (withOptimizer) {
          checkpoints.restore(graph.session(), c);
        } else {
          checkpoints.restoreModel(graph.session(), c);
        }
      }
      return latest;
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** The stop for a loss that is no longer finite, naming the step, the batch's first clips and the last good checkpoint. */
  TrainingDivergedException diverged(Trainer.Step st, io.saccade.runtime.data.ClipBatch batch) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < batch.size() && ids.size() < 4; i++) {
      if (batch.isValid(i)) {
        ids.add(batch.id(i));
      }
    }
    String what = String.join(", ", ids) + (batch.validCount() > ids.size() ? ", …" : "");
    return new TrainingDivergedException(st.step(), st.loss(), latest(), settings.model.name(), what);
  }

  private Path latest() {
    try {
      return checkpoints == null ? null : checkpoints.latest().map(Checkpoint::directory).orElse(null);
    } catch (IOException e) {
      return null; // the exception being built names the failure; a folder that cannot be listed has no "last good"
    }
  }
}
