package io.saccade.cli;

import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Adam;
import io.saccade.runtime.train.SgdMomentum;
import io.saccade.runtime.train.Trainer;
import io.saccade.runtime.interop.PretrainedWeights;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that train. */
final class TrainingOptions {

  @Option(names = "--epochs", defaultValue = "12", description = "Epochs (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch", defaultValue = "16", description = "Clips per batch (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", description = "Base learning rate (default: 0.001 from scratch, 0.01 with --init; saccade lr-find suggests one).")
  Double learningRate;

  @Option(names = "--optimizer", description = "sgd (momentum 0.9, the papers' fine-tuning recipe; default with --init) or adam (default from scratch).")
  String optimizer;

  @Option(names = "--init", description = "Start from pretrained weights (.npz or .safetensors: torchvision/timm ResNet-50/101, MobileNetV2/V3, official AFNet); a classifier for another class count is re-initialised, the report says what loaded.")
  Path init;

  @Option(names = "--anneal-epochs", description = "Overrides the declared @Anneal(epochs): epochs of the Gumbel temperature anneal (default: as declared).")
  Integer annealEpochs;

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

  Trainer.Builder trainer(VideoModel model, VideoDataset train, VideoDataset validation, Path run) throws IOException {
    Trainer.Builder b =
        Trainer.builder(model)
            .trainData(train)
            .validationData(validation)
            .epochs(epochs)
            .batchSize(batch)
            .threads(threads)
            .seed(seed)
            .checkpointEvery(checkpointEvery)
            .runDirectory(run);
    if (!quiet) {
      b.listener(new ProgressBarListener());
    }
    if (learningRate != null) {
      b.learningRate(learningRate);
    }
    if (annealEpochs != null) {
      b.temperatureAnnealEpochs(annealEpochs);
    }
    if (init != null) {
      b.initialWeights(PretrainedWeights.read(init));
    }
    if (keepMargin != null) {
      b.navigationKeepMargin(keepMargin);
    }
    switch (optimizer != null ? optimizer : init != null ? "sgd" : "adam") {
      case "sgd" -> b.optimizer(
          SgdMomentum.builder().momentum(0.9f).weightDecay(weightDecay).clipNorm(clipNorm).build());
      case "adam" -> b.optimizer(Adam.builder().weightDecay(weightDecay).clipNorm(clipNorm).build());
      default -> throw new IllegalArgumentException("--optimizer must be sgd or adam, got '" + optimizer + "'");
    }
    return b;
  }
}
