package io.saccade.runtime.train;

import io.saccade.runtime.nn.Parameter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The part every optimizer shares: checks, gradients, global-norm clipping, weight decay, ordering of
 * the updates after all gradients, the step counter and the final grouping op.
 */
final class Minimizer {

  /** How one optimizer turns a gradient into an update of one parameter. */
  interface UpdateRule {

    /** Creates state shared by all parameters (e.g. Adam's β powers); called once, first. */
    default void createSharedState(OptimizerState state) {}

    /**
     * Builds the update of one parameter; state goes through {@code state}, ops through {@code tf}
     * (which carries the control dependency on every gradient).
     */
    Op update(Ops tf, OptimizerState state, Parameter parameter, Operand<TFloat32> gradient, Operand<TFloat32> learningRate);

    /** Ops to run after every update, e.g. advancing Adam's β powers; {@code tf} depends on all updates. */
    default List<Op> afterUpdates(Ops tf, OptimizerState state) {
      return List.of();
    }
  }

  /** Validated settings shared by the optimizer builders. */
  record Settings(String stateScope, float weightDecay, float clipNorm) {
    static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-]*");

    Settings {
      Objects.requireNonNull(stateScope, "stateScope");
      if (!SCOPE.matcher(stateScope).matches()) {
        throw new IllegalArgumentException("stateScope '" + stateScope + "' is not a single name of [A-Za-z0-9_.-]");
      }
      if (!(weightDecay >= 0f) || Float.isInfinite(weightDecay)) {
        throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
      }
      if (!(clipNorm >= 0f) || Float.isInfinite(clipNorm)) {
        throw new IllegalArgumentException("clipNorm must be finite and > 0 (0 = no clipping), got " + clipNorm);
      }
    }

    boolean clipping() {
      return clipNorm > 0f;
    }
  }

  /** PyTorch's clip_grad_norm_ adds this to the norm before dividing. */
  static final float CLIP_EPSILON = 1e-6f;

  private Minimizer() {}

  static TrainOp minimize(
      Ops tf,
      Operand<TFloat32> loss,
      List<Parameter> parameters,
      List<Op> extraUpdates,
      Operand<TFloat32> learningRate,
      Settings settings,
      UpdateRule rule) {
    return minimize(tf, loss, parameters, null, extraUpdates, learningRate, settings, rule);
  }

  /**
   * As {@link #minimize(Ops, Operand, List, List, Operand, Settings, UpdateRule)}, with the gradients given (one
   * per parameter, e.g. averaged over replicas) instead of computed here from {@code loss}; {@code null}
   * computes them.
   */
  static TrainOp minimize(
      Ops tf,
      Operand<TFloat32> loss,
      List<Parameter> parameters,
      List<? extends Operand<TFloat32>> given,
      List<Op> extraUpdates,
      Operand<TFloat32> learningRate,
      Settings settings,
      UpdateRule rule) {
    Objects.requireNonNull(tf, "tf");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(extraUpdates, "extraUpdates");
    Objects.requireNonNull(learningRate, "learningRate");
    if (!(tf.scope().env() instanceof Graph graph)) {
      throw new IllegalArgumentException("optimizers need a Graph, got " + tf.scope().env().getClass().getSimpleName());
    }
    requireScalar("loss", loss);
    requireScalar("learningRate", learningRate);
    checkParameters(graph, loss, parameters);
    String stepName = settings.stateScope() + "/step";
    if (graph.operation(stepName) != null) {
      throw new IllegalArgumentException(
          "the graph already has optimizer state " + stepName
              + "; build one training op per graph, or give a second optimizer another stateScope");
    }

    Ops t = tf.withSubScope("train");
    List<String> noGradient = new ArrayList<>();
    List<Operand<TFloat32>> raw = new ArrayList<>();
    if (given != null) {
      if (given.size() != parameters.size()) {
        throw new IllegalArgumentException(given.size() + " gradients for " + parameters.size() + " parameters");
      }
      for (int i = 0; i < parameters.size(); i++) {
        if (given.get(i) == null) {
          noGradient.add(parameters.get(i).name());
        }
        raw.add(given.get(i));
      }
    } else {
      List<Variable<TFloat32>> variables = parameters.stream().map(Parameter::variable).toList();
      Gradients gradients = t.gradients(loss, variables);
      for (int i = 0; i < parameters.size(); i++) {
        Output<TFloat32> dy = gradients.dy(i);
        var handle = ((GraphOperation) dy.op()).getUnsafeNativeHandle();
        if (handle == null || handle.isNull()) {
          noGradient.add(parameters.get(i).name());
        }
        raw.add(dy);
      }
    }
    if (!noGradient.isEmpty()) {
      throw new IllegalArgumentException(
          "no gradient reaches parameter(s) " + noGradient
              + ": the loss depends on them only through non-differentiable ops (stopGradient, argMax, casts to integers)"
              + "; mark them non-trainable or leave them out of the list");
    }

    Operand<TFloat32> norm = globalNorm(t.withSubScope("global_norm"), raw);
    Operand<TFloat32> coefficient = null;
    if (settings.clipping()) {
      Ops c = t.withSubScope("clip");
      // min(1, clip / (norm + 1e-6)), as torch.nn.utils.clip_grad_norm_.
      coefficient =
          c.math.minimum(
              c.math.div(c.constant(settings.clipNorm()), c.math.add(norm, c.constant(CLIP_EPSILON))), c.constant(1f));
    }
    List<Operand<TFloat32>> finals = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      Operand<TFloat32> g = raw.get(i);
      if (coefficient != null) {
        g = t.math.mul(g, coefficient);
      }
      if (p.weightDecay() && settings.weightDecay() > 0f) {
        // L2 decay added to the gradient after clipping, as torch.optim.SGD/Adam do.
        g = t.math.add(g, t.math.mul(t.constant(settings.weightDecay()), p.variable()));
      }
      finals.add(g);
    }

    OptimizerState state = new OptimizerState(graph, settings.stateScope());
    Variable<TInt64> step = state.counter("step", 0L);
    rule.createSharedState(state);
    // VariableV2 updates race with backprop unless every gradient is computed first.
    Ops afterGradients = t.withControlDependencies(new ArrayList<Op>(finals));
    List<Op> applies = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter p = parameters.get(i);
      Operand<TFloat32> rate =
          p.learningRateMultiplier() == 1f
              ? learningRate
              : afterGradients.math.mul(learningRate, afterGradients.constant(p.learningRateMultiplier()));
      applies.add(rule.update(afterGradients, state, p, finals.get(i), rate));
    }
    List<Op> after = new ArrayList<>(applies);
    after.addAll(rule.afterUpdates(t.withControlDependencies(applies), state));
    Op increment = t.withControlDependencies(after).assignAdd(step, t.constant(1L));
    List<Op> all = new ArrayList<>(after);
    all.add(increment);
    all.addAll(extraUpdates);
    Op group = t.withControlDependencies(all).noOp();
    return new TrainOp(group.op(), step, norm, parameters);
  }

  private static Operand<TFloat32> globalNorm(Ops t, List<Operand<TFloat32>> gradients) {
    List<Operand<TFloat32>> squares = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      int rank = g.shape().numDimensions();
      Operand<TFloat32> flat = rank == 1 ? g : t.reshape(g, t.constant(new long[] {-1}));
      squares.add(t.reduceSum(t.math.square(flat), t.constant(0)));
    }
    return t.math.sqrt(t.math.addN(squares));
  }

  private static void requireScalar(String what, Operand<?> operand) {
    Shape shape = operand.shape();
    if (!shape.isUnknown() && shape.numDimensions() != 0) {
      throw new IllegalArgumentException(what + " must be a scalar, got shape " + shape);
    }
  }

  private static void checkParameters(Graph graph, Operand<TFloat32> loss, List<Parameter> parameters) {
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("no parameters to train");
    }
    Set<String> names = new HashSet<>();
    for (Parameter p : parameters) {
      Objects.requireNonNull(p, "parameter");
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("parameter " + p.name() + " is listed twice");
      }
      if (!p.trainable()) {
        throw new IllegalArgumentException("parameter " + p.name() + " (" + p.role() + ") is not trainable");
      }
      if (p.variable().env() != graph) {
        throw new IllegalArgumentException("parameter " + p.name() + " belongs to another graph");
      }
    }
    // TensorFlow's own error for an unreachable variable is misleading, so name them all up front.
    List<String> refReaders = new ArrayList<>();
    Set<String> reached = ancestors(loss, refReaders);
    if (!refReaders.isEmpty()) {
      throw new IllegalArgumentException(
          "TensorFlow cannot differentiate " + refReaders + " (Square crashes the JVM, Pow fails) when a VariableV2"
              + " is its direct input; read the variable through tf.identity(...) first, or use mul(x, x)");
    }
    List<String> unreachable =
        parameters.stream().filter(p -> !reached.contains(p.variable().op().name())).map(Parameter::name).toList();
    if (!unreachable.isEmpty()) {
      throw new IllegalArgumentException(
          "parameter(s) " + unreachable + " do not reach the loss " + loss.op().name()
              + "; mark them non-trainable or leave them out of the list");
    }
  }

  /** Op types whose C++ gradient breaks on a reference-typed (VariableV2) input. */
  private static final Set<String> NO_REF_INPUT = Set.of("Square", "Pow");

  /**
   * Names of every op the loss reads through data edges (control edges carry no gradient); ops that
   * read a VariableV2 directly with a gradient that cannot take it are added to {@code refReaders}.
   */
  private static Set<String> ancestors(Operand<?> loss, List<String> refReaders) {
    Set<String> seen = new HashSet<>();
    Deque<GraphOperation> todo = new ArrayDeque<>();
    GraphOperation start = (GraphOperation) loss.op();
    seen.add(start.name());
    todo.push(start);
    while (!todo.isEmpty()) {
      GraphOperation op = todo.pop();
      for (int i = 0; i < op.numInputs(); i++) {
        GraphOperation in = (GraphOperation) op.input(i).op();
        if (NO_REF_INPUT.contains(op.type()) && in.type().equals("VariableV2")) {
          refReaders.add(op.name() + " (" + op.type() + " of " + in.name() + ")");
        }
        if (seen.add(in.name())) {
          todo.push(in);
        }
      }
    }
    return seen;
  }
}
