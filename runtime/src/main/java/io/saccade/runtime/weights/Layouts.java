package io.saccade.runtime.weights;

import java.util.Arrays;

/**
 * Axis permutations between PyTorch's layouts and TensorFlow's.
 *
 * <table>
 *   <caption>Conversions</caption>
 *   <tr><th>what</th><th>PyTorch</th><th>TensorFlow</th><th>permutation</th></tr>
 *   <tr><td>conv kernel (also grouped)</td><td>OIHW {@code [O, I/g, kh, kw]}</td><td>HWIO {@code [kh, kw, I/g, O]}</td><td>(2, 3, 1, 0)</td></tr>
 *   <tr><td>depthwise kernel</td><td>{@code [C, 1, kh, kw]}</td><td>{@code [kh, kw, C, 1]}</td><td>(2, 3, 0, 1)</td></tr>
 *   <tr><td>linear weight</td><td>{@code [out, in]}</td><td>{@code [in, out]}</td><td>(1, 0)</td></tr>
 *   <tr><td>activations</td><td>NCHW</td><td>NHWC</td><td>(0, 2, 3, 1)</td></tr>
 * </table>
 *
 * <pre>{@code
 * NpyArray hwio = Layouts.oihwToHwio(weights.get("conv1.weight"));   // [64,3,7,7] -> [7,7,3,64]
 * float[] nhwc = Layouts.transpose(nchw, new long[] {16, 64, 16, 16}, 0, 2, 3, 1);
 * }</pre>
 *
 * <p>Permutations follow numpy's {@code transpose}: output axis {@code i} is input axis {@code perm[i]}.
 */
public final class Layouts {

  private Layouts() {}

  /** OIHW → HWIO: {@code transpose(2, 3, 1, 0)}. Grouped kernels {@code [O, I/g, kh, kw]} convert the same way. */
  public static NpyArray oihwToHwio(NpyArray oihw) {
    return transpose(requireRank(oihw, 4, "an OIHW conv kernel"), 2, 3, 1, 0);
  }

  /** HWIO → OIHW: {@code transpose(3, 2, 0, 1)}. */
  public static NpyArray hwioToOihw(NpyArray hwio) {
    return transpose(requireRank(hwio, 4, "an HWIO conv kernel"), 3, 2, 0, 1);
  }

  /** Depthwise {@code [C, 1, kh, kw]} → {@code [kh, kw, C, 1]} (TensorFlow's depthwise filter with multiplier 1). */
  public static NpyArray depthwiseOihwToHwcm(NpyArray oihw) {
    requireRank(oihw, 4, "a depthwise OIHW kernel [C, 1, kh, kw]");
    if (oihw.dim(1) != 1) {
      throw new IllegalArgumentException(
          "a depthwise OIHW kernel must be [C, 1, kh, kw], got " + Arrays.toString(oihw.shape()));
    }
    return transpose(oihw, 2, 3, 0, 1);
  }

  /** Linear weight {@code [out, in]} → {@code [in, out]} (so that {@code y = x · W}). */
  public static NpyArray linearToInOut(NpyArray outIn) {
    return transpose(requireRank(outIn, 2, "a linear weight [out, in]"), 1, 0);
  }

  /** NCHW activations → NHWC: {@code transpose(0, 2, 3, 1)}. */
  public static NpyArray nchwToNhwc(NpyArray nchw) {
    return transpose(requireRank(nchw, 4, "NCHW activations"), 0, 2, 3, 1);
  }

  /** NHWC activations → NCHW: {@code transpose(0, 3, 1, 2)}. */
  public static NpyArray nhwcToNchw(NpyArray nhwc) {
    return transpose(requireRank(nhwc, 4, "NHWC activations"), 0, 3, 1, 2);
  }

  /** Permutes the axes of {@code a} (same dtype and values): output axis {@code i} is input axis {@code perm[i]}. */
  public static NpyArray transpose(NpyArray a, int... perm) {
    long[] shape = a.shape();
    long[] outShape = permute(shape, perm);
    if (isIdentity(perm)) {
      return a;
    }
    return a.gather(sourceIndex(shape, perm), outShape);
  }

  /** Permutes the axes of row-major {@code data} of the given shape into a new array. */
  public static float[] transpose(float[] data, long[] shape, int... perm) {
    long[] outShape = permute(shape, perm);
    long size = NpyArray.sizeOf(shape);
    if (size != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + size + " values, data has " + data.length);
    }
    return NpyArray.ofFloats(data, shape).gather(sourceIndex(shape, perm), outShape).floatView();
  }

  /** The shape after {@link #transpose}: {@code out[i] = shape[perm[i]]}; checks that perm is a permutation. */
  public static long[] permute(long[] shape, int... perm) {
    if (perm.length != shape.length) {
      throw new IllegalArgumentException(
          "permutation " + Arrays.toString(perm) + " has " + perm.length + " axes, the shape "
              + Arrays.toString(shape) + " has " + shape.length);
    }
    boolean[] seen = new boolean[perm.length];
    long[] out = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      int p = perm[i];
      if (p < 0 || p >= perm.length || seen[p]) {
        throw new IllegalArgumentException(
            "axes " + Arrays.toString(perm) + " are not a permutation of 0.." + (perm.length - 1));
      }
      seen[p] = true;
      out[i] = shape[p];
    }
    return out;
  }

  /** For each output position, the row-major index of its source value. */
  private static int[] sourceIndex(long[] shape, int[] perm) {
    int n = perm.length;
    int size = (int) NpyArray.sizeOf(shape);
    long[] inStride = new long[n];
    long stride = 1;
    for (int i = n - 1; i >= 0; i--) {
      inStride[i] = stride;
      stride *= shape[i];
    }
    // Walk output positions in row-major order with an odometer over the output shape.
    int[] dims = new int[n];
    int[] strides = new int[n];
    for (int i = 0; i < n; i++) {
      dims[i] = (int) shape[perm[i]];
      strides[i] = (int) inStride[perm[i]];
    }
    int[] out = new int[size];
    int[] counter = new int[n];
    int src = 0;
    for (int o = 0; o < size; o++) {
      out[o] = src;
      for (int axis = n - 1; axis >= 0; axis--) {
        if (++counter[axis] < dims[axis]) {
          src += strides[axis];
          break;
        }
        counter[axis] = 0;
        src -= strides[axis] * (dims[axis] - 1);
      }
    }
    return out;
  }

  private static boolean isIdentity(int[] perm) {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  private static NpyArray requireRank(NpyArray a, int rank, String what) {
    if (a.rank() != rank) {
      throw new IllegalArgumentException(
          what + " needs rank " + rank + ", got shape " + Arrays.toString(a.shape()));
    }
    return a;
  }
}
