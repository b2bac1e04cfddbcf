package io.saccade.runtime.train;

import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.interop.ImportReport;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.metrics.ExitCurve;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.ParameterStore;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * Trains and evaluates any generated network: the loop over epochs and steps ({@link #fit}) around a
 * {@link TrainingGraph} (model, losses, optimizer), an {@link Evaluator} and the {@link TrainingListener}s
 * that log, write TensorBoard, checkpoint, draw the exit curve or stop early. Batches come from background
 * loader threads; the learning-rate and temperature schedules and AFNet's ratio curriculum are set per step.
 * Training noise (dropout, Gumbel, random patches) is keyed by the step, so a run resumed from a checkpoint
 * continues exactly as the uninterrupted run.
 *
 * <pre>{@code
 * try (Trainer trainer = Trainer.builder(new AfResNet50TsmNetwork())
 *     .trainData(train).validationData(val)
 *     .epochs(6).batchSize(16).learningRate(0.01)
 *     .runDirectory(Path.of("runs/afnet"))
 *     .build()) {
 *   Trainer.Summary s = trainer.fit();
 * }
 * }</pre>
 */
public final class Trainer implements AutoCloseable {

  /**
   * What {@link #fit} did.
   *
   * @param steps optimizer steps taken in total (including those before a resume)
   * @param lastLoss the loss of the last step
   * @param validation metrics of the last evaluation, or null without validation data
   * @param skippedSamples samples the loader skipped (corrupt frames, bad lines) in the epochs run
   * @param exitCurve the conditional-exit curve measured at the end of the run ({@link ExitCurveListener}), or
   *     null (no exit, no validation data, the run not finished, or the listener removed)
   * @param stopReason why a listener {@linkplain #stop stopped} the run before its last epoch, or null
   */
  public record Summary(long steps, double lastLoss, ClassificationMetrics validation, long skippedSamples,
      ExitCurve exitCurve, String stopReason) {}

  /**
   * One training step's numbers.
   *
   * @param step the global step after it
   * @param loss total loss (what the optimizer minimises: classification terms plus AFNet's ratio term)
   * @param accuracy top-1 on the batch
   * @param selectionRatio mean kept fraction over the navigation layers (1 for dense networks)
   * @param classificationLoss the cross-entropy of the clip logits alone, comparable with {@code ln(classes)}
   * @param gradientNorm the global L2 norm of the raw gradients (before clipping and weight decay)
   */
  public record Step(
      long step, double loss, double accuracy, double selectionRatio, double classificationLoss, double gradientNorm) {

    /** A step whose loss is all cross-entropy and whose gradient norm was not measured (NaN). */
    public Step(long step, double loss, double accuracy, double selectionRatio) {
      this(step, loss, accuracy, selectionRatio, loss, Double.NaN);
    }
  }

  private final TrainingSettings settings;
  private final TrainingGraph graph;
  private final Evaluator evaluator;
  private final List<TrainingListener> listeners;
  private final RunFolder folder;
  private final List<ImportReport> initialWeightsReports;
  private final List<Parameter> restartNavigation;
  private String stopReason;

  Trainer(TrainingSettings s, List<TrainingListener> listeners) {
    this.settings = s;
    this.graph = new TrainingGraph(s);
    this.evaluator = new Evaluator(graph, s.batchSize, s.threads);
    this.listeners = List.copyOf(listeners);
    restartNavigation = TrainingRecipe.restartable(s, graph.store(), graph.session());
    // Pretrained start: after the initialisers, before any step; a resumed checkpoint overrides it.
    initialWeightsReports = s.initialWeights.stream().map(w -> w.load(graph.session(), graph.store())).toList();
    folder = new RunFolder(s, graph);
  }

  /** Starts a trainer for {@code model}. */
  public static TrainerBuilder builder(VideoModel model) {
    return new TrainerBuilder(model);
  }

  /** Trains up to the configured epochs (continuing from the current step), evaluating after each epoch. */
  public Summary fit() {
    return fitUntil(settings.epochs);
  }

  /**
   * Trains with the full run's schedules but stops after epoch {@code endEpoch} (exclusive): what a run
   * that is interrupted there has done, for tests and for training in several sittings.
   */
  public Summary fitUntil(int endEpoch) {
    if (endEpoch < 1 || endEpoch > settings.epochs) {
      throw new IllegalArgumentException("endEpoch must be in [1, " + settings.epochs + "], got " + endEpoch);
    }
    Objects.requireNonNull(settings.trainData, "training data");
    stopReason = null;
    return new TrainingLoop(this, settings, graph, evaluator, folder, restartNavigation).run(endEpoch);
  }

  /**
   * Asks the running {@link #fit} to stop after the current step's listeners (an {@link EarlyStopping}, a
   * listener with a budget): the epoch ends there, is evaluated and checkpointed, and {@code fit} returns a
   * summary carrying {@code reason}.
   */
  public void stop(String reason) {
    stopReason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the current or last run was stopped early, if it was. */
  public Optional<String> stopReason() {
    return Optional.ofNullable(stopReason);
  }

  /**
   * The learning-rate range test ({@link LearningRateFinder}) on the training data, at rates from
   * {@code from} to {@code to} over at most {@code steps} steps. It trains this trainer's variables: use a
   * fresh trainer for the real run.
   */
  public LearningRateFinder.Result findLearningRate(double from, double to, int steps) {
    Objects.requireNonNull(settings.trainData, "training data");
    return LearningRateFinder.run(this, settings.trainData, settings.batchSize, settings.threads, settings.seed,
        (float) model().navigationTraining().temperatureFrom(), from, to, steps);
  }

  /**
   * Runs one optimizer step on {@code batch} ({@link TrainingGraph#step}).
   *
   * @param noiseKey keys the step's dropout and Gumbel noise (the trainer passes the step number)
   */
  public Step step(ClipBatch batch, float learningRate, float temperature, float curriculum, long noiseKey) {
    return graph.step(batch, learningRate, temperature, curriculum, noiseKey);
  }

  /** Evaluates the inference build (deterministic, frames really skipped) on {@code data}, one view per video. */
  public ClassificationMetrics evaluate(VideoDataset data) {
    return evaluate(data, 1, 1);
  }

  /** Evaluates {@code clips × crops} views of every video ({@link Evaluator#evaluate}). */
  public ClassificationMetrics evaluate(VideoDataset data, int clips, int crops) {
    return evaluator.evaluate(data, clips, crops, false).metrics();
  }

  /**
   * {@link #evaluate(VideoDataset, int, int)} with the per-video records and, when the model has a conditional
   * exit, the accuracy-versus-expected-GFLOPs curve ({@link Evaluator#exitCurve}), its thresholds fitted on the
   * {@linkplain TrainerBuilder#exitCalibration calibration set} (default: evenly spaced training clips, as the
   * official code fits on the training set).
   */
  public Evaluation evaluateWithExit(VideoDataset data, int clips, int crops) {
    return evaluateWithExit(data, clips, crops, exitCalibration());
  }

  /** As {@link #evaluateWithExit(VideoDataset, int, int)} with the thresholds fitted on {@code calibration} (null: no curve). */
  public Evaluation evaluateWithExit(VideoDataset data, int clips, int crops, VideoDataset calibration) {
    boolean exit = evaluator.hasExit() && calibration != null && calibration.size() > 0;
    Evaluation e = evaluator.evaluate(data, clips, crops, exit);
    return exit ? e.withExitCurve(evaluator.exitCurve(e, calibration)) : e;
  }

  /** The calibration set: the configured one, else at most {@code exitCalibrationClips} evenly spaced training clips. */
  VideoDataset exitCalibration() {
    if (settings.exitCalibration != null) {
      return settings.exitCalibration;
    }
    return settings.trainData == null || settings.exitCalibrationClips == 0
        ? null : settings.trainData.strided(settings.exitCalibrationClips);
  }

  /**
   * Saves a checkpoint of the current step now (the run directory must be set), unless a weight is NaN or
   * infinite: a poisoned state never replaces a good one ({@link TrainingDivergedException}).
   *
   * @throws UncheckedIOException when the checkpoint cannot be written (the message names the file; nothing of
   *     it is kept and the latest complete checkpoint is untouched)
   */
  public Checkpoint saveCheckpoint(Map<String, Double> metrics) {
    return folder.save(metrics);
  }

  /**
   * Restores the latest checkpoint of the run directory, if any, with everything training needs (the
   * optimizer's state included); returns its step.
   *
   * @throws UncheckedIOException whose cause is an {@link ArtefactException} when the checkpoint belongs to
   *     another network or optimizer, does not fit the graph or is damaged (the message names the variable and
   *     both shapes, or the file)
   */
  public Optional<Long> resume() {
    return folder.restore(true).map(c -> step());
  }

  /**
   * Restores only the network's variables (weights and moving statistics, not the optimizer's state) of the
   * latest checkpoint: what evaluation and export need, whatever optimizer trained the run.
   *
   * @return the restored checkpoint (its step and, when recorded, the run's class names and pre-processing)
   */
  public Optional<Checkpoint> restoreModel() {
    return folder.restore(false);
  }

  /** The model being trained. */
  public VideoModel model() {
    return settings.model;
  }

  /** The global step (0 before training). */
  public long step() {
    return graph.globalStep();
  }

  /** The model, losses and optimizer, and the session holding the variables. */
  public TrainingGraph trainingGraph() {
    return graph;
  }

  /** What evaluates the inference build. */
  public Evaluator evaluator() {
    return evaluator;
  }

  /** The session holding the variables (for export). */
  public Session session() {
    return graph.session();
  }

  /** The graph (training and inference builds). */
  public Graph graph() {
    return graph.graph();
  }

  /** The store of the network's parameters. */
  public ParameterStore store() {
    return graph.store();
  }

  /** The validation data, or null. */
  public VideoDataset validationData() {
    return settings.validationData;
  }

  /** The listeners in the order they hear events: the builder's, then the defaults not removed. */
  public List<TrainingListener> listeners() {
    return listeners;
  }

  /** The first listener of {@code type}, if the trainer has one. */
  public <L extends TrainingListener> Optional<L> listener(Class<L> type) {
    return listeners.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** What the first {@link TrainerBuilder#initialWeights} loaded, re-initialised and ignored; empty without a pretrained start. */
  public Optional<ImportReport> initialWeightsReport() {
    return initialWeightsReports.stream().findFirst();
  }

  /** One report per {@link TrainerBuilder#initialWeights} file, in the order they were given (and loaded). */
  public List<ImportReport> initialWeightsReports() {
    return initialWeightsReports;
  }

  /** What the run is made of (null without training data: an evaluation or export trainer). */
  public RunInfo runInfo() {
    return folder.runInfo();
  }

  @Override
  public void close() {
    graph.close();
  }
}
