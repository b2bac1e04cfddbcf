package io.saccade.runtime.train;

import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.ParameterStore;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Turns a scalar loss into one training op that updates a network's trainable parameters.
 *
 * <p>The returned {@link TrainOp} computes every gradient first, then applies all updates (each
 * parameter at {@code learningRate × parameter.learningRateMultiplier()}, with weight decay only where
 * {@code parameter.weightDecay()} is set), runs the extra updates (batch-norm moving averages) and
 * increments the global step. The learning rate is an operand — usually a fed scalar placeholder — so a
 * {@link LearningRateSchedule} changes it every step without rebuilding the graph.
 *
 * <p>Optimizer state (momentum buffers, Adam moments, the step counter) is made of {@code VariableV2}s
 * named {@code optimizer/...}, so {@code Session.save/restore} and {@link Checkpoints} persist it; it is
 * never a {@link Parameter}. Build one training op per graph, after the whole network, and before the
 * first {@code Session.save} (TensorFlow Java fixes the saved variable list at the first save).
 *
 * <pre>{@code
 * Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
 * TrainOp train = SgdMomentum.builder().momentum(0.9f).weightDecay(5e-4f).clipNorm(20f).build()
 *     .minimize(tf, loss, store, lr);
 * session.runner().feed(lr, TFloat32.scalarOf((float) schedule.at(step))).addTarget(train).run();
 * }</pre>
 */
public interface Optimizer {

  /**
   * Builds the training op for the given parameters.
   *
   * @param tf where the gradient and update ops go (state variables always go under {@code optimizer/})
   * @param loss scalar loss
   * @param parameters the trainable parameters to update; each must reach {@code loss} differentiably
   * @param extraUpdates ops to run with every step, e.g. {@link ParameterStore#trainingUpdates()}
   * @param learningRate scalar base learning rate (per step; multiplied by each parameter's multiplier)
   * @throws IllegalArgumentException if a shape is not scalar, the parameter list is empty, holds a
   *     duplicate or non-trainable parameter, or a parameter has no gradient path to the loss (naming it)
   */
  TrainOp minimize(
      Ops tf,
      Operand<TFloat32> loss,
      List<Parameter> parameters,
      List<Op> extraUpdates,
      Operand<TFloat32> learningRate);

  /**
   * As {@link #minimize(Ops, Operand, List, List, Operand)}, with the gradients already computed, one per
   * parameter in order (e.g. averaged over the replicas of a multi-device step); clipping, weight decay and the
   * update rule apply to them as to computed ones. The built-in optimizers implement it; the default says that
   * this optimizer cannot.
   *
   * @param loss the scalar the gradients are of (checked to reach every parameter)
   * @throws UnsupportedOperationException if this optimizer only applies gradients it computes itself
   */
  default TrainOp applyGradients(
      Ops tf,
      Operand<TFloat32> loss,
      List<Parameter> parameters,
      List<? extends Operand<TFloat32>> gradients,
      List<Op> extraUpdates,
      Operand<TFloat32> learningRate) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot apply gradients computed elsewhere, which training on several devices"
            + " needs; use Adam or SgdMomentum, or train on one device");
  }

  /** Trains every {@link ParameterStore#trainables()} parameter and runs the store's training updates. */
  default TrainOp minimize(Ops tf, Operand<TFloat32> loss, ParameterStore store, Operand<TFloat32> learningRate) {
    return minimize(tf, loss, store.trainables(), store.trainingUpdates(), learningRate);
  }
}
