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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.RunOptions;
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

  /** How long a step on several CPU devices may take before it is taken for TensorFlow's oneDNN deadlock. */
  static final long CPU_REPLICA_STEP_TIMEOUT_MS = 20 * 60_000L;

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
  private final Devices devices;
  private final Operand<TBool> weightsFinite;
  private final Placeholder<TFloat32> evalClips;
  private final ModelOutputs evalOutputs;
  private final List<Operand<TFloat32>> evalKeptFrames = new ArrayList<>();

  TrainingGraph(TrainingSettings s) {
    this.model = s.model;
    this.seed = s.seed;
    this.batchSize = s.batchSize;
    this.devices = s.devices == null ? Devices.available(s.batchSize) : s.devices;
    if (s.batchSize % devices.count() != 0) {
      graph.close();
      throw new IllegalArgumentException(
          "a training batch of " + s.batchSize + " clips does not split evenly across " + devices.count()
              + " devices; use a batch size that is a multiple of " + devices.count());
    }
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
    double lambda = TrainingRecipe.ratioLossWeight(s, model.navigationTraining().lossWeight());
    Built built = devices.count() == 1 ? onOneDevice(s, train, lambda) : onDevices(s, train, lambda);
    loss = built.losses.loss;
    clipCrossEntropy = built.losses.clipCrossEntropy;
    accuracy = built.losses.accuracy;
    meanSelection = built.losses.meanSelection;
    trainOp = built.trainOp;
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
    session = devices.count() == 1 ? new Session(graph) : new Session(graph, devices.sessionConfig());
  }

  /** The losses of one replica (the whole training build on one device), or of all replicas together. */
  private record Replica(
      Operand<TFloat32> loss,
      Operand<TFloat32> clipCrossEntropy,
      Operand<TFloat32> accuracy,
      Operand<TFloat32> meanSelection,
      int navigationLayers) {}

  /** The training build's losses and the op that runs one step. */
  private record Built(Replica losses, TrainOp trainOp) {}

  private Built onOneDevice(TrainingSettings s, Ops train, double lambda) {
    BuildContext ctx = BuildContext.root(train, store, Mode.TRAINING).withNoiseSeed(noiseSeed);
    Replica one = replica(train, TrainingRecipe.keepMargin(ctx, s), clips, labels, valid, lambda);
    logNavigation(s, lambda, one);
    return new Built(one, s.optimizer.minimize(train, one.loss, store, learningRate));
  }

  /**
   * One replica per device on its part of the batch, each backward pass on its own device, the gradients
   * averaged on the first device weighted by each part's valid clips (so the step is the whole batch's mean),
   * and one update; batch-norm moving averages follow replica 0.
   */
  private Built onDevices(TrainingSettings s, Ops train, double lambda) {
    int n = devices.count();
    LOG.info("{}: training on {} devices ({}), {} clips each", model.name(), n, String.join(", ", devices.names()),
        s.batchSize / n);
    if (devices.severalCpus() && !"0".equals(System.getenv("TF_ENABLE_ONEDNN_OPTS"))) {
      LOG.warn("{}: several CPU devices in one process can deadlock TensorFlow's oneDNN kernels (seen with FocusDemo's"
          + " policy); a step that does not finish in {} minutes fails; TF_ENABLE_ONEDNN_OPTS=0 avoids it", model.name(),
          CPU_REPLICA_STEP_TIMEOUT_MS / 60_000);
    }
    Ops host = train.withSubScope("split");
    Operand<TInt32> axis = host.constant(0);
    List<Output<TFloat32>> clipParts = host.split(axis, clips, (long) n).output();
    List<Output<TInt32>> labelParts = host.split(axis, labels, (long) n).output();
    List<Output<TFloat32>> validParts = host.split(axis, valid, (long) n).output();
    List<Replica> replicas = new ArrayList<>();
    List<Op> updates = List.of();
    for (int i = 0; i < n; i++) {
      Ops on = train.withSubScope("replica_" + i).withDevice(devices.spec(i));
      BuildContext ctx = BuildContext.root(on, store, Mode.TRAINING).withNoiseSeed(noiseSeed);
      // Replica 0 draws the single-device noise; the others their own streams of the same step.
      ctx = TrainingRecipe.keepMargin(i == 0 ? ctx : ctx.withNoiseKey("replica" + i), s);
      replicas.add(replica(on, ctx, clipParts.get(i), labelParts.get(i), validParts.get(i), lambda));
      if (i == 0) {
        // Batch-norm moving averages follow replica 0's batch statistics (DDP's buffers broadcast from rank 0).
        updates = store.trainingUpdates();
      }
    }
    logNavigation(s, lambda, replicas.get(0));
    Ops avg = train.withSubScope("average");
    Operand<TFloat32> count = avg.math.maximum(avg.reduceSum(valid, avg.constant(0)), avg.constant(1f));
    List<Operand<TFloat32>> shares = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      shares.add(avg.math.div(avg.reduceSum(validParts.get(i), avg.constant(0)), count));
    }
    List<Parameter> parameters = store.trainables();
    List<Variable<TFloat32>> variables = parameters.stream().map(Parameter::variable).toList();
    List<List<Output<TFloat32>>> perReplica = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // Each replica's backward pass on its own device (addGradients alone would put them all on the first).
      perReplica.add(GradientGraft.gradients(graph, "replica_" + i + "_gradients", replicas.get(i).loss, variables,
          devices.names().get(i)));
    }
    Ops on0 = avg.withDevice(devices.spec(0));
    List<Operand<TFloat32>> averaged = new ArrayList<>();
    for (int p = 0; p < parameters.size(); p++) {
      List<Operand<TFloat32>> terms = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Output<TFloat32> g = perReplica.get(i).get(p);
        terms.add(g == null ? null : on0.math.mul(g, shares.get(i)));
      }
      // No gradient on a replica: null, which the optimizer reports with every other such parameter.
      averaged.add(terms.contains(null) ? null : on0.math.addN(terms));
    }
    Replica all = new Replica(
        weighted(avg, shares, replicas, Replica::loss),
        weighted(avg, shares, replicas, Replica::clipCrossEntropy),
        weighted(avg, shares, replicas, Replica::accuracy),
        avg.math.mean(avg.stack(replicas.stream().map(Replica::meanSelection).toList()), avg.constant(0)),
        replicas.get(0).navigationLayers);
    return new Built(all, s.optimizer.applyGradients(train, all.loss, parameters, averaged, updates, learningRate));
  }

  /**
   * Builds the network on {@code clips} and its loss: the outputs' cross-entropies over the valid rows plus
   * {@code λ·(1/L)·Σ_l (rt_l − mean(mask_l))²} with each layer's rt following the curriculum.
   */
  private Replica replica(Ops train, BuildContext ctx, Operand<TFloat32> clips, Operand<TInt32> labels,
      Operand<TFloat32> valid, double lambda) {
    ModelOutputs out = model.build(ctx, clips, temperature);
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
    if (!means.isEmpty() && lambda > 0) {
      total = train.math.add(total, train.math.mul(ratioTerms, train.constant((float) (lambda / means.size()))));
    }
    return new Replica(
        total,
        Losses.clipCrossEntropy(train, out, labels, valid),
        Losses.topKAccuracy(train, out.clipLogits(), labels, 1),
        means.isEmpty() ? train.constant(1f) : train.math.mean(train.stack(means), train.constant(0)),
        means.size());
  }

  private void logNavigation(TrainingSettings s, double lambda, Replica first) {
    if (first.navigationLayers > 0) {
      LOG.info("{}: {}", model.name(), TrainingRecipe.describeNavigation(s, lambda));
    }
  }

  private static Operand<TFloat32> weighted(Ops tf, List<Operand<TFloat32>> shares, List<Replica> replicas,
      Function<Replica, Operand<TFloat32>> value) {
    List<Operand<TFloat32>> terms = new ArrayList<>();
    for (int i = 0; i < replicas.size(); i++) {
      terms.add(tf.math.mul(value.apply(replicas.get(i)), shares.get(i)));
    }
    return tf.math.addN(terms);
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
      if (devices.severalCpus()) {
        r.setOptions(RunOptions.newBuilder().setTimeoutInMs(CPU_REPLICA_STEP_TIMEOUT_MS).build());
      }
      try (Result res = run(r)) {
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

  private Result run(Session.Runner r) {
    try {
      return r.run();
    } catch (TensorFlowException e) {
      if (devices.severalCpus() && String.valueOf(e.getMessage()).contains("Timed out")) {
        throw new IllegalStateException(
            "a training step on " + devices.count() + " CPU devices did not finish in " + CPU_REPLICA_STEP_TIMEOUT_MS / 60_000
                + " minutes: TensorFlow's oneDNN kernels can deadlock when one process has several CPU devices; run with"
                + " the environment variable TF_ENABLE_ONEDNN_OPTS=0, or on one device",
            e);
      }
      throw e;
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

  /** The op one training step runs. */
  TrainOp trainOp() {
    return trainOp;
  }

  /** The devices the training build's replicas run on. */
  public Devices devices() {
    return devices;
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
