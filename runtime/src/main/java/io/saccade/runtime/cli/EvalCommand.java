package io.saccade.runtime.cli;

import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code saccade eval}: top-1/5, per-class accuracy, confusion, selection ratios and dynamic GFLOPs. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a trained run on the validation data.")
final class EvalCommand implements Callable<Integer> {

  @Option(names = {"-n", "--network"}, required = true, description = "Network name.")
  String network;

  @Option(names = "--run", required = true, description = "Run folder whose latest checkpoint to evaluate.")
  Path run;

  @Option(names = "--batch", defaultValue = "16", description = "Clips per batch (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--clips", defaultValue = "1", description = "Temporal clips per video (default ${DEFAULT-VALUE}).")
  int clips;

  @Option(names = "--crops", defaultValue = "1", description = "Spatial crops per clip (default ${DEFAULT-VALUE}).")
  int crops;

  @ArgGroup(exclusive = false, heading = "Data:%n") DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    VideoModel model = NetworkRegistry.find(network);
    VideoDataset val = data.validation(model);
    if (val == null) {
      throw new IllegalArgumentException("--val-list is required with --root");
    }
    try (Trainer trainer = Trainer.builder(model).batchSize(batch).progress(false).runDirectory(run).build()) {
      long step =
          trainer.resume().orElseThrow(() -> new IllegalArgumentException("no checkpoint in " + run.resolve("checkpoints")));
      ClassificationMetrics m = trainer.evaluate(val, clips, crops);
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
    }
    return 0;
  }
}
