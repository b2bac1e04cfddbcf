package io.saccade.runtime.weights;

import io.saccade.runtime.io.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reader of the safetensors format: an 8-byte little-endian header length {@code N}, {@code N} bytes of
 * UTF-8 JSON {@code {"name": {"dtype": "F16", "shape": [64, 3, 7, 7], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}}, then the little-endian tensor bytes; offsets are relative to the
 * first byte after the header.
 *
 * <p>Supported dtypes: {@code F16 BF16 F32 F64 I8 I16 I32 I64 U8 U16 U32 U64 BOOL}. Tensors come back in
 * header order. Offsets outside the file, a byte range that does not match the shape and dtype, and
 * unsupported dtypes raise a {@link WeightFileException} naming the file and the tensor.
 *
 * <pre>{@code
 * Map<String, NpyArray> weights = SafeTensors.read(Path.of("model.safetensors"));
 * Map<String, String> info = SafeTensors.metadata(Path.of("model.safetensors"));   // {"format": "pt"}
 * }</pre>
 */
public final class SafeTensors {

  /** Header sizes above this are rejected as corrupt (the reference implementation's limit). */
  public static final long MAX_HEADER_BYTES = 100L << 20;

  private static final String METADATA = "__metadata__";

  private SafeTensors() {}

  /** Reads every tensor, in header order. */
  public static Map<String, NpyArray> read(Path path) throws IOException {
    return read(path, name -> true);
  }

  /** Reads the tensors whose name passes {@code names}, in header order. */
  public static Map<String, NpyArray> read(Path path, Predicate<String> names) throws IOException {
    try (SeekableByteChannel channel = open(path)) {
      Header header = header(path, channel);
      Map<String, NpyArray> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : header.json.entrySet()) {
        String name = e.getKey();
        if (name.equals(METADATA) || !names.test(name)) {
          continue;
        }
        Tensor t = tensor(path, name, e.getValue(), header.dataBytes);
        channel.position(header.dataStart + t.begin);
        // Not closed: closing would close the shared channel.
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
        out.put(name, Values.decode(in, t.dtype, ByteOrder.LITTLE_ENDIAN, t.shape, path.toString(), name));
      }
      return Collections.unmodifiableMap(out);
    }
  }

  /** The {@code __metadata__} string map of the header (empty when absent). */
  public static Map<String, String> metadata(Path path) throws IOException {
    try (SeekableByteChannel channel = open(path)) {
      Object meta = header(path, channel).json.get(METADATA);
      if (meta == null) {
        return Map.of();
      }
      if (!(meta instanceof Map<?, ?> m)) {
        throw new WeightFileException(path, METADATA, "must be a JSON object of strings", null);
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getValue() instanceof String s)) {
          throw new WeightFileException(path, METADATA, "value of \"" + e.getKey() + "\" is not a string", null);
        }
        out.put((String) e.getKey(), s);
      }
      return Collections.unmodifiableMap(out);
    }
  }

  private static SeekableByteChannel open(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new WeightFileException(path, null, "no such file", null);
    }
    return Files.newByteChannel(path);
  }

  private record Header(Map<String, Object> json, long dataStart, long dataBytes) {}

  private record Tensor(NpyArray.DType dtype, long[] shape, long begin) {}

  private static Header header(Path path, SeekableByteChannel channel) throws IOException {
    long fileSize = channel.size();
    ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthField);
    if (lengthField.hasRemaining()) {
      throw new WeightFileException(path, null, "truncated: " + fileSize + " bytes, too short for a safetensors header", null);
    }
    long n = lengthField.getLong(0);
    if (n < 2 || n > MAX_HEADER_BYTES) {
      throw new WeightFileException(
          path, null, "not a safetensors file: header length " + n + " is outside 2.." + MAX_HEADER_BYTES, null);
    }
    if (8 + n > fileSize) {
      throw new WeightFileException(
          path, null, "truncated: header says " + n + " bytes, the file has only " + (fileSize - 8) + " after the length", null);
    }
    ByteBuffer text = ByteBuffer.allocate((int) n);
    readFully(channel, text);
    Object parsed;
    try {
      parsed = Json.parse(new String(text.array(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new WeightFileException(path, null, "corrupt safetensors header: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?>)) {
      throw new WeightFileException(path, null, "corrupt safetensors header: not a JSON object", null);
    }
    return new Header(Json.object(parsed, "header"), 8 + n, fileSize - 8 - n);
  }

  private static Tensor tensor(Path path, String name, Object spec, long dataBytes) throws WeightFileException {
    try {
      Map<String, Object> info = Json.object(spec, "the entry");
      String dtypeName = Json.string(info.get("dtype"), "\"dtype\"");
      NpyArray.DType dtype = NpyArray.DType.fromSafetensorsName(dtypeName);
      if (dtype == null) {
        throw new WeightFileException(
            path, name, "unsupported dtype " + dtypeName + " (supported: F16 BF16 F32 F64 I8 I16 I32 I64 U8 U16 U32 U64 BOOL)", null);
      }
      long[] shape = Json.longs(info.get("shape"), "\"shape\"");
      long[] offsets = Json.longs(info.get("data_offsets"), "\"data_offsets\"");
      if (offsets.length != 2) {
        throw new WeightFileException(path, name, "\"data_offsets\" must be [begin, end], got " + Arrays.toString(offsets), null);
      }
      long size;
      try {
        size = Math.multiplyExact(NpyArray.sizeOf(shape), dtype.itemSize());
      } catch (ArithmeticException | IllegalArgumentException e) {
        throw new WeightFileException(path, name, "invalid shape " + Arrays.toString(shape), e);
      }
      long begin = offsets[0];
      long end = offsets[1];
      if (begin < 0 || end < begin || end > dataBytes) {
        throw new WeightFileException(
            path, name, "truncated or corrupt: data_offsets " + Arrays.toString(offsets) + " lie outside the "
                + dataBytes + " data bytes of the file", null);
      }
      if (end - begin != size) {
        throw new WeightFileException(
            path, name, "data_offsets " + Arrays.toString(offsets) + " span " + (end - begin) + " bytes, a " + dtypeName
                + " tensor of shape " + Arrays.toString(shape) + " needs " + size, null);
      }
      return new Tensor(dtype, shape, begin);
    } catch (IllegalArgumentException e) {
      throw new WeightFileException(path, name, "corrupt header entry: " + e.getMessage(), e);
    }
  }

  private static void readFully(SeekableByteChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        return;
      }
    }
  }
}
