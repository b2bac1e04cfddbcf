package io.saccade.cli;

import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code saccade train}: train a network, with checkpoints and TensorBoard files in a run folder. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a network on the embedded dataset or on frame folders; --resume continues a killed run.")
final class TrainCommand implements Callable<Integer> {

  @Option(names = {"-n", "--network"}, required = true, description = "Network name, e.g. AfResNet50Tsm.")
  String network;

  @Option(names = "--run", defaultValue = "runs/train", description = "Run folder: checkpoints/ and tensorboard/ (default ${DEFAULT-VALUE}).")
  Path run;

  @Option(names = "--resume", description = "Continue from the run folder's latest checkpoint (same step, schedule, optimizer state and data order).")
  boolean resume;

  @Mixin TrainingOptions training;

  @ArgGroup(exclusive = false, heading = "Data:%n") DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    VideoModel model = NetworkRegistry.find(network);
    try (Trainer trainer = training.trainer(model, data.train(model), data.validation(model), run).build()) {
      if (resume) {
        long step = trainer.resume().orElseThrow(() -> new IllegalArgumentException("--resume: no checkpoint in " + run.resolve("checkpoints")));
        System.out.println("resumed " + model.name() + " at step " + step);
      }
      if (!resume) {
        trainer.initialWeightsReports().forEach(System.out::println);
      } else if (!training.init.isEmpty()) {
        System.out.println("note: --init is ignored: the run continues from its checkpoint");
      }
      // A diverged run (bad data or a rate too high, not a bug) exits with 3 through ExitCode.
      Trainer.Summary s = trainer.fit();
      if (s.stopReason() != null) {
        System.out.println("stopped early: " + s.stopReason());
      }
      ClassificationMetrics v = s.validation();
      System.out.printf(
          Locale.ROOT,
          "TRAINED model=%s steps=%d loss=%.4f top1=%s gflops=%s skipped=%d run=%s%n",
          model.name(),
          s.steps(),
          s.lastLoss(),
          v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v.top1()),
          v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v.gflopsPerClip()),
          s.skippedSamples(),
          run);
      if (s.exitCurve() != null) {
        System.out.print(s.exitCurve().report());
      }
    }
    return 0;
  }
}
