package io.saccade.runtime.train;

import io.saccade.runtime.nn.Parameter;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The op an {@link Optimizer} builds: run it as a target once per training step.
 *
 * <pre>{@code
 * try (Result r = session.runner().feed(lr, lrValue).addTarget(train).fetch(loss).fetch(train.gradientNorm()).run()) {
 *   ...
 * }
 * }</pre>
 *
 * @param op the grouping op: all gradients, then all updates, extra updates and the step increment
 * @param step the global step, an int64 {@code VariableV2} at {@code optimizer/step}; 0 before the first
 *     step, incremented by each run of {@code op} and persisted by checkpoints
 * @param gradientNorm the global L2 norm of the raw gradients (before clipping and weight decay), a
 *     scalar worth logging; computed only when fetched unless clipping uses it
 * @param parameters the parameters this op updates, in order
 */
public record TrainOp(
    Operation op, Variable<TInt64> step, Operand<TFloat32> gradientNorm, List<Parameter> parameters)
    implements Op {

  public TrainOp {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(gradientNorm, "gradientNorm");
    parameters = List.copyOf(parameters);
  }
}
