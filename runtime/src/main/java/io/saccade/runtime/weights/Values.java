package io.saccade.runtime.weights;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes raw array bytes of any supported dtype into an {@link NpyArray}, a chunk at a time. */
final class Values {

  private static final int CHUNK = 1 << 16;

  private Values() {}

  /**
   * Reads {@code size(shape) · itemSize} bytes from {@code in} and decodes them.
   *
   * @param file for error messages
   * @param entry for error messages
   */
  static NpyArray decode(InputStream in, NpyArray.DType dtype, ByteOrder order, long[] shape, String file, String entry)
      throws IOException {
    long count = NpyArray.sizeOf(shape);
    if (count > NpyArray.MAX_VALUES) {
      throw new WeightFileException(
          file, entry, "array of shape " + java.util.Arrays.toString(shape) + " has " + count
              + " values, more than one Java array can hold (" + NpyArray.MAX_VALUES + ")", null);
    }
    int n = (int) count;
    int item = dtype.itemSize();
    float[] f = null;
    double[] d = null;
    long[] l = null;
    switch (dtype) {
      case FLOAT16, BFLOAT16, FLOAT32 -> f = new float[n];
      case FLOAT64 -> d = new double[n];
      default -> l = new long[n];
    }
    byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(item, (long) n * item))];
    ByteBuffer buf = ByteBuffer.wrap(chunk).order(order);
    int perChunk = chunk.length / item;
    int done = 0;
    while (done < n) {
      int k = Math.min(perChunk, n - done);
      int want = k * item;
      int got = in.readNBytes(chunk, 0, want);
      if (got < want) {
        long have = (long) done * item + got;
        throw new WeightFileException(
            file, entry, "truncated: a " + dtype + " array of shape " + java.util.Arrays.toString(shape) + " needs "
                + (long) n * item + " data bytes, found only " + have, new EOFException());
      }
      buf.clear();
      for (int i = 0; i < k; i++) {
        int at = done + i;
        switch (dtype) {
          case FLOAT16 -> f[at] = Float16.toFloat(buf.getShort());
          case BFLOAT16 -> f[at] = Float16.bfloat16ToFloat(buf.getShort());
          case FLOAT32 -> f[at] = buf.getFloat();
          case FLOAT64 -> d[at] = buf.getDouble();
          case BOOL, UINT8 -> l[at] = buf.get() & 0xffL;
          case INT8 -> l[at] = buf.get();
          case INT16 -> l[at] = buf.getShort();
          case UINT16 -> l[at] = buf.getShort() & 0xffffL;
          case INT32 -> l[at] = buf.getInt();
          case UINT32 -> l[at] = buf.getInt() & 0xffffffffL;
          case INT64, UINT64 -> l[at] = buf.getLong();
        }
      }
      done += k;
    }
    if (dtype == NpyArray.DType.BOOL) {
      for (int i = 0; i < n; i++) {
        if (l[i] > 1) {
          throw new WeightFileException(file, entry, "bool value " + l[i] + " at index " + i + " is neither 0 nor 1", null);
        }
      }
    }
    if (f != null) {
      return NpyArray.ofFloats(dtype, f, shape);
    }
    if (d != null) {
      return NpyArray.ofDoubles(d, shape);
    }
    return NpyArray.ofLongs(dtype, l, shape);
  }
}
