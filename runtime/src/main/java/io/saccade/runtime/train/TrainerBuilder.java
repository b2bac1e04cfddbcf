package io.saccade.runtime.train;

import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.interop.PretrainedWeights;
import io.saccade.runtime.model.VideoModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Configures a {@link Trainer}. Its defaults depend on the start: from scratch (random initial weights),
 * Adam at {@value TrainingRecipe#FROM_SCRATCH_LEARNING_RATE} ({@value TrainingRecipe#FROM_SCRATCH_AFNET_LEARNING_RATE} for an AFNet), which makes a
 * declared network learn a small dataset; from
 * {@link #initialWeights pretrained weights}, the papers' fine-tuning recipe, SGD with momentum 0.9 at
 * {@value TrainingRecipe#FINE_TUNING_LEARNING_RATE}. Both: weight decay 5e-4 (not on batch norm and biases), gradient
 * clipping at norm 20, one warm-up epoch then cosine, batch 8, 1 epoch, seed 0.
 *
 * <p>AFNet's navigation from scratch: where a declaration leaves the official keep margin 9 and ratio-loss
 * weight 0.5 (which keep every frame for the tens of epochs of the official fine-tuning), the backbone first
 * learns with every frame kept; when the ratio curriculum begins (40 % of the run) the decisions restart
 * {@value TrainingRecipe#FROM_SCRATCH_KEEP_MARGIN} logits towards keep and λ is
 * {@value TrainingRecipe#FROM_SCRATCH_RATIO_LOSS_WEIGHT}, so that a run of a dozen epochs learns to drop frames
 * ({@link TrainingRecipe}); with pretrained weights the declaration holds. {@link #navigationKeepMargin},
 * {@link #ratioLossWeight} and {@link #curriculum} set each explicitly.
 *
 * <p>Listeners: {@link #listener} adds one (heard first, in the order added); the defaults follow —
 * {@link LoggingListener}, {@link ExitCurveListener} and, with a {@link #runDirectory}, {@link TensorBoardListener}
 * and {@link CheckpointListener} — and {@link #withoutListener} removes any of them.
 */
public final class TrainerBuilder {
  private final TrainingSettings s = new TrainingSettings();
  private Double baseLearningRate;

  TrainerBuilder(VideoModel model) {
    s.model = Objects.requireNonNull(model, "model");
  }

  public TrainerBuilder trainData(VideoDataset data) {
    s.trainData = data;
    return this;
  }

  public TrainerBuilder validationData(VideoDataset data) {
    s.validationData = data;
    return this;
  }

  public TrainerBuilder epochs(int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    s.epochs = epochs;
    return this;
  }

  /** Clips per training batch (static in the training graph). */
  public TrainerBuilder batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    s.batchSize = batchSize;
    return this;
  }

  /** Decoding threads of the loaders. */
  public TrainerBuilder threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    s.threads = threads;
    return this;
  }

  /**
   * Trains on {@code n} devices in one graph (in-graph data parallelism): one replica of the training build per
   * device, each batch split evenly across them (the batch size must be a multiple of {@code n}), each replica's
   * backward pass on its own device, the gradients averaged (weighted by each part's valid clips, so the step is
   * the whole batch's) on the first device and one update applied. Batch norm normalises each replica's part with
   * its own statistics, and the moving averages follow replica 0's, as PyTorch's DistributedDataParallel does by
   * default; AFNet's ratio loss is each replica's own, averaged. The devices are the first {@code n} GPUs, or on a
   * machine without one {@code n} CPU devices (they share the host's cores: useful to check a replicated run,
   * not faster). Validation and export use one device. Default: every GPU TensorFlow sees, else one device.
   */
  public TrainerBuilder devices(int n) {
    s.devices = Devices.of(n);
    return this;
  }

  /** Seed of the initial weights, the data order and the training noise. */
  public TrainerBuilder seed(long seed) {
    s.seed = seed;
    return this;
  }

  /**
   * The optimizer. Default: from scratch, {@link #fromScratchOptimizer() Adam} (weight decay 5e-4,
   * clipping 20); with {@link #initialWeights pretrained weights}, the papers' fine-tuning recipe,
   * {@link #fineTuningOptimizer() SGD} with momentum 0.9 (weight decay 5e-4, clipping 20).
   */
  public TrainerBuilder optimizer(Optimizer optimizer) {
    s.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    return this;
  }

  /**
   * Base learning rate of the default schedule (warm-up over one epoch or a fifth of the run, then cosine
   * to 1 % of it). Default: {@value TrainingRecipe#FROM_SCRATCH_LEARNING_RATE} from scratch ({@value
   * TrainingRecipe#FROM_SCRATCH_AFNET_LEARNING_RATE} for an AFNet), {@value
   * TrainingRecipe#FINE_TUNING_LEARNING_RATE} with pretrained weights.
   */
  public TrainerBuilder learningRate(double base) {
    if (!(base > 0)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + base);
    }
    baseLearningRate = base;
    return this;
  }

  /** A schedule made from the number of steps per epoch (known once the data is). */
  public TrainerBuilder learningRateSchedule(LongFunction<LearningRateSchedule> schedule) {
    s.learningRate = Objects.requireNonNull(schedule, "schedule");
    return this;
  }

  /**
   * Overrides the declared anneal length ({@code @Anneal(epochs)}, the model's
   * {@code navigationTraining().annealEpochs()}, used when this is not called).
   */
  public TrainerBuilder temperatureAnnealEpochs(int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("anneal epochs must be >= 1, got " + epochs);
    }
    s.annealEpochs = epochs;
    return this;
  }

  /**
   * The ratio curriculum as the remaining fraction c (rt = RT + (1 − RT)·c): a curriculum with target
   * 0. Default: from scratch, 40 % and two thirds of the run; with pretrained weights, the official epochs 10
   * and 20 of 55, scaled to the training length ({@link TrainingRecipe}).
   */
  public TrainerBuilder curriculum(RatioCurriculum remainingFraction) {
    s.curriculum = remainingFraction;
    return this;
  }

  /** Where checkpoints ({@code checkpoints/}) and TensorBoard files ({@code tensorboard/}) go. */
  public TrainerBuilder runDirectory(Path dir) {
    s.runDirectory = dir;
    return this;
  }

  /** Checkpoints kept besides the best (default 3). */
  public TrainerBuilder keepLast(int keep) {
    s.keepLast = keep;
    return this;
  }

  /** Also checkpoint every {@code steps} steps (default: only at epoch ends). */
  public TrainerBuilder checkpointEvery(long steps) {
    s.checkpointEvery = steps;
    return this;
  }

  /**
   * Starts every navigation decision with "keep" {@code margin} logits above "skip" instead of the
   * declared {@code @Navigation(keepMargin)} (official 9: biases 1 and 10), so that short runs can learn
   * to drop frames; a restored checkpoint overrides it. Applied when the graph is built
   * ({@link io.saccade.runtime.blocks.AfOptions#withKeepMargin}).
   */
  public TrainerBuilder navigationKeepMargin(float margin) {
    if (!(margin > 0) || Float.isInfinite(margin)) {
      throw new IllegalArgumentException("keep margin must be finite and > 0 (every frame starts kept), got " + margin);
    }
    s.keepMargin = margin;
    return this;
  }

  /**
   * Overrides the declared weight λ of AFNet's ratio loss ({@code @Navigation(lossWeight)}, official 0.5):
   * {@code CE + λ·(1/L)·Σ_l (rt − kept_l)²}. A larger λ reaches the target ratio sooner.
   */
  public TrainerBuilder ratioLossWeight(double lambda) {
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("ratio loss weight must be finite and >= 0, got " + lambda);
    }
    s.ratioLossWeight = lambda;
    return this;
  }

  /**
   * The clips the conditional exit's thresholds are fitted on ({@link Trainer#evaluateWithExit}); default:
   * at most {@link #exitCalibrationClips} evenly spaced training clips (the official code fits on the
   * training set). Evaluated with the inference build, one centre view per video.
   */
  public TrainerBuilder exitCalibration(VideoDataset data) {
    s.exitCalibration = data;
    return this;
  }

  /**
   * How many evenly spaced training clips the default calibration set takes (default 2048; 0: no exit
   * curve unless {@link #exitCalibration} is set; {@link Integer#MAX_VALUE}: the whole training set).
   */
  public TrainerBuilder exitCalibrationClips(int clips) {
    if (clips < 0) {
      throw new IllegalArgumentException("exit calibration clips must be >= 0, got " + clips);
    }
    s.exitCalibrationClips = clips;
    return this;
  }

  /** Adds a listener that hears every epoch and step, before the default listeners. */
  public TrainerBuilder listener(TrainingListener listener) {
    s.listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Starts from pretrained weights (an ImageNet backbone, an official AFNet checkpoint) instead of the
   * random initialisation; a classifier for another number of classes keeps its initial values. Checked and
   * loaded when the trainer is built ({@link Trainer#initialWeightsReports}); {@link Trainer#resume} then
   * overrides it with the run's checkpoint. Call it once per file: an AdaFocusV2 starts its two encoders
   * from two files, {@code initialWeights(mobileNetV2.under("global")).initialWeights(resNet50.under("local"))}.
   */
  public TrainerBuilder initialWeights(PretrainedWeights weights) {
    s.initialWeights.add(Objects.requireNonNull(weights, "weights"));
    return this;
  }

  /** The default optimizer from scratch: Adam, weight decay 5e-4, gradient clipping 20. */
  public static Optimizer fromScratchOptimizer() {
    return Adam.builder().weightDecay(5e-4f).clipNorm(20f).build();
  }

  /** The default optimizer from pretrained weights (the papers'): SGD, momentum 0.9, weight decay 5e-4, clipping 20. */
  public static Optimizer fineTuningOptimizer() {
    return SgdMomentum.builder().momentum(0.9f).weightDecay(5e-4f).clipNorm(20f).build();
  }

  /**
   * Removes a default listener: {@link LoggingListener} and {@link ExitCurveListener} (every trainer),
   * {@link TensorBoardListener} and {@link CheckpointListener} (with a run directory). A listener added with
   * {@link #listener} is never removed by this.
   */
  public TrainerBuilder withoutListener(Class<? extends TrainingListener> defaultListener) {
    s.removedDefaults.add(Objects.requireNonNull(defaultListener, "defaultListener"));
    return this;
  }

  public Trainer build() {
    if (s.optimizer == null) {
      s.optimizer = s.pretrained() ? fineTuningOptimizer() : fromScratchOptimizer();
    }
    if (s.learningRate == null) {
      double base = baseLearningRate != null ? baseLearningRate : TrainingRecipe.learningRate(s);
      int epochs = s.epochs;
      // Warm up for one epoch (at most a fifth of the run), then cosine down to 1 % of the base rate.
      s.learningRate =
          steps -> LearningRateSchedule.warmupCosine(base, Math.min(steps, steps * epochs / 5), steps * epochs, base * 0.01);
    }
    List<TrainingListener> listeners = new ArrayList<>(s.listeners);
    List<TrainingListener> defaults = new ArrayList<>(List.of(new LoggingListener(), new ExitCurveListener()));
    if (s.runDirectory != null) {
      defaults.add(new TensorBoardListener(s.runDirectory.resolve("tensorboard")));
      defaults.add(new CheckpointListener(s.checkpointEvery));
    }
    for (TrainingListener d : defaults) {
      if (s.removedDefaults.stream().noneMatch(c -> c.isInstance(d))) {
        listeners.add(d);
      }
    }
    return new Trainer(s, listeners);
  }
}
