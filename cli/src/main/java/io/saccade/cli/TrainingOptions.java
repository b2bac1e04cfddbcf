package io.saccade.cli;

import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Adam;
import io.saccade.runtime.train.EarlyStopping;
import io.saccade.runtime.train.RatioCurriculum;
import io.saccade.runtime.train.SgdMomentum;
import io.saccade.runtime.train.Trainer;
import io.saccade.runtime.train.TrainerBuilder;
import io.saccade.runtime.interop.PretrainedWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that train. */
final class TrainingOptions {

  @Option(names = "--epochs", defaultValue = "12", description = "Epochs (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch", defaultValue = "16", description = "Clips per batch (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", description = "Base learning rate (default: 0.001 from scratch, 0.003 for an AFNet from scratch, 0.01 with --init; saccade lr-find suggests one).")
  Double learningRate;

  @Option(names = "--optimizer", description = "sgd (momentum 0.9, the papers' fine-tuning recipe; default with --init) or adam (default from scratch).")
  String optimizer;

  @Option(
      names = "--init",
      paramLabel = "[PART=]FILE",
      description = "Start from pretrained weights (.npz or .safetensors: torchvision/timm ResNet-50/101, MobileNetV2/V3, official"
          + " AFNet or AdaFocusV2); a classifier for another class count is re-initialised, the report says what loaded. An AdaFocusV2"
          + " takes one file per encoder: --init global=mobilenet_v2.npz --init local=resnet50.npz.")
  List<String> init = new ArrayList<>();

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

  @Option(
      names = "--early-stop",
      paramLabel = "EPOCHS",
      description = "Stop when validation top-1 has not improved for EPOCHS epochs (default: run every epoch).")
  Integer earlyStop;

  @Option(
      names = "--devices",
      description = "Train on N devices in one graph: the batch split across N replicas, their gradients averaged (default:"
          + " every GPU TensorFlow sees, else one; without a GPU, N CPU devices sharing the host's cores).")
  Integer devices;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Option(
      names = "--keep-margin",
      description = "Start AFNet's navigation with 'keep' this many logits above 'skip' (default: as declared; from scratch,"
          + " where the declaration has the official 9, every frame is kept until the ratio curriculum begins, then 2).")
  Float keepMargin;

  @Option(
      names = "--ratio-weight",
      description = "Weight λ of AFNet's ratio loss CE + λ·mean_l (rt − kept_l)² (default: 4 from scratch where the declaration"
          + " has the official 0.5, as declared with --init).")
  Double ratioWeight;

  @Option(
      names = "--ratio-curriculum",
      paramLabel = "BEGIN:END",
      description = "Epochs of AFNet's ratio curriculum: every frame kept before BEGIN, the target ratio from END, two steps between"
          + " (default: from scratch 40 %% and two thirds of --epochs, 5:8 of 12; with --init the official 10:20 of 55, scaled).")
  String ratioCurriculum;

  TrainerBuilder trainer(VideoModel model, VideoDataset train, VideoDataset validation, Path run) throws IOException {
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("--checkpoint-every must be a number of steps >= 1 (0: at epoch ends only), got " + checkpointEvery);
    }
    if (devices != null && devices < 1) {
      throw new IllegalArgumentException("--devices must be >= 1, got " + devices);
    }
    if (devices != null && batch % devices != 0) {
      throw new IllegalArgumentException("--batch " + batch + " does not split evenly across --devices " + devices
          + "; use a batch that is a multiple of " + devices);
    }
    if (earlyStop != null && earlyStop < 1) {
      throw new IllegalArgumentException("--early-stop must be a number of epochs >= 1, got " + earlyStop);
    }
    TrainerBuilder b =
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
    if (devices != null) {
      b.devices(devices);
    }
    if (earlyStop != null) {
      b.listener(EarlyStopping.onTop1(earlyStop));
    }
    if (learningRate != null) {
      b.learningRate(learningRate);
    }
    if (annealEpochs != null) {
      b.temperatureAnnealEpochs(annealEpochs);
    }
    for (String file : init) {
      b.initialWeights(initialWeights(file));
    }
    if (keepMargin != null) {
      b.navigationKeepMargin(keepMargin);
    }
    if (ratioWeight != null) {
      b.ratioLossWeight(ratioWeight);
    }
    if (ratioCurriculum != null) {
      b.curriculum(curriculum(ratioCurriculum));
    }
    switch (optimizer != null ? optimizer : !init.isEmpty() ? "sgd" : "adam") {
      case "sgd" -> b.optimizer(
          SgdMomentum.builder().momentum(0.9f).weightDecay(weightDecay).clipNorm(clipNorm).build());
      case "adam" -> b.optimizer(Adam.builder().weightDecay(weightDecay).clipNorm(clipNorm).build());
      default -> throw new IllegalArgumentException("--optimizer must be sgd or adam, got '" + optimizer + "'");
    }
    return b;
  }

  /** {@code FILE}, or {@code PART=FILE} for one encoder ({@code global}, {@code local}) of an AdaFocusV2. */
  static PretrainedWeights initialWeights(String spec) throws IOException {
    int eq = spec.indexOf('=');
    if (eq > 0 && spec.substring(0, eq).matches("[A-Za-z0-9_]+")) {
      return PretrainedWeights.read(Path.of(spec.substring(eq + 1))).under(spec.substring(0, eq));
    }
    return PretrainedWeights.read(Path.of(spec));
  }

  /** {@code BEGIN:END} as a curriculum of the remaining fraction (rt = RT + (1 − RT)·c). */
  static RatioCurriculum curriculum(String text) {
    String[] parts = text.split(":", -1);
    try {
      if (parts.length == 2) {
        return new RatioCurriculum(0, Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // reported below
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--ratio-curriculum " + text + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("--ratio-curriculum must be BEGIN:END in epochs, e.g. 3:6, got '" + text + "'");
  }
}
