package io.saccade.runtime.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array read from a {@code .npy}/{@code .npz} or {@code .safetensors} file: its source
 * dtype, its shape and its values in row-major (C) order.
 *
 * <p>Floating values are held as float32 ({@code float16}, {@code bfloat16} and {@code float32} exactly)
 * or, for {@code float64}, as doubles; integer and boolean values as longs. {@link #floats()} gives
 * float32 values for every dtype, {@link #doubles()} gives exact values for every floating dtype, and
 * {@link #longs()} gives exact values for integer and boolean dtypes. Instances are immutable; the
 * accessors return copies.
 *
 * <pre>{@code
 * NpyArray w = Npz.read(Path.of("weights.npz")).get("conv1.weight");
 * w.dtype();    // FLOAT16
 * w.shape();    // [64, 3, 7, 7]  (OIHW)
 * w.floats();   // 9,408 float32 values, exact
 * }</pre>
 */
public final class NpyArray {

  /** Element types the readers understand, with their {@code .npy} and safetensors names. */
  public enum DType {
    /** numpy {@code |b1}, safetensors {@code BOOL}: one byte, 0 or 1. */
    BOOL("b1", "BOOL", 1),
    /** numpy {@code |i1}, safetensors {@code I8}. */
    INT8("i1", "I8", 1),
    /** numpy {@code <i2}, safetensors {@code I16}. */
    INT16("i2", "I16", 2),
    /** numpy {@code <i4}, safetensors {@code I32}. */
    INT32("i4", "I32", 4),
    /** numpy {@code <i8}, safetensors {@code I64} (e.g. PyTorch's {@code num_batches_tracked}). */
    INT64("i8", "I64", 8),
    /** numpy {@code |u1}, safetensors {@code U8}. */
    UINT8("u1", "U8", 1),
    /** numpy {@code <u2}, safetensors {@code U16}. */
    UINT16("u2", "U16", 2),
    /** numpy {@code <u4}, safetensors {@code U32}. */
    UINT32("u4", "U32", 4),
    /** numpy {@code <u8}, safetensors {@code U64}; values above 2^63 − 1 read back negative from {@link #longs()}. */
    UINT64("u8", "U64", 8),
    /** numpy {@code <f2}, safetensors {@code F16}: IEEE half precision. */
    FLOAT16("f2", "F16", 2),
    /** safetensors {@code BF16} (numpy has no native bfloat16). */
    BFLOAT16(null, "BF16", 2),
    /** numpy {@code <f4}, safetensors {@code F32}. */
    FLOAT32("f4", "F32", 4),
    /** numpy {@code <f8}, safetensors {@code F64}. */
    FLOAT64("f8", "F64", 8);

    private final String numpyCode;
    private final String safetensorsName;
    private final int itemSize;

    DType(String numpyCode, String safetensorsName, int itemSize) {
      this.numpyCode = numpyCode;
      this.safetensorsName = safetensorsName;
      this.itemSize = itemSize;
    }

    /** Bytes per element. */
    public int itemSize() {
      return itemSize;
    }

    /** Whether values are floating point. */
    public boolean isFloating() {
      return this == FLOAT16 || this == BFLOAT16 || this == FLOAT32 || this == FLOAT64;
    }

    /** The numpy type code without byte order, e.g. {@code f2}; null for bfloat16. */
    public String numpyCode() {
      return numpyCode;
    }

    /** The safetensors name, e.g. {@code F16}. */
    public String safetensorsName() {
      return safetensorsName;
    }

    /** The dtype with numpy type code {@code code} (e.g. {@code f4}), or null. */
    static DType fromNumpyCode(String code) {
      for (DType t : values()) {
        if (code.equals(t.numpyCode)) {
          return t;
        }
      }
      return null;
    }

    /** The dtype with safetensors name {@code name} (e.g. {@code F16}), or null. */
    static DType fromSafetensorsName(String name) {
      for (DType t : values()) {
        if (name.equals(t.safetensorsName)) {
          return t;
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final DType dtype;
  private final long[] shape;
  // Exactly one of these holds the values, chosen by dtype.
  private final float[] floatValues;
  private final double[] doubleValues;
  private final long[] longValues;

  private NpyArray(DType dtype, long[] shape, float[] f, double[] d, long[] l) {
    this.dtype = dtype;
    this.shape = shape;
    this.floatValues = f;
    this.doubleValues = d;
    this.longValues = l;
    int length = f != null ? f.length : d != null ? d.length : l.length;
    long size = sizeOf(shape);
    if (size != length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + size + " values, got " + length);
    }
  }

  /** A float32 array of the given shape (row-major values, not copied: do not change them afterwards). */
  public static NpyArray ofFloats(float[] values, long... shape) {
    return ofFloats(DType.FLOAT32, values, shape);
  }

  /** A float64 array of the given shape (row-major values, not copied: do not change them afterwards). */
  public static NpyArray ofDoubles(double[] values, long... shape) {
    return new NpyArray(DType.FLOAT64, checkShape(shape), null, Objects.requireNonNull(values, "values"), null);
  }

  /** An int64 array of the given shape (row-major values, not copied: do not change them afterwards). */
  public static NpyArray ofLongs(long[] values, long... shape) {
    return ofLongs(DType.INT64, values, shape);
  }

  /** Float32-held values labelled with their source dtype (float16, bfloat16 or float32). */
  static NpyArray ofFloats(DType dtype, float[] values, long... shape) {
    if (dtype != DType.FLOAT16 && dtype != DType.BFLOAT16 && dtype != DType.FLOAT32) {
      throw new IllegalArgumentException("float32 storage cannot hold dtype " + dtype);
    }
    return new NpyArray(dtype, checkShape(shape), Objects.requireNonNull(values, "values"), null, null);
  }

  /** Long-held values labelled with their source integer or boolean dtype. */
  static NpyArray ofLongs(DType dtype, long[] values, long... shape) {
    if (dtype.isFloating()) {
      throw new IllegalArgumentException("long storage cannot hold dtype " + dtype);
    }
    return new NpyArray(dtype, checkShape(shape), null, null, Objects.requireNonNull(values, "values"));
  }

  /** The same dtype and values in a new shape of equal size (values shared, they are never mutated). */
  NpyArray withShape(long[] newShape) {
    return new NpyArray(dtype, checkShape(newShape), floatValues, doubleValues, longValues);
  }

  /** The dtype the values were stored as in the file. */
  public DType dtype() {
    return dtype;
  }

  /** The shape, outermost dimension first (a copy). */
  public long[] shape() {
    return shape.clone();
  }

  /** Number of dimensions; 0 for a scalar. */
  public int rank() {
    return shape.length;
  }

  /** Extent of dimension {@code axis}. */
  public long dim(int axis) {
    return shape[axis];
  }

  /** Number of values (the product of the shape; 1 for a scalar). */
  public int size() {
    return floatValues != null ? floatValues.length : doubleValues != null ? doubleValues.length : longValues.length;
  }

  /** The values as float32, row-major (a copy). Exact for float16, bfloat16, float32, bool and small integers. */
  public float[] floats() {
    return floatValues != null ? floatValues.clone() : floatView();
  }

  /** The values as float64, row-major (a copy). Exact for every floating dtype and integers below 2^53. */
  public double[] doubles() {
    if (doubleValues != null) {
      return doubleValues.clone();
    }
    double[] out = new double[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubleAt(i);
    }
    return out;
  }

  /**
   * The values as longs, row-major (a copy), for integer and boolean dtypes.
   *
   * @throws IllegalStateException for floating dtypes, whose values are not integers
   */
  public long[] longs() {
    if (longValues == null) {
      throw new IllegalStateException("a " + dtype + " array has no exact long values; use floats() or doubles()");
    }
    return longValues.clone();
  }

  /** The value at a row-major index as float32. */
  public float getFloat(long... index) {
    int flat = flatIndex(index);
    if (floatValues != null) {
      return floatValues[flat];
    }
    return (float) doubleAt(flat);
  }

  /** The values as float32 without copying when already float32-held; callers in this package never mutate it. */
  float[] floatView() {
    if (floatValues != null) {
      return floatValues;
    }
    float[] out = new float[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) doubleAt(i);
    }
    return out;
  }

  /** Rearranges values: {@code out[i] = this[source[i]]}, in a new shape (same dtype). */
  NpyArray gather(int[] source, long[] newShape) {
    if (floatValues != null) {
      float[] out = new float[source.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = floatValues[source[i]];
      }
      return new NpyArray(dtype, newShape, out, null, null);
    }
    if (doubleValues != null) {
      double[] out = new double[source.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = doubleValues[source[i]];
      }
      return new NpyArray(dtype, newShape, null, out, null);
    }
    long[] out = new long[source.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = longValues[source[i]];
    }
    return new NpyArray(dtype, newShape, null, null, out);
  }

  private double doubleAt(int i) {
    if (floatValues != null) {
      return floatValues[i];
    }
    if (doubleValues != null) {
      return doubleValues[i];
    }
    long v = longValues[i];
    if (dtype == DType.UINT64 && v < 0) {
      // Unsigned 64-bit above 2^63: halve, convert, double (loses only the lowest bit, below double precision).
      return ((double) ((v >>> 1) | (v & 1))) * 2.0;
    }
    return v;
  }

  private int flatIndex(long[] index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "index " + Arrays.toString(index) + " has " + index.length + " coordinates, the array has rank " + shape.length);
    }
    long flat = 0;
    for (int i = 0; i < shape.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IllegalArgumentException(
            "index " + Arrays.toString(index) + " is outside shape " + Arrays.toString(shape) + " at axis " + i);
      }
      flat = flat * shape[i] + index[i];
    }
    return (int) flat;
  }

  /** Product of the dimensions; throws if a dimension is negative or the product exceeds a Java array. */
  static long sizeOf(long[] shape) {
    long size = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      size = Math.multiplyExact(size, d);
    }
    return size;
  }

  private static long[] checkShape(long[] shape) {
    long[] copy = Objects.requireNonNull(shape, "shape").clone();
    long size;
    try {
      size = sizeOf(copy);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("shape " + Arrays.toString(copy) + " overflows a long", e);
    }
    if (size > MAX_VALUES) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(copy) + " holds " + size + " values, more than one Java array can (" + MAX_VALUES + ")");
    }
    return copy;
  }

  /** The most values one array can hold (the JVM's practical array limit). */
  static final int MAX_VALUES = Integer.MAX_VALUE - 8;

  @Override
  public String toString() {
    return dtype + " " + Arrays.toString(shape);
  }
}
