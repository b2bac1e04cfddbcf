package io.saccade.runtime.weights;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How a source tensor becomes a parameter value: a layout change whose resulting shape is known from the
 * source shape alone, so an import can check every shape before converting any values.
 *
 * <pre>{@code
 * Conversion.OIHW_TO_HWIO.shape(new long[] {64, 3, 7, 7});   // [7, 7, 3, 64]
 * Conversion.PYTORCH.apply(linearWeight);                     // [out, in] -> [in, out]
 * }</pre>
 */
public final class Conversion {

  /** Values and shape unchanged (biases, batch-norm vectors). */
  public static final Conversion IDENTITY = new Conversion("identity", s -> s.clone(), a -> a);

  /** Conv kernel OIHW → HWIO, also for grouped kernels {@code [O, I/g, kh, kw]}. */
  public static final Conversion OIHW_TO_HWIO = permutation("oihw->hwio", 2, 3, 1, 0);

  /** Depthwise kernel {@code [C, 1, kh, kw]} → {@code [kh, kw, C, 1]}. */
  public static final Conversion DEPTHWISE_OIHW_TO_HWCM =
      new Conversion(
          "depthwise oihw->hwcm",
          s -> {
            if (s.length != 4 || s[1] != 1) {
              throw new IllegalArgumentException("needs a depthwise kernel [C, 1, kh, kw], got " + Arrays.toString(s));
            }
            return Layouts.permute(s, 2, 3, 0, 1);
          },
          Layouts::depthwiseOihwToHwcm);

  /** Linear weight {@code [out, in]} → {@code [in, out]}. */
  public static final Conversion LINEAR_TO_IN_OUT = permutation("linear [out,in]->[in,out]", 1, 0);

  /**
   * PyTorch's usual layouts by rank: rank 4 as {@link #OIHW_TO_HWIO}, rank 2 as {@link #LINEAR_TO_IN_OUT},
   * others unchanged. Depthwise kernels need {@link #DEPTHWISE_OIHW_TO_HWCM} instead (an import's shape
   * check catches the mix-up whenever C &gt; 1).
   */
  public static final Conversion PYTORCH =
      new Conversion("pytorch", s -> byRank(s.length).shape(s), a -> byRank(a.rank()).apply(a));

  private final String name;
  private final UnaryOperator<long[]> shapeFunction;
  private final UnaryOperator<NpyArray> valueFunction;

  private Conversion(String name, UnaryOperator<long[]> shapeFunction, UnaryOperator<NpyArray> valueFunction) {
    this.name = name;
    this.shapeFunction = shapeFunction;
    this.valueFunction = valueFunction;
  }

  /**
   * A custom conversion.
   *
   * @param name shown in import reports
   * @param shapeFunction the target shape for a source shape; throws {@link IllegalArgumentException} when
   *     the source shape does not fit
   * @param valueFunction the conversion itself; must produce exactly {@code shapeFunction}'s shape
   */
  public static Conversion of(String name, UnaryOperator<long[]> shapeFunction, UnaryOperator<NpyArray> valueFunction) {
    return new Conversion(
        Objects.requireNonNull(name, "name"),
        Objects.requireNonNull(shapeFunction, "shapeFunction"),
        Objects.requireNonNull(valueFunction, "valueFunction"));
  }

  /** An axis permutation, numpy's {@code transpose(perm)}. */
  public static Conversion permutation(String name, int... perm) {
    int[] p = perm.clone();
    return new Conversion(name, s -> Layouts.permute(s, p), a -> Layouts.transpose(a, p));
  }

  /** A reshape to {@code shape} (row-major order kept); the sizes must agree. */
  public static Conversion reshape(long... shape) {
    long[] target = shape.clone();
    long size = NpyArray.sizeOf(target);
    UnaryOperator<long[]> shapeFunction =
        s -> {
          if (NpyArray.sizeOf(s) != size) {
            throw new IllegalArgumentException(
                "cannot reshape " + Arrays.toString(s) + " (" + NpyArray.sizeOf(s) + " values) to " + Arrays.toString(target));
          }
          return target.clone();
        };
    return new Conversion("reshape to " + Arrays.toString(target), shapeFunction, a -> {
      shapeFunction.apply(a.shape());
      return a.withShape(target);
    });
  }

  /** This conversion followed by {@code next}. */
  public Conversion andThen(Conversion next) {
    return new Conversion(
        name + ", " + next.name,
        s -> next.shapeFunction.apply(shapeFunction.apply(s)),
        a -> next.valueFunction.apply(valueFunction.apply(a)));
  }

  /** The shape {@link #apply} will produce for a source of shape {@code sourceShape}. */
  public long[] shape(long[] sourceShape) {
    return shapeFunction.apply(sourceShape.clone());
  }

  /** Converts {@code source}; checks the result has the promised shape. */
  public NpyArray apply(NpyArray source) {
    long[] expected = shape(source.shape());
    NpyArray out = valueFunction.apply(source);
    if (!Arrays.equals(out.shape(), expected)) {
      throw new IllegalStateException(
          "conversion " + name + " promised shape " + Arrays.toString(expected) + " but made " + Arrays.toString(out.shape()));
    }
    return out;
  }

  /** The name shown in import reports, e.g. {@code oihw->hwio}. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }

  private static Conversion byRank(int rank) {
    return rank == 4 ? OIHW_TO_HWIO : rank == 2 ? LINEAR_TO_IN_OUT : IDENTITY;
  }
}
