package io.saccade.cli;

import io.saccade.runtime.data.LabelMap;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.export.Preprocessing;
import io.saccade.runtime.metrics.AccuracyFlopsPlot;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.metrics.ExitCurve;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Evaluation;
import io.saccade.runtime.train.RunInfo;
import io.saccade.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code saccade eval}: top-1/5, per-class accuracy, confusion, selection ratios and dynamic GFLOPs; for a
 * network with a conditional exit (AdaFocusV2 {@code @ConditionalExit}) also the accuracy-versus-expected-
 * GFLOPs curve, thresholds fitted on training clips, as a table and as {@code EXIT p=… top1=… gflops=…} lines.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate a trained run on the validation data (with a conditional exit: its accuracy-vs-GFLOPs curve).")
final class EvalCommand implements Callable<Integer> {

  @Option(names = {"-n", "--network"}, description = "Network name (default: the one the run was trained with; if given, it must be that one).")
  String network;

  @Option(names = "--run", required = true, description = "Run folder whose latest checkpoint to evaluate.")
  Path run;

  @Option(names = "--batch", defaultValue = "16", description = "Clips per batch (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--clips", defaultValue = "1", description = "Temporal clips per video (default ${DEFAULT-VALUE}).")
  int clips;

  @Option(names = "--crops", defaultValue = "1", description = "Spatial crops per clip (default ${DEFAULT-VALUE}).")
  int crops;

  @Option(
      names = "--calibration-clips",
      defaultValue = "2048",
      description = "Conditional exit: evenly spaced training clips the thresholds are fitted on (default ${DEFAULT-VALUE}).")
  int calibrationClips;

  @Option(names = "--no-exit", description = "Skip the conditional-exit curve (no pass over training clips).")
  boolean noExit;

  @Option(names = "--plot", description = "Also write the accuracy-vs-GFLOPs figure (PNG) here.")
  Path plot;

  @ArgGroup(exclusive = false, heading = "Data:%n") DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    RunFolder folder = RunFolder.open(run);
    VideoModel model = folder.network(network);
    if (folder.info().isPresent()) {
      RunInfo info = folder.info().get();
      folder.classNames(data.labels, null, model); // a --labels map must be the run's
      data.runLabels = LabelMap.of(info.classNames());
      String source = info.preprocessing().source();
      if (data.root == null && !source.equals(Preprocessing.EMBEDDED) && !source.equals(Preprocessing.UNKNOWN)) {
        throw new IllegalArgumentException(run + " was trained on " + source + "; evaluate it on such data (--root, --val-list"
            + (source.equals(Preprocessing.VIDEO_FILES) ? ", --videos" : "") + "), not on the embedded dataset");
      }
    }
    VideoDataset val = data.validation(model);
    if (val == null) {
      throw new IllegalArgumentException("--val-list is required with --root");
    }
    if (calibrationClips < 1) {
      throw new IllegalArgumentException("--calibration-clips must be >= 1, got " + calibrationClips);
    }
    try (Trainer trainer = Trainer.builder(model).batchSize(batch).runDirectory(run).build()) {
      // Only the network's variables: evaluation needs no optimizer state, so any optimizer's run evaluates.
      long step =
          trainer.restoreModel().orElseThrow(() -> new IllegalArgumentException("no checkpoint in " + run.resolve("checkpoints"))).step();
      if (folder.info().isPresent() && !val.classNames().equals(folder.info().get().classNames())) {
        throw new IllegalArgumentException("the evaluation data's class names " + RunFolder.describe(val.classNames())
            + " are not the run's " + RunFolder.describe(folder.info().get().classNames()));
      }
      Evaluation e = null;
      if (trainer.trainingGraph().inferenceOutputs().exitScores() != null && !noExit) {
        if (data.root != null && data.trainList == null) {
          System.out.println("note: no --train-list, so no conditional-exit curve (its thresholds are fitted on training clips)");
        } else {
          e = trainer.evaluateWithExit(val, clips, crops, data.train(model).strided(calibrationClips));
        }
      }
      ClassificationMetrics m = e != null ? e.metrics() : trainer.evaluate(val, clips, crops);
      System.out.print(m.report(val.classNames()));
      System.out.printf(
          Locale.ROOT,
          "EVAL model=%s step=%d top1=%.4f top5=%.4f gflops=%.4f compile_time_gflops=%.4f%n",
          model.name(),
          step,
          m.top1(),
          m.top5(),
          m.gflopsPerClip(),
          model.summary().gflopsPerClip());
      ExitCurve curve = e == null ? null : e.exitCurve();
      if (curve != null) {
        System.out.print(curve.report());
      }
      if (plot != null) {
        AccuracyFlopsPlot figure = new AccuracyFlopsPlot(model.name() + " on " + val.size() + " videos");
        if (curve != null) {
          figure.curve(model.name() + " + exit", curve);
        } else {
          figure.point(model.name(), "step " + step, m.gflopsPerClip(), m.top1());
        }
        figure.write(plot);
        System.out.println("plot " + plot);
      }
    }
    return 0;
  }
}
