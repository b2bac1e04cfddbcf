package io.saccade.runtime.train;

import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.data.ClipLoader;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.interop.ImportReport;
import io.saccade.runtime.interop.PretrainedWeights;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.metrics.ConditionalExit;
import io.saccade.runtime.metrics.ExitCurve;
import io.saccade.runtime.metrics.TensorBoardWriter;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.blocks.Navigation;
import io.saccade.runtime.blocks.NavigationSpec;
import io.saccade.runtime.model.NavigationTraining;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.nn.Tensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Trains and evaluates any generated network: one graph holding a training build and an inference
 * build that share their variables, a loader feeding batches from background threads, the learning-rate
 * and temperature schedules, AFNet's ratio loss with its curriculum, checkpoints and TensorBoard.
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
 *
 * <p>Loss: mean cross-entropy of the clip logits over the valid rows of a batch, plus every auxiliary
 * head's, each with the weight the outputs give it ({@link Losses#outputsLoss}), plus
 * {@code λ·(1/L)·Σ_l (rt_l − mean(mask_l))²} over the navigation layers, where each layer's rt follows
 * the AFNet curriculum from 1 down to its declared RT. Training noise (dropout, Gumbel, random patches) is
 * keyed by the step, so a run resumed from a checkpoint continues exactly as the uninterrupted run.
 */
public final class Trainer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /**
   * What {@link #fit} did.
   *
   * @param steps optimizer steps taken in total (including those before a resume)
   * @param lastLoss the loss of the last step
   * @param validation metrics of the last evaluation, or null without validation data
   * @param skippedSamples samples the loader skipped (corrupt frames, bad lines) in the epochs run
   * @param exitCurve the conditional-exit curve measured after the run's last epoch (see
   *     {@link #evaluateWithExit}), or null (no exit, no validation data, or the run not finished)
   */
  public record Summary(
      long steps, double lastLoss, ClassificationMetrics validation, long skippedSamples, ExitCurve exitCurve) {}

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

  private final Settings settings;
  private final VideoModel model;
  private final Graph graph = new Graph();
  private final Session session;
  private final ParameterStore store;
  private final Placeholder<TFloat32> clips;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloat32> valid;
  private final Placeholder<TFloat32> learningRate;
  private final Placeholder<TFloat32> temperature;
  private final Placeholder<TFloat32> curriculum;
  private final Placeholder<TInt64> noiseSeed;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> clipCrossEntropy;
  private final Operand<TFloat32> accuracy;
  private final Operand<TFloat32> meanSelection;
  private final TrainOp trainOp;
  private final Placeholder<TFloat32> evalClips;
  private final ModelOutputs evalOutputs;
  private final List<Operand<TFloat32>> evalSelectionPerClip = new ArrayList<>();
  private final Checkpoints checkpoints;
  private final RunInfo runInfo;
  private final Operand<org.tensorflow.types.TBool> weightsFinite;
  private final List<ImportReport> initialWeightsReports;
  private final List<io.saccade.runtime.nn.Parameter> restartNavigation;

  private Trainer(Settings s) {
    this.settings = s;
    this.model = s.model;
    this.store = new ParameterStore(graph, s.seed);
    Ops tf = Ops.create(graph);
    int t = model.frames();
    int size = model.inputSize();
    clips = tf.withName("clips").placeholder(TFloat32.class, Placeholder.shape(Shape.of(s.batchSize, t, size, size, 3)));
    labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(s.batchSize)));
    valid = tf.withName("valid").placeholder(TFloat32.class, Placeholder.shape(Shape.of(s.batchSize)));
    learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    temperature = tf.withName("temperature").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    curriculum = tf.withName("curriculum").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    noiseSeed = tf.withName("noise_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));

    Ops train = tf.withSubScope("train");
    ModelOutputs out =
        model.build(keepMargin(BuildContext.root(train, store, Mode.TRAINING).withNoiseSeed(noiseSeed), s), clips, temperature);
    Operand<TFloat32> total = Losses.outputsLoss(train, out, labels, valid);
    List<Operand<TFloat32>> means = new ArrayList<>();
    Operand<TFloat32> ratioTerms = train.constant(0f);
    for (ModelOutputs.Selection sel : out.selections()) {
      Operand<TFloat32> mean = train.math.mean(sel.mask(), train.constant(new int[] {0, 1}));
      means.add(mean);
      // rt = RT + (1 − RT)·c, c the curriculum's remaining fraction going 1 → 0.
      Operand<TFloat32> rt =
          train.math.add(
              train.constant(sel.targetRatio()), train.math.mul(train.constant(1f - sel.targetRatio()), curriculum));
      ratioTerms = train.math.add(ratioTerms, train.math.square(train.math.sub(rt, mean)));
    }
    double lambda = ratioLossWeight(s, model.navigationTraining().lossWeight());
    if (!means.isEmpty()) {
      LOG.info("{}: navigation keep margin {}, ratio-loss weight {}{}", model.name(),
          s.keepMargin != null ? s.keepMargin : s.initialWeights.isEmpty()
              ? "as declared, then " + FROM_SCRATCH_KEEP_MARGIN + " where 9 is declared once the ratio curriculum begins"
              : "as declared",
          lambda,
          s.initialWeights.isEmpty()
              ? " (from scratch: the official 9 and 0.5 keep every frame in a short run; set both to keep them)"
              : "");
    }
    if (!means.isEmpty() && lambda > 0) {
      total = train.math.add(total, train.math.mul(ratioTerms, train.constant((float) (lambda / means.size()))));
    }
    loss = total;
    clipCrossEntropy = Losses.clipCrossEntropy(train, out, labels, valid);
    accuracy = Losses.topKAccuracy(train, out.clipLogits(), labels, 1);
    meanSelection = means.isEmpty() ? train.constant(1f) : train.math.mean(train.stack(means), train.constant(0));
    trainOp = s.optimizer.minimize(train, loss, store, learningRate);
    weightsFinite = allFinite(tf.withSubScope("checks"), store);

    Ops eval = tf.withSubScope("eval");
    evalClips =
        tf.withName("eval_clips").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, t, size, size, 3)));
    evalOutputs = model.build(keepMargin(BuildContext.root(eval, store, Mode.INFERENCE), s), evalClips, eval.constant(1f));
    for (ModelOutputs.Selection sel : evalOutputs.selections()) {
      evalSelectionPerClip.add(eval.math.mean(sel.mask(), eval.constant(1)));
    }
    session = new Session(graph);
    restartNavigation = restartable(s, store, session);
    // Pretrained start: after the initialisers, before any step; a resumed checkpoint overrides it.
    initialWeightsReports = s.initialWeights.stream().map(w -> w.load(session, store)).toList();
    runInfo = s.trainData == null ? null : RunInfo.of(model, s.optimizer, s.trainData);
    Checkpoints c =
        s.runDirectory == null
            ? null
            : new Checkpoints(s.runDirectory.resolve("checkpoints"), s.keepLast).keepBest("top1", true);
    checkpoints = c == null || runInfo == null ? c : c.withRunInfo(runInfo);
  }

  /** True when every parameter (weights and moving statistics) holds only finite numbers. */
  private static Operand<org.tensorflow.types.TBool> allFinite(Ops tf, ParameterStore store) {
    List<Operand<org.tensorflow.types.TBool>> each = new ArrayList<>();
    for (io.saccade.runtime.nn.Parameter p : store.all()) {
      Operand<TFloat32> flat = tf.reshape(p.variable(), tf.constant(new int[] {-1}));
      each.add(tf.reduceAll(tf.math.isFinite(flat), tf.constant(0)));
    }
    return each.isEmpty() ? tf.constant(true) : tf.reduceAll(tf.stack(each), tf.constant(0));
  }

  /** {@code ctx}, with the builder's keep-margin override when one was given. */
  private static BuildContext keepMargin(BuildContext ctx, Settings s) {
    return s.keepMargin != null ? ctx.withKeepMargin(s.keepMargin) : ctx;
  }

  /**
   * From scratch, the frame-navigation biases that start at the official margin (9: every frame kept while
   * the backbone learns); {@link #fit} moves them to {@link #FROM_SCRATCH_KEEP_MARGIN} when the ratio
   * curriculum begins, so the ratio loss can then move the decisions within the run.
   */
  private static List<io.saccade.runtime.nn.Parameter> restartable(Settings s, ParameterStore store, Session session) {
    if (s.keepMargin != null || !s.initialWeights.isEmpty()) {
      return List.of();
    }
    List<io.saccade.runtime.nn.Parameter> out = new ArrayList<>();
    for (io.saccade.runtime.nn.Parameter p : store.all()) {
      if (Navigation.isFrameDecisionBias(p)) {
        try (Result r = session.runner().fetch(p.variable()).run()) {
          float[] b = io.saccade.runtime.nn.Tensors.floats((TFloat32) r.get(0));
          boolean official = true;
          for (int f = 0; f < b.length; f += 2) {
            official &= b[f + 1] - b[f] == NavigationSpec.OFFICIAL_KEEP_MARGIN;
          }
          if (official) {
            out.add(p);
          }
        }
      }
    }
    return out;
  }

  /**
   * The ratio curriculum: the builder's, else, with pretrained weights, the official epochs 10 and 20 of 55
   * scaled to the run; from scratch, 40 % and two thirds of the run (epochs 5 and 8 of 12), so the backbone
   * first learns with every frame.
   */
  private static RatioCurriculum curriculum(Settings s) {
    if (s.curriculum != null) {
      return s.curriculum;
    }
    return s.initialWeights.isEmpty()
        ? new RatioCurriculum(0, (int) Math.round(s.epochs * 0.4), (int) Math.round(s.epochs * 2.0 / 3.0))
        : new RatioCurriculum(0, (int) Math.round(s.epochs * 10.0 / 55.0), (int) Math.round(s.epochs * 20.0 / 55.0));
  }

  /** λ of the ratio loss: the builder's, else the declared one, with the official default replaced from scratch. */
  private static double ratioLossWeight(Settings s, double declared) {
    if (s.ratioLossWeight != null) {
      return s.ratioLossWeight;
    }
    return s.initialWeights.isEmpty() && declared == OFFICIAL_RATIO_LOSS_WEIGHT ? FROM_SCRATCH_RATIO_LOSS_WEIGHT : declared;
  }

  /** Starts a trainer for {@code model}. */
  public static Builder builder(VideoModel model) {
    return new Builder(model);
  }

  /** The model being trained. */
  public VideoModel model() {
    return model;
  }

  /** The session holding the variables (for export). */
  public Session session() {
    return session;
  }

  /** The graph (training and inference builds). */
  public Graph graph() {
    return graph;
  }

  /** The store of the network's parameters. */
  public ParameterStore store() {
    return store;
  }

  /** The inference build's input placeholder {@code [N, T, H, W, 3]}. */
  public Placeholder<TFloat32> inferenceInput() {
    return evalClips;
  }

  /** The inference build's outputs. */
  public ModelOutputs inferenceOutputs() {
    return evalOutputs;
  }

  /** What the first {@link Builder#initialWeights} loaded, re-initialised and ignored; empty without a pretrained start. */
  public Optional<ImportReport> initialWeightsReport() {
    return initialWeightsReports.stream().findFirst();
  }

  /** One report per {@link Builder#initialWeights} file, in the order they were given (and loaded). */
  public List<ImportReport> initialWeightsReports() {
    return initialWeightsReports;
  }

  /** The global step (0 before training). */
  public long step() {
    try (Result r = session.runner().fetch(trainOp.step()).run()) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  /**
   * Restores the latest checkpoint of the run directory, if any, with everything training needs (the
   * optimizer's state included); returns its step.
   *
   * @throws UncheckedIOException whose cause is an {@link io.saccade.runtime.io.ArtefactException} when the
   *     checkpoint belongs to another network or optimizer, does not fit the graph or is damaged (the
   *     message names the variable and both shapes, or the file)
   */
  public Optional<Long> resume() {
    return restore(true).map(c -> step());
  }

  /**
   * Restores only the network's variables (weights and moving statistics, not the optimizer's state) of
   * the latest checkpoint: what evaluation and export need, whatever optimizer trained the run.
   *
   * @return the restored checkpoint (its step and, when recorded, the run's class names and pre-processing)
   * @throws UncheckedIOException as {@link #resume()}
   */
  public Optional<Checkpoint> restoreModel() {
    return restore(false);
  }

  private Optional<Checkpoint> restore(boolean withOptimizer) {
    if (checkpoints == null) {
      return Optional.empty();
    }
    try {
      Optional<Checkpoint> latest = checkpoints.latest();
      if (latest.isEmpty()) {
        return latest;
      }
      Checkpoint c = latest.get();
      RunInfo recorded = c.runInfo() != null ? c.runInfo() : RunInfo.read(settings.runDirectory).orElse(null);
      if (recorded != null) {
        recorded.requireNetwork(model, c.directory());
        String mine = RunInfo.kind(settings.optimizer.toString());
        if (withOptimizer && !recorded.optimizerKind().equals(mine)) {
          throw new io.saccade.runtime.io.ArtefactException(
              c.directory(),
              c.directory() + " was trained with " + recorded.optimizer() + ", this trainer uses " + settings.optimizer
                  + "; resume with the same optimizer (saccade: --optimizer "
                  + (recorded.optimizerKind().equals("Adam") ? "adam" : "sgd") + ")");
        }
      }
      if (withOptimizer) {
        checkpoints.restore(session, c);
      } else {
        checkpoints.restoreModel(session, c);
      }
      return latest;
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** What the run is made of (null without training data: an evaluation or export trainer). */
  public RunInfo runInfo() {
    return runInfo;
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
    long skipped = 0;
    double lastLoss = Double.NaN;
    ClassificationMetrics lastEval = null;
    ExitCurve lastCurve = null;
    try (ClipLoader loader =
            ClipLoader.builder(settings.trainData)
                .batchSize(settings.batchSize)
                .threads(settings.threads)
                .training(true)
                .seed(settings.seed)
                .build();
        TensorBoardWriter tb =
            settings.runDirectory == null
                ? null
                // A resumed run re-does the steps after its checkpoint: their old events go, one curve stays.
                : TensorBoardWriter.open(settings.runDirectory.resolve("tensorboard"), step())) {
      if (settings.runDirectory != null) {
        writeRunInfo();
      }
      long stepsPerEpoch = loader.batchesPerEpoch();
      if (stepsPerEpoch < 1) {
        throw new IllegalArgumentException(
            "the training set has " + settings.trainData.size() + " clips, fewer than one batch of "
                + settings.batchSize);
      }
      LearningRateSchedule lr = settings.learningRate.apply(stepsPerEpoch);
      NavigationTraining nav = model.navigationTraining();
      int annealEpochs = AnnealLength.epochs(nav, settings.annealEpochs);
      AnnealLength.shortRunWarning(nav, annealEpochs, settings.epochs, settings.annealEpochs > 0)
          .ifPresent(w -> LOG.warn("{}: {}", model.name(), w));
      TemperatureSchedule tau =
          TemperatureSchedule.exponential(nav.temperatureFrom(), nav.temperatureTo(), annealEpochs * stepsPerEpoch);
      RatioCurriculum remaining = curriculum(settings);
      long step = step();
      LossPlateau plateau = new LossPlateau(model.classes());
      for (int epoch = (int) (step / stepsPerEpoch); epoch < endEpoch; epoch++) {
        EpochReport report = new EpochReport();
        double epochRate = 0;
        int start = (int) (step - (long) epoch * stepsPerEpoch);
        double c = remaining.at(epoch);
        if (!restartNavigation.isEmpty() && epoch == remaining.beginEpoch() && start == 0) {
          // From scratch: the backbone learned with every frame kept; now the decisions become movable.
          Navigation.restartKeepMargin(session, Ops.create(graph), restartNavigation, FROM_SCRATCH_KEEP_MARGIN);
          LOG.info("{}: epoch {}: the ratio curriculum begins; {} navigation decisions restart {} logits towards keep",
              model.name(), epoch + 1, restartNavigation.size(), FROM_SCRATCH_KEEP_MARGIN);
        }
        try (ClipLoader.Epoch batches = loader.epoch(epoch, start)) {
          long t0 = System.nanoTime();
          int seen = 0;
          TrainingListener.Progress at = progress(epoch, stepsPerEpoch, start, 0);
          for (TrainingListener l : settings.listeners) {
            l.onEpochStart(at);
          }
          while (batches.hasNext()) {
            ClipBatch batch = batches.next();
            long before = step;
            Step st = step(batch, (float) lr.at(before), (float) tau.at(before), (float) c, before);
            if (!Double.isFinite(st.loss())) {
              throw diverged(st, batch);
            }
            step = st.step();
            lastLoss = st.loss();
            report.add(st);
            String stuck = plateau.record(step, st.classificationLoss());
            if (stuck != null) {
              LOG.warn("{}: {}", model.name(), stuck);
            }
            seen += batch.size();
            at = progress(epoch, stepsPerEpoch, step - (long) epoch * stepsPerEpoch, seen / ((System.nanoTime() - t0) / 1e9));
            for (TrainingListener l : settings.listeners) {
              l.onStep(at, st);
            }
            if (tb != null) {
              tb.scalar("train/loss", step, st.loss());
              tb.scalar("train/top1", step, st.accuracy());
              tb.scalar("train/learning_rate", step, lr.at(before));
              tb.scalar("train/temperature", step, tau.at(before));
              tb.scalar("train/selection_ratio", step, st.selectionRatio());
              tb.scalar("train/cross_entropy", step, st.classificationLoss());
              tb.scalar("train/gradient_norm", step, st.gradientNorm());
            }
            if (checkpoints != null && settings.checkpointEvery > 0 && step % settings.checkpointEvery == 0) {
              saveFinite(step, Map.of("loss", st.loss()));
            }
          }
          epochRate = at.clipsPerSecond();
          for (TrainingListener l : settings.listeners) {
            l.onEpochEnd(at);
          }
          skipped += batches.skipped();
          if (batches.skipped() > 0) {
            LOG.warn("epoch {}: {}", epoch, batches.report());
          }
        }
        if (settings.validationData != null) {
          if (epoch == settings.epochs - 1) {
            // A conditional exit's curve needs a pass over the calibration clips: only after the last epoch
            // (without an exit this is the plain evaluation).
            Evaluation e = evaluateWithExit(settings.validationData, 1, 1);
            lastEval = e.metrics();
            lastCurve = e.exitCurve();
          } else {
            lastEval = evaluate(settings.validationData);
          }
          if (tb != null) {
            tb.scalar("eval/top1", step, lastEval.top1());
            tb.scalar("eval/top5", step, lastEval.top5());
            tb.scalar("eval/gflops_per_clip", step, lastEval.gflopsPerClip());
            for (Map.Entry<String, Double> e : lastEval.selectionRatios().entrySet()) {
              tb.scalar("eval/selection/" + e.getKey(), step, e.getValue());
            }
            if (lastCurve != null) {
              writeExitCurve(tb, step, lastCurve);
            }
          }
        }
        LOG.info(report.line(model.name(), epoch, settings.epochs, epochRate, settings.validationData == null ? null : lastEval));
        if (tb != null) {
          tb.flush();
        }
        if (checkpoints != null) {
          Map<String, Double> metrics = new LinkedHashMap<>();
          metrics.put("loss", lastLoss);
          if (lastEval != null) {
            metrics.put("top1", lastEval.top1());
          }
          saveFinite(step, metrics);
        }
      }
      return new Summary(step, lastLoss, lastEval, skipped, lastCurve);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * The exit curve as TensorBoard scalars at the step: the all-frames top-1, the cheapest point's top-1
   * and GFLOPs, and those of p = 1 (equal exit fractions per step). The whole curve goes to the table and
   * the plot; TensorBoard's step axis cannot carry it (a step going backwards purges the run's events).
   */
  private static void writeExitCurve(TensorBoardWriter tb, long step, ExitCurve curve) {
    tb.scalar("eval/exit/all_frames_top1", step, curve.allFrames().accuracy());
    for (ExitCurve.Point p : curve.sweep()) {
      if (Math.abs(p.p() - 1) < 1e-9) {
        tb.scalar("eval/exit/p1_top1", step, p.accuracy());
        tb.scalar("eval/exit/p1_gflops", step, p.expectedGflops());
      }
    }
    ExitCurve.Point cheapest = curve.cheapest();
    tb.scalar("eval/exit/cheapest_top1", step, cheapest.accuracy());
    tb.scalar("eval/exit/cheapest_gflops", step, cheapest.expectedGflops());
  }

  private TrainingListener.Progress progress(int epoch, long stepsPerEpoch, long stepInEpoch, double clipsPerSecond) {
    return new TrainingListener.Progress(model.name(), epoch, settings.epochs, stepsPerEpoch, stepInEpoch, clipsPerSecond);
  }

  /**
   * The learning-rate range test ({@link LearningRateFinder}) on the training data, at rates from
   * {@code from} to {@code to} over at most {@code steps} steps. It trains this trainer's variables: use a
   * fresh trainer for the real run.
   */
  public LearningRateFinder.Result findLearningRate(double from, double to, int steps) {
    Objects.requireNonNull(settings.trainData, "training data");
    return LearningRateFinder.run(this, settings.trainData, settings.batchSize, settings.threads, settings.seed,
        (float) model.navigationTraining().temperatureFrom(), from, to, steps);
  }

  /**
   * Runs one optimizer step on {@code batch}.
   *
   * @param noiseKey keys the step's dropout and Gumbel noise (the trainer passes the step number)
   */
  public Step step(
      ClipBatch batch, float learningRateValue, float temperatureValue, float curriculumValue, long noiseKey) {
    if (batch.size() != settings.batchSize) {
      throw new IllegalArgumentException(
          "training batches must have " + settings.batchSize + " clips, got " + batch.size());
    }
    List<Tensor> fed = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      feed(r, fed, clips, batch.toTensor());
      feed(r, fed, labels, batch.labelsTensor());
      feed(r, fed, valid, batch.validMask());
      feed(r, fed, learningRate, TFloat32.scalarOf(learningRateValue));
      feed(r, fed, temperature, TFloat32.scalarOf(temperatureValue));
      feed(r, fed, curriculum, TFloat32.scalarOf(curriculumValue));
      feed(r, fed, noiseSeed, TInt64.vectorOf(settings.seed, noiseKey));
      r.addTarget(trainOp).fetch(loss).fetch(accuracy).fetch(meanSelection).fetch(clipCrossEntropy)
          .fetch(trainOp.gradientNorm());
      try (Result res = r.run()) {
        return new Step(
            step(),
            ((TFloat32) res.get(0)).getFloat(),
            ((TFloat32) res.get(1)).getFloat(),
            ((TFloat32) res.get(2)).getFloat(),
            ((TFloat32) res.get(3)).getFloat(),
            ((TFloat32) res.get(4)).getFloat());
      }
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  private static <T extends TType> void feed(Session.Runner r, List<Tensor> fed, Placeholder<T> p, T value) {
    fed.add(value);
    r.feed(p, value);
  }

  /** Evaluates the inference build (deterministic, frames really skipped) on {@code data}, one view per video. */
  public ClassificationMetrics evaluate(VideoDataset data) {
    return evaluate(data, 1, 1);
  }

  /**
   * Evaluates on {@code clips × crops} views of every video (multi-clip, multi-crop testing): each
   * video's prediction is the mean of its views' logits; its GFLOPs and selection ratios are the sums
   * and means over its views.
   */
  public ClassificationMetrics evaluate(VideoDataset data, int clips, int crops) {
    return collect(data, clips, crops, false).metrics();
  }

  /**
   * {@link #evaluate(VideoDataset, int, int)} plus, when the model has a conditional exit
   * ({@link ModelOutputs#exitScores()}), the accuracy-versus-expected-GFLOPs curve over the official bases
   * ({@link ConditionalExit#officialBases()}), thresholds fitted on the per-step logits of the
   * {@linkplain Builder#exitCalibration calibration set} (default: evenly spaced clips of the training
   * data, as the official code fits on the training set). Without an exit, or without calibration data,
   * the curve is null.
   *
   * <pre>{@code
   * Evaluation e = trainer.evaluateWithExit(val, 1, 1);
   * if (e.exitCurve() != null) System.out.print(e.exitCurve().table());
   * }</pre>
   */
  public Evaluation evaluateWithExit(VideoDataset data, int clips, int crops) {
    return evaluateWithExit(data, clips, crops, defaultCalibration());
  }

  /**
   * As {@link #evaluateWithExit(VideoDataset, int, int)} with the thresholds fitted on {@code calibration}
   * (one centre view per video, the inference build); null calibration means no curve.
   */
  public Evaluation evaluateWithExit(VideoDataset data, int clips, int crops, VideoDataset calibration) {
    boolean exit =
        evalOutputs.exitScores() != null && evalOutputs.frameLogits() != null && calibration != null && calibration.size() > 0;
    Collected evaluated = collect(data, clips, crops, exit);
    if (!exit || evaluated.stepLogits().length == 0) {
      return new Evaluation(evaluated.metrics(), null);
    }
    Collected calibrated = collect(calibration, 1, 1, true);
    if (calibrated.stepLogits().length == 0) {
      return new Evaluation(evaluated.metrics(), null);
    }
    ExitCurve curve =
        ExitCurve.of(
            calibrated.stepLogits(),
            evaluated.stepLogits(),
            evaluated.labels(),
            evaluated.metrics().gflopsPerClip(),
            ConditionalExit.officialBases());
    return new Evaluation(evaluated.metrics(), curve);
  }

  /** The calibration set: the configured one, else at most {@code exitCalibrationClips} evenly spaced training clips. */
  private VideoDataset defaultCalibration() {
    if (settings.exitCalibration != null) {
      return settings.exitCalibration;
    }
    if (settings.trainData == null || settings.exitCalibrationClips == 0) {
      return null;
    }
    return settings.trainData.strided(settings.exitCalibrationClips);
  }

  /** What one pass over a dataset gave: the metrics and, when asked for, per-video step logits. */
  private record Collected(ClassificationMetrics metrics, float[][][] stepLogits, int[] labels) {}

  private Collected collect(VideoDataset data, int clips, int crops, boolean withSteps) {
    ClassificationMetrics metrics = new ClassificationMetrics(model.classes());
    List<String> names = evalOutputs.selections().stream().map(ModelOutputs.Selection::name).toList();
    int views = clips * crops;
    int k = model.classes();
    int t = model.frames();
    Map<Integer, float[]> logitSums = new LinkedHashMap<>();
    Map<Integer, float[]> stepSums = new LinkedHashMap<>(); // [T·classes] per video, summed over views
    Map<Integer, float[]> extras = new LinkedHashMap<>(); // [gflops, ratio per layer..., views seen]
    Map<Integer, Integer> labels = new LinkedHashMap<>();
    try (ClipLoader loader =
            ClipLoader.builder(data)
                .batchSize(settings.batchSize)
                .threads(settings.threads)
                .training(false)
                .views(clips, crops)
                .build();
        ClipLoader.Epoch batches = loader.epoch(0)) {
      while (batches.hasNext()) {
        ClipBatch batch = batches.next();
        Session.Runner r = session.runner();
        try (TFloat32 in = batch.toTensor()) {
          r.feed(evalClips, in).fetch(evalOutputs.clipLogits()).fetch(evalOutputs.dynamicGflops());
          evalSelectionPerClip.forEach(r::fetch);
          if (withSteps) {
            r.fetch(evalOutputs.frameLogits());
          }
          try (Result res = r.run()) {
            float[] logits = Tensors.floats((TFloat32) res.get(0));
            float[] gflops = Tensors.floats((TFloat32) res.get(1));
            List<float[]> ratios = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
              ratios.add(Tensors.floats((TFloat32) res.get(2 + i)));
            }
            float[] steps = withSteps ? Tensors.floats((TFloat32) res.get(2 + names.size())) : null;
            if (steps != null && steps.length != batch.size() * t * k) {
              throw new IllegalStateException(
                  "frameLogits of " + model.name() + " have " + steps.length + " values for " + batch.size()
                      + " clips, expected [N, " + t + ", " + k + "]");
            }
            for (int row = 0; row < batch.size(); row++) {
              if (!batch.isValid(row)) {
                continue; // padding of the last batch, or a sample that failed to load
              }
              int video = batch.index(row);
              labels.put(video, batch.label(row));
              float[] sum = logitSums.computeIfAbsent(video, v -> new float[k]);
              float[] extra = extras.computeIfAbsent(video, v -> new float[names.size() + 2]);
              for (int c = 0; c < k; c++) {
                sum[c] += logits[row * k + c];
              }
              if (steps != null) {
                float[] stepSum = stepSums.computeIfAbsent(video, v -> new float[t * k]);
                for (int j = 0; j < t * k; j++) {
                  stepSum[j] += steps[row * t * k + j];
                }
              }
              extra[0] += gflops[row];
              for (int i = 0; i < names.size(); i++) {
                extra[1 + i] += ratios.get(i)[row];
              }
              extra[names.size() + 1] += 1;
            }
          }
        }
      }
    }
    float[][][] stepLogits = new float[withSteps ? logitSums.size() : 0][][];
    int[] labelArray = new int[stepLogits.length];
    int index = 0;
    for (Map.Entry<Integer, float[]> e : logitSums.entrySet()) {
      float[] extra = extras.get(e.getKey());
      float seen = extra[names.size() + 1];
      float[] mean = e.getValue().clone();
      for (int c = 0; c < k; c++) {
        mean[c] /= seen;
      }
      Map<String, float[]> ratio = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        ratio.put(names.get(i), new float[] {extra[1 + i] / seen});
      }
      metrics.add(mean, new int[] {labels.get(e.getKey())}, new float[] {extra[0]}, ratio);
      if (withSteps) {
        // The same mean over views as the clip logits, per step.
        float[] stepSum = stepSums.get(e.getKey());
        float[][] perStep = new float[t][k];
        for (int s = 0; s < t; s++) {
          for (int c = 0; c < k; c++) {
            perStep[s][c] = stepSum[s * k + c] / seen;
          }
        }
        stepLogits[index] = perStep;
        labelArray[index] = labels.get(e.getKey());
        index++;
      }
    }
    if (views > 1) {
      LOG.info("evaluated {} videos with {} views each", logitSums.size(), views);
    }
    return new Collected(metrics, stepLogits, labelArray);
  }

  private static float[] select(float[] values, int[] rows, int width) {
    float[] out = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(values, rows[i] * width, out, i * width, width);
    }
    return out;
  }

  /** Saves a checkpoint now (the run directory must be set). */
  public Checkpoint saveCheckpoint(Map<String, Double> metrics) {
    if (checkpoints == null) {
      throw new IllegalStateException("no run directory: set Builder.runDirectory to save checkpoints");
    }
    try {
      return saveFinite(step(), metrics);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** Saves a checkpoint unless a weight is NaN or infinite: a poisoned state never replaces a good one. */
  private Checkpoint saveFinite(long step, Map<String, Double> metrics) throws IOException {
    try (Result r = session.runner().fetch(weightsFinite).run()) {
      if (!((org.tensorflow.types.TBool) r.get(0)).getBoolean()) {
        Path last = checkpoints.latest().map(Checkpoint::directory).orElse(null);
        throw new TrainingDivergedException(step, Double.NaN, last, model.name(), "the steps before it: a weight is not finite");
      }
    }
    return checkpoints.save(session, step, metrics);
  }

  private TrainingDivergedException diverged(Step st, ClipBatch batch) throws IOException {
    Path last = checkpoints == null ? null : checkpoints.latest().map(Checkpoint::directory).orElse(null);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < batch.size() && ids.size() < 4; i++) {
      if (batch.isValid(i)) {
        ids.add(batch.id(i));
      }
    }
    String what = String.join(", ", ids) + (batch.validCount() > ids.size() ? ", …" : "");
    LOG.error("{}: loss {} at step {}; stopping", model.name(), st.loss(), st.step());
    return new TrainingDivergedException(st.step(), st.loss(), last, model.name(), what);
  }

  /** Writes {@code run.json}, refusing a run folder that holds another network's run. */
  private void writeRunInfo() throws IOException {
    if (runInfo == null) {
      return;
    }
    Optional<RunInfo> existing = RunInfo.read(settings.runDirectory);
    if (existing.isPresent()) {
      existing.get().requireNetwork(model, settings.runDirectory);
    }
    runInfo.write(settings.runDirectory);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

  /** Everything a trainer is configured with. */
  private static final class Settings {
    VideoModel model;
    VideoDataset trainData;
    VideoDataset validationData;
    int epochs = 1;
    int batchSize = 8;
    int threads = 2;
    long seed;
    Optimizer optimizer;
    LongFunction<LearningRateSchedule> learningRate;
    int annealEpochs;
    RatioCurriculum curriculum;
    Path runDirectory;
    int keepLast = 3;
    long checkpointEvery;
    final List<TrainingListener> listeners = new ArrayList<>();
    Float keepMargin;
    Double ratioLossWeight;
    VideoDataset exitCalibration;
    int exitCalibrationClips = 2048;
    final List<PretrainedWeights> initialWeights = new ArrayList<>();
  }

  /**
   * From scratch, navigation decisions declared with the official keep margin (9) start this far towards
   * keep instead: almost every frame is still kept at first (σ(2) ≈ 0.88 in training, all of them in
   * evaluation), but the ratio loss can move the decisions within a run of a few epochs (at 9 its gradient
   * is ≈ 1e-4 and a 12-epoch run keeps every frame).
   */
  public static final float FROM_SCRATCH_KEEP_MARGIN = 2f;
  /** From scratch, the ratio-loss weight used in place of the declared official 0.5. */
  public static final double FROM_SCRATCH_RATIO_LOSS_WEIGHT = 4.0;
  /** The ratio-loss weight of the released AFNet scripts (the {@code @Navigation(lossWeight)} default). */
  public static final double OFFICIAL_RATIO_LOSS_WEIGHT = 0.5;

  /** The default base learning rate from scratch (with {@link Builder#fromScratchOptimizer()}). */
  public static final double FROM_SCRATCH_LEARNING_RATE = 1e-3;
  /**
   * The default base learning rate of an AFNet (a network with navigation) from scratch: its grouped focal
   * convolutions and half-width ample branch learn more slowly than a dense network at 1e-3 (AfDemo on the
   * embedded dataset with decoys, every frame kept, 12 epochs: 0.914 at 1e-3, 1.000 at 3e-3).
   */
  public static final double FROM_SCRATCH_AFNET_LEARNING_RATE = 3e-3;
  /** The default base learning rate from pretrained weights (with {@link Builder#fineTuningOptimizer()}). */
  public static final double FINE_TUNING_LEARNING_RATE = 0.01;

  /**
   * Configures a {@link Trainer}. Its defaults depend on the start: from scratch (random initial weights),
   * Adam at {@value #FROM_SCRATCH_LEARNING_RATE} ({@value #FROM_SCRATCH_AFNET_LEARNING_RATE} for an AFNet), which makes a
   * declared network learn a small dataset; from
   * {@link #initialWeights pretrained weights}, the papers' fine-tuning recipe, SGD with momentum 0.9 at
   * {@value #FINE_TUNING_LEARNING_RATE}. Both: weight decay 5e-4 (not on batch norm and biases), gradient
   * clipping at norm 20, one warm-up epoch then cosine, batch 8, 1 epoch, seed 0.
   *
   * <p>AFNet's navigation from scratch: where a declaration leaves the official keep margin 9 and ratio-loss
   * weight 0.5 (which keep every frame for the tens of epochs of the official fine-tuning), decisions start
   * {@value #FROM_SCRATCH_KEEP_MARGIN} logits towards keep and λ is {@value #FROM_SCRATCH_RATIO_LOSS_WEIGHT},
   * so that a run of a dozen epochs learns to drop frames; with pretrained weights the declaration holds.
   * {@link #navigationKeepMargin} and {@link #ratioLossWeight} set either explicitly.
   */
  public static final class Builder {
    private final Settings s = new Settings();
    private Double baseLearningRate;

    private Builder(VideoModel model) {
      s.model = Objects.requireNonNull(model, "model");
    }

    public Builder trainData(VideoDataset data) {
      s.trainData = data;
      return this;
    }

    public Builder validationData(VideoDataset data) {
      s.validationData = data;
      return this;
    }

    public Builder epochs(int epochs) {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
      }
      s.epochs = epochs;
      return this;
    }

    /** Clips per training batch (static in the training graph). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
      }
      s.batchSize = batchSize;
      return this;
    }

    /** Decoding threads of the loaders. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      s.threads = threads;
      return this;
    }

    /** Seed of the initial weights, the data order and the training noise. */
    public Builder seed(long seed) {
      s.seed = seed;
      return this;
    }

    /**
     * The optimizer. Default: from scratch, {@link #fromScratchOptimizer() Adam} (weight decay 5e-4,
     * clipping 20); with {@link #initialWeights pretrained weights}, the papers' fine-tuning recipe,
     * {@link #fineTuningOptimizer() SGD} with momentum 0.9 (weight decay 5e-4, clipping 20).
     */
    public Builder optimizer(Optimizer optimizer) {
      s.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /**
     * Base learning rate of the default schedule (warm-up over one epoch or a fifth of the run, then cosine
     * to 1 % of it). Default: {@value #FROM_SCRATCH_LEARNING_RATE} from scratch ({@value
     * #FROM_SCRATCH_AFNET_LEARNING_RATE} for an AFNet), {@value
     * #FINE_TUNING_LEARNING_RATE} with pretrained weights.
     */
    public Builder learningRate(double base) {
      if (!(base > 0)) {
        throw new IllegalArgumentException("learning rate must be > 0, got " + base);
      }
      baseLearningRate = base;
      return this;
    }

    /** A schedule made from the number of steps per epoch (known once the data is). */
    public Builder learningRateSchedule(LongFunction<LearningRateSchedule> schedule) {
      s.learningRate = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /**
     * Overrides the declared anneal length ({@code @Anneal(epochs)}, the model's
     * {@code navigationTraining().annealEpochs()}, used when this is not called).
     */
    public Builder temperatureAnnealEpochs(int epochs) {
      if (epochs < 1) {
        throw new IllegalArgumentException("anneal epochs must be >= 1, got " + epochs);
      }
      s.annealEpochs = epochs;
      return this;
    }

    /**
     * The ratio curriculum as the remaining fraction c (rt = RT + (1 − RT)·c): a curriculum with target
     * 0. Default: the official epochs 10 and 20 of 55, scaled to the training length.
     */
    public Builder curriculum(RatioCurriculum remainingFraction) {
      s.curriculum = remainingFraction;
      return this;
    }

    /** Where checkpoints ({@code checkpoints/}) and TensorBoard files ({@code tensorboard/}) go. */
    public Builder runDirectory(Path dir) {
      s.runDirectory = dir;
      return this;
    }

    /** Checkpoints kept besides the best (default 3). */
    public Builder keepLast(int keep) {
      s.keepLast = keep;
      return this;
    }

    /** Also checkpoint every {@code steps} steps (default: only at epoch ends). */
    public Builder checkpointEvery(long steps) {
      s.checkpointEvery = steps;
      return this;
    }

    /**
     * Starts every navigation decision with "keep" {@code margin} logits above "skip" instead of the
     * declared {@code @Navigation(keepMargin)} (official 9: biases 1 and 10), so that short runs can learn
     * to drop frames; a restored checkpoint overrides it. Applied when the graph is built
     * ({@link BuildContext#withKeepMargin}).
     */
    public Builder navigationKeepMargin(float margin) {
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
    public Builder ratioLossWeight(double lambda) {
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
    public Builder exitCalibration(VideoDataset data) {
      s.exitCalibration = data;
      return this;
    }

    /**
     * How many evenly spaced training clips the default calibration set takes (default 2048; 0: no exit
     * curve unless {@link #exitCalibration} is set; {@link Integer#MAX_VALUE}: the whole training set).
     */
    public Builder exitCalibrationClips(int clips) {
      if (clips < 0) {
        throw new IllegalArgumentException("exit calibration clips must be >= 0, got " + clips);
      }
      s.exitCalibrationClips = clips;
      return this;
    }

    /** Adds a listener that hears every epoch and step (none by default; training logs its epoch lines). */
    public Builder listener(TrainingListener listener) {
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
    public Builder initialWeights(PretrainedWeights weights) {
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

    public Trainer build() {
      boolean pretrained = !s.initialWeights.isEmpty();
      if (s.optimizer == null) {
        s.optimizer = pretrained ? fineTuningOptimizer() : fromScratchOptimizer();
      }
      if (s.learningRate == null) {
        boolean navigation = !s.model.navigationTraining().equals(NavigationTraining.NONE);
        double base =
            baseLearningRate != null ? baseLearningRate
                : pretrained ? FINE_TUNING_LEARNING_RATE
                : navigation ? FROM_SCRATCH_AFNET_LEARNING_RATE : FROM_SCRATCH_LEARNING_RATE;
        int epochs = s.epochs;
        // Warm up for one epoch (at most a fifth of the run), then cosine down to 1 % of the base rate.
        s.learningRate =
            steps -> LearningRateSchedule.warmupCosine(base, Math.min(steps, steps * epochs / 5), steps * epochs, base * 0.01);
      }
      return new Trainer(s);
    }
  }
}
