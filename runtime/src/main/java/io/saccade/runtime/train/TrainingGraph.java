package io.saccade.runtime.train;

import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.ParameterStore;
import java.util.ArrayList;
import java.util.List;
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
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * The model, its losses and its optimizer in one TensorFlow graph: a training build (batch fixed, noise keyed
 * by the step) and an inference build (any batch, deterministic, frames really skipped) that share their
 * variables, and the session holding them. {@link Trainer} drives it; export and evaluation read its
 * inference build.
 *
 * <p>Loss: mean cross-entropy of the clip logits over the valid rows of a batch, plus every auxiliary head's,
 * each with the weight the outputs give it ({@link Losses#outputsLoss}), plus
 * {@code λ·(1/L)·Σ_l (rt_l − mean(mask_l))²} over the navigation layers, where each layer's rt follows the
 * AFNet curriculum from 1 down to its declared RT.
 */
public final class TrainingGraph implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final VideoModel model;
  private final long seed;
  private final int batchSize;
  private final Graph graph = new Graph();
  private final ParameterStore store;
  private final Session session;
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
  private final Operand<TBool> weightsFinite;
  private final Placeholder<TFloat32> evalClips;
  private final ModelOutputs evalOutputs;
  private final List<Operand<TFloat32>> evalKeptFrames = new ArrayList<>();

  TrainingGraph(TrainingSettings s) {
    this.model = s.model;
    this.seed = s.seed;
    this.batchSize = s.batchSize;
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
    BuildContext trainContext = BuildContext.root(train, store, Mode.TRAINING).withNoiseSeed(noiseSeed);
    ModelOutputs out = model.build(TrainingRecipe.keepMargin(trainContext, s), clips, temperature);
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
    double lambda = TrainingRecipe.ratioLossWeight(s, model.navigationTraining().lossWeight());
    if (!means.isEmpty()) {
      LOG.info("{}: {}", model.name(), TrainingRecipe.describeNavigation(s, lambda));
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
    BuildContext evalContext = BuildContext.root(eval, store, Mode.INFERENCE);
    evalOutputs = model.build(TrainingRecipe.keepMargin(evalContext, s), evalClips, eval.constant(1f));
    for (ModelOutputs.Selection sel : evalOutputs.selections()) {
      // [N, T]: the computed fraction of each frame (0 or 1 for a frame mask, the cell mean for a spatial one).
      evalKeptFrames.add(sel.spatial() ? eval.math.mean(sel.mask(), eval.constant(new int[] {2, 3})) : sel.mask());
    }
    session = new Session(graph);
  }

  /** True when every parameter (weights and moving statistics) holds only finite numbers. */
  private static Operand<TBool> allFinite(Ops tf, ParameterStore store) {
    List<Operand<TBool>> each = new ArrayList<>();
    for (Parameter p : store.all()) {
      Operand<TFloat32> flat = tf.reshape(p.variable(), tf.constant(new int[] {-1}));
      each.add(tf.reduceAll(tf.math.isFinite(flat), tf.constant(0)));
    }
    return each.isEmpty() ? tf.constant(true) : tf.reduceAll(tf.stack(each), tf.constant(0));
  }

  /**
   * Runs one optimizer step on {@code batch} (exactly the training batch size).
   *
   * @param noiseKey keys the step's dropout and Gumbel noise (the trainer passes the step number)
   */
  public Trainer.Step step(ClipBatch batch, float learningRateValue, float temperatureValue, float curriculumValue,
      long noiseKey) {
    if (batch.size() != batchSize) {
      throw new IllegalArgumentException("training batches must have " + batchSize + " clips, got " + batch.size());
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
      feed(r, fed, noiseSeed, TInt64.vectorOf(seed, noiseKey));
      r.addTarget(trainOp).fetch(loss).fetch(accuracy).fetch(meanSelection).fetch(clipCrossEntropy)
          .fetch(trainOp.gradientNorm());
      try (Result res = r.run()) {
        return new Trainer.Step(
            globalStep(),
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

  /** The global step (0 before training). */
  public long globalStep() {
    try (Result r = session.runner().fetch(trainOp.step()).run()) {
      return ((TInt64) r.get(0)).getLong();
    }
  }

  /** Whether every weight and moving statistic is finite (a poisoned state is never checkpointed). */
  public boolean weightsFinite() {
    try (Result r = session.runner().fetch(weightsFinite).run()) {
      return ((TBool) r.get(0)).getBoolean();
    }
  }

  /** The model this graph builds. */
  public VideoModel model() {
    return model;
  }

  /** The graph (training and inference builds). */
  public Graph graph() {
    return graph;
  }

  /** The session holding the variables. */
  public Session session() {
    return session;
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

  /**
   * Per navigation layer of the inference build ({@link ModelOutputs#selections()} order), {@code [N, T]}: the
   * fraction of each frame that was computed (0 or 1 for a frame mask).
   */
  public List<Operand<TFloat32>> inferenceKeptFrames() {
    return evalKeptFrames;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
