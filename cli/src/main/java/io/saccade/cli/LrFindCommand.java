package io.saccade.cli;

import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.LearningRateFinder;
import io.saccade.runtime.train.Trainer;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code saccade lr-find}: the learning-rate range test on the training data, before a real run. */
@Command(
    name = "lr-find",
    mixinStandardHelpOptions = true,
    description = {
      "Learning-rate range test: one step per batch at rates rising exponentially from --from to --to, until the loss runs away;",
      "suggests the rate where the loss falls fastest. Takes the same network, optimizer and data options as train;",
      "writes nothing. Then: saccade train ... --lr <suggested>."
    })
final class LrFindCommand implements Callable<Integer> {

  @Option(names = {"-n", "--network"}, required = true, description = "Network name, e.g. AfResNet50Tsm.")
  String network;

  @Option(names = "--from", defaultValue = "1e-6", description = "Lowest learning rate (default ${DEFAULT-VALUE}).")
  double from;

  @Option(names = "--to", defaultValue = "1", description = "Highest learning rate (default ${DEFAULT-VALUE}).")
  double to;

  @Option(names = "--steps", defaultValue = "100", description = "Steps, at most (default ${DEFAULT-VALUE}).")
  int steps;

  @Mixin TrainingOptions training;

  @ArgGroup(exclusive = false, heading = "Data:%n") DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    VideoModel model = NetworkRegistry.find(network);
    try (Trainer probe = training.trainer(model, data.train(model), null, null).build()) {
      LearningRateFinder.Result r = probe.findLearningRate(from, to, steps);
      System.out.print(r.report());
      System.out.printf(Locale.ROOT, "LRFIND model=%s steps=%d suggested=%s%n", model.name(), r.points().size(),
          Double.isNaN(r.suggested()) ? "none" : String.format(Locale.ROOT, "%.3g", r.suggested()));
    }
    return 0;
  }
}
