package io.saccade.runtime.train;

import io.saccade.runtime.blocks.Navigation;
import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.data.ClipLoader;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.metrics.ExitCurve;
import io.saccade.runtime.model.NavigationTraining;
import io.saccade.runtime.nn.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.op.Ops;

/**
 * One {@link Trainer#fit}: epochs of steps from background loader threads, the learning-rate and temperature
 * schedules and AFNet's ratio curriculum set per step (from scratch, the navigation decisions restarted when
 * the curriculum begins), an evaluation after each epoch, and every event told to the listeners.
 */
final class TrainingLoop {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final Trainer trainer;
  private final TrainingSettings settings;
  private final TrainingGraph graph;
  private final Evaluator evaluator;
  private final RunFolder folder;
  private final List<Parameter> restartNavigation;
  private final List<TrainingListener> listeners;
  private final String name;
  private final boolean drawsExitCurve;

  TrainingLoop(Trainer trainer, TrainingSettings settings, TrainingGraph graph, Evaluator evaluator, RunFolder folder,
      List<Parameter> restartNavigation) {
    this.trainer = trainer;
    this.settings = settings;
    this.graph = graph;
    this.evaluator = evaluator;
    this.folder = folder;
    this.restartNavigation = restartNavigation;
    this.listeners = trainer.listeners();
    this.name = settings.model.name();
    this.drawsExitCurve = trainer.listener(ExitCurveListener.class).isPresent();
  }

  Trainer.Summary run(int endEpoch) {
    try (ClipLoader loader = ClipLoader.builder(settings.trainData).batchSize(settings.batchSize)
        .threads(settings.threads).training(true).seed(settings.seed).build()) {
      long stepsPerEpoch = loader.batchesPerEpoch();
      if (stepsPerEpoch < 1) {
        throw new IllegalArgumentException("the training set has " + settings.trainData.size()
            + " clips, fewer than one batch of " + settings.batchSize);
      }
      folder.writeRunInfo();
      listeners.forEach(l -> l.onTrainingStart(trainer));
      Trainer.Summary summary = loop(loader, stepsPerEpoch, endEpoch);
      listeners.forEach(l -> l.onTrainingEnd(trainer, summary));
      return summary;
    } catch (RuntimeException e) {
      listeners.forEach(l -> l.onTrainingFailed(trainer, e));
      throw e;
    } catch (IOException e) {
      UncheckedIOException failure = new UncheckedIOException(e.getMessage(), e);
      listeners.forEach(l -> l.onTrainingFailed(trainer, failure));
      throw failure;
    }
  }

  private Trainer.Summary loop(ClipLoader loader, long stepsPerEpoch, int endEpoch) throws IOException {
    LearningRateSchedule lr = settings.learningRate.apply(stepsPerEpoch);
    NavigationTraining nav = settings.model.navigationTraining();
    int annealEpochs = AnnealLength.epochs(nav, settings.annealEpochs);
    AnnealLength.shortRunWarning(nav, annealEpochs, settings.epochs, settings.annealEpochs > 0)
        .ifPresent(w -> LOG.warn("{}: {}", name, w));
    TemperatureSchedule tau =
        TemperatureSchedule.exponential(nav.temperatureFrom(), nav.temperatureTo(), annealEpochs * stepsPerEpoch);
    RatioCurriculum remaining = TrainingRecipe.curriculum(settings);
    long step = graph.globalStep();
    long skipped = 0;
    double lastLoss = Double.NaN;
    ClassificationMetrics lastEval = null;
    for (int epoch = (int) (step / stepsPerEpoch); epoch < endEpoch && trainer.stopReason().isEmpty(); epoch++) {
      EpochReport report = new EpochReport();
      int start = (int) (step - (long) epoch * stepsPerEpoch);
      if (!restartNavigation.isEmpty() && epoch == remaining.beginEpoch() && start == 0) {
        // From scratch: the backbone learned with every frame kept; now the decisions become movable.
        Navigation.restartKeepMargin(graph.session(), Ops.create(graph.graph()), restartNavigation,
            TrainingRecipe.FROM_SCRATCH_KEEP_MARGIN);
        LOG.info("{}: epoch {}: the ratio curriculum begins; {} navigation decisions restart {} logits towards keep",
            name, epoch + 1, restartNavigation.size(), TrainingRecipe.FROM_SCRATCH_KEEP_MARGIN);
      }
      TrainingListener.Progress at;
      try (ClipLoader.Epoch batches = loader.epoch(epoch, start)) {
        long t0 = System.nanoTime();
        int seen = 0;
        at = progress(epoch, stepsPerEpoch, start, 0, lr.at(step), tau.at(step));
        for (TrainingListener l : listeners) {
          l.onEpochStart(at);
        }
        while (batches.hasNext() && trainer.stopReason().isEmpty()) {
          ClipBatch batch = batches.next();
          long before = step;
          Trainer.Step st = graph.step(batch, (float) lr.at(before), (float) tau.at(before), (float) remaining.at(epoch), before);
          if (!Double.isFinite(st.loss())) {
            LOG.error("{}: loss {} at step {}; stopping", name, st.loss(), st.step());
            throw folder.diverged(st, batch);
          }
          step = st.step();
          lastLoss = st.loss();
          report.add(st);
          seen += batch.size();
          double rate = seen / ((System.nanoTime() - t0) / 1e9);
          at = progress(epoch, stepsPerEpoch, step - (long) epoch * stepsPerEpoch, rate, lr.at(before), tau.at(before));
          for (TrainingListener l : listeners) {
            l.onStep(at, st);
          }
        }
        for (TrainingListener l : listeners) {
          l.onEpochEnd(at);
        }
        skipped += batches.skipped();
        if (batches.skipped() > 0) {
          LOG.warn("epoch {}: {}", epoch, batches.report());
        }
        Evaluation validation = null;
        if (settings.validationData != null) {
          // Per-step logits too when the exit curve is drawn (from the run's last evaluation).
          validation = evaluator.evaluate(settings.validationData, 1, 1, drawsExitCurve);
          lastEval = validation.metrics();
        }
        TrainingListener.EpochResult result = report.result(validation, batches.skipped());
        for (TrainingListener l : listeners) {
          l.onEpochResult(at, result);
        }
      }
    }
    if (trainer.stopReason().isPresent()) {
      LOG.info("{}: stopped at step {}: {}", name, step, trainer.stopReason().get());
    }
    ExitCurve curve = trainer.listener(ExitCurveListener.class).flatMap(ExitCurveListener::curve).orElse(null);
    return new Trainer.Summary(step, lastLoss, lastEval, skipped, curve, trainer.stopReason().orElse(null));
  }

  private TrainingListener.Progress progress(int epoch, long stepsPerEpoch, long stepInEpoch, double rate,
      double learningRate, double temperature) {
    return new TrainingListener.Progress(
        name, epoch, settings.epochs, stepsPerEpoch, stepInEpoch, rate, learningRate, temperature);
  }
}
