package io.saccade.runtime.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A one-layer GRU over time with PyTorch's equations ({@code torch.nn.GRU}, both bias vectors),
 * starting from a zero state and unrolled over the static number of steps T:
 *
 * <pre>
 * r = σ(x·W_ir + b_ir + h·W_hr + b_hr)
 * z = σ(x·W_iz + b_iz + h·W_hz + b_hz)
 * n = tanh(x·W_in + b_in + r ⊙ (h·W_hn + b_hn))
 * h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 *
 * <p>Parameters {@code weight_ih [in, 3H]}, {@code weight_hh [H, 3H]}, {@code bias_ih [3H]},
 * {@code bias_hh [3H]}, the gate blocks in PyTorch's order r | z | n (each weight the transpose of
 * PyTorch's {@code weight_ih_l0}/{@code weight_hh_l0}), initialised as PyTorch does: uniform on
 * ±1/sqrt(H). {@code 3·H·(in + H) + 6·H} values in all.
 *
 * <pre>{@code
 * // AdaFocusV2's policy: 2048 features per frame, 16 frames
 * Operand<TFloat32> states = Gru.builder(2048).build(ctx.child("gru"), features);   // [N, 16, 2048]
 * }</pre>
 */
public final class Gru {

  private Gru() {}

  /** A GRU with {@code hidden} state features. */
  public static Builder builder(int hidden) {
    return new Builder(Windows.atLeast("GRU hidden size", hidden, 1));
  }

  /**
   * The GRU on {@code x} with the given weights: {@code [N, T, in]} → every step's state {@code [N, T, H]}.
   *
   * @param weightIh {@code [in, 3H]}
   * @param weightHh {@code [H, 3H]}
   * @param biasIh {@code [3H]}
   * @param biasHh {@code [3H]}
   */
  public static Operand<TFloat32> apply(
      Ops tf,
      Operand<TFloat32> x,
      Operand<TFloat32> weightIh,
      Operand<TFloat32> weightHh,
      Operand<TFloat32> biasIh,
      Operand<TFloat32> biasHh) {
    Objects.requireNonNull(x, "x");
    Shape s = x.shape();
    if (s.isUnknown() || s.numDimensions() != 3 || s.get(1) <= 0 || s.get(2) <= 0) {
      throw new IllegalArgumentException("GRU needs an input [N, T, in] with static T and in, got shape " + s);
    }
    int steps = (int) s.get(1);
    int in = (int) s.get(2);
    Shape wh = weightHh.shape();
    int hidden = (int) wh.get(0);
    if (wh.numDimensions() != 2 || wh.get(1) != 3L * hidden) {
      throw new IllegalArgumentException("GRU weight_hh must be [H, 3H], got shape " + wh);
    }
    if (!weightIh.shape().equals(Shape.of(in, 3L * hidden))) {
      throw new IllegalArgumentException(
          "GRU weight_ih must be [in, 3H] = [" + in + ", " + 3 * hidden + "], got shape " + weightIh.shape());
    }
    // The input projections of every step in one matmul; only the recurrent part runs step by step.
    Operand<TFloat32> gx = Linear.apply(tf, tf.reshape(x, tf.constant(new int[] {-1, in})), weightIh, biasIh);
    gx = tf.reshape(gx, tf.constant(new int[] {-1, steps, 3 * hidden}));
    List<Operand<TFloat32>> perStep = new ArrayList<>(tf.unstack(gx, (long) steps, org.tensorflow.op.core.Unstack.axis(1L)).output());
    Operand<TFloat32> zeroState =
        tf.zerosLike(tf.slice(perStep.get(0), tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, hidden})));
    Operand<TFloat32> h = zeroState;
    List<Operand<TFloat32>> states = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      h = cell(tf.withSubScope("step" + t), perStep.get(t), h, weightHh, biasHh);
      states.add(h);
    }
    return tf.stack(states, org.tensorflow.op.core.Stack.axis(1L));
  }

  /** One step from the input projection {@code gx = x·W_ih + b_ih} {@code [N, 3H]} and the state {@code h} {@code [N, H]}. */
  private static Operand<TFloat32> cell(
      Ops st, Operand<TFloat32> gx, Operand<TFloat32> h, Operand<TFloat32> weightHh, Operand<TFloat32> biasHh) {
    Operand<TFloat32> gh = Linear.apply(st, h, weightHh, biasHh);
    List<Operand<TFloat32>> xs = gates(st, gx);
    List<Operand<TFloat32>> hs = gates(st, gh);
    Operand<TFloat32> r = st.math.sigmoid(st.math.add(xs.get(0), hs.get(0)));
    Operand<TFloat32> z = st.math.sigmoid(st.math.add(xs.get(1), hs.get(1)));
    Operand<TFloat32> n = st.math.tanh(st.math.add(xs.get(2), st.math.mul(r, hs.get(2))));
    // (1 − z)·n + z·h = n + z·(h − n)
    return st.math.add(n, st.math.mul(z, st.math.sub(h, n)));
  }

  /** The r, z and n blocks of a {@code [N, 3H]} pre-activation. */
  private static List<Operand<TFloat32>> gates(Ops tf, Operand<TFloat32> g) {
    return new ArrayList<>(tf.split(tf.constant(1), g, 3L).output());
  }

  /** Configures and builds a {@link Gru}. */
  public static final class Builder {
    private final int hidden;

    private Builder(int hidden) {
      this.hidden = hidden;
    }

    /**
     * Builds the GRU on {@code x} {@code [N, T, in]} (T and in static), giving every step's state
     * {@code [N, T, H]}; creates {@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}.
     */
    public Operand<TFloat32> build(BuildContext ctx, Operand<TFloat32> x) {
      Windows.rank("GRU", x, 3, "[N, T, in]");
      Weights w = weights(ctx, Windows.channels("GRU", x));
      return apply(ctx.tf(), x, w.ih().variable(), w.hh().variable(), w.biasIh().variable(), w.biasHh().variable());
    }

    /** PyTorch's four GRU parameters, U(±1/√H), created on first use under {@code ctx}. */
    private record Weights(Parameter ih, Parameter hh, Parameter biasIh, Parameter biasHh) {}

    private Weights weights(BuildContext ctx, long in) {
      Initializer pytorch = Initializer.uniform((float) (1.0 / Math.sqrt(hidden)));
      return new Weights(
          ctx.parameter("weight_ih", Parameter.Role.WEIGHT, Shape.of(in, 3L * hidden), pytorch),
          ctx.parameter("weight_hh", Parameter.Role.WEIGHT, Shape.of(hidden, 3L * hidden), pytorch),
          ctx.parameter("bias_ih", Parameter.Role.BIAS, Shape.of(3L * hidden), pytorch),
          ctx.parameter("bias_hh", Parameter.Role.BIAS, Shape.of(3L * hidden), pytorch));
    }

    /**
     * One step of the same GRU (the parameters of {@link #build} under the same context): the input
     * {@code x} {@code [N, in]} and the previous state {@code h} {@code [N, H]}, or null for the zero
     * state at the first step, give the next state {@code [N, H]} — equal to the step's row of {@link #build}
     * on the whole sequence, for running a recurrence one frame at a time.
     */
    public Operand<TFloat32> step(BuildContext ctx, Operand<TFloat32> x, Operand<TFloat32> h) {
      Windows.rank("GRU step", x, 2, "[N, in]");
      Weights w = weights(ctx, Windows.channels("GRU step", x));
      Ops tf = ctx.tf();
      Operand<TFloat32> gx = Linear.apply(tf, x, w.ih().variable(), w.biasIh().variable());
      Operand<TFloat32> state =
          h != null ? h : tf.zerosLike(tf.slice(gx, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, hidden})));
      return cell(tf, gx, state, w.hh().variable(), w.biasHh().variable());
    }
  }
}
