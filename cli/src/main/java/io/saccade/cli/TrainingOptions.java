package io.saccade.cli;

import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Adam;
import io.saccade.runtime.train.SgdMomentum;
import io.saccade.runtime.train.Trainer;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that train. */
final class TrainingOptions {

  @Option(names = "--epochs", defaultValue = "12", description = "Epochs (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch", defaultValue = "16", description = "Clips per batch (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.01", description = "Base learning rate (default ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd (momentum 0.9, as the papers) or adam (default ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--weight-decay", defaultValue = "5e-4", description = "L2 weight decay, not on BN and biases (default ${DEFAULT-VALUE}).")
  float weightDecay;

  @Option(names = "--clip-norm", defaultValue = "20", description = "Gradient clipping by global norm, 0 for none (default ${DEFAULT-VALUE}).")
  float clipNorm;

  @Option(names = "--threads", defaultValue = "2", description = "Data loading threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of weights, data order and noise (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--checkpoint-every", defaultValue = "0", description = "Also checkpoint every N steps (default: at epoch ends only).")
  long checkpointEvery;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Option(
      names = "--keep-margin",
      description = "Start navigation with 'keep' this many logits above 'skip' (official: 9; about 1 lets short runs learn to drop frames).")
  Float keepMargin;

  Trainer.Builder trainer(VideoModel model, VideoDataset train, VideoDataset validation, Path run) {
    Trainer.Builder b =
        Trainer.builder(model)
            .trainData(train)
            .validationData(validation)
            .epochs(epochs)
            .batchSize(batch)
            .learningRate(learningRate)
            .threads(threads)
            .seed(seed)
            .checkpointEvery(checkpointEvery)
            .runDirectory(run);
    if (!quiet) {
      b.listener(new ProgressBarListener());
    }
    if (keepMargin != null) {
      b.navigationKeepMargin(keepMargin);
    }
    switch (optimizer) {
      case "sgd" -> b.optimizer(
          SgdMomentum.builder().momentum(0.9f).weightDecay(weightDecay).clipNorm(clipNorm).build());
      case "adam" -> b.optimizer(Adam.builder().weightDecay(weightDecay).clipNorm(clipNorm).build());
      default -> throw new IllegalArgumentException("--optimizer must be sgd or adam, got '" + optimizer + "'");
    }
    return b;
  }
}
