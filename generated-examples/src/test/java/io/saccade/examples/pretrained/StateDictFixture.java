package io.saccade.examples.pretrained;

import io.saccade.runtime.weights.Layouts;
import io.saccade.runtime.weights.NpyArray;
import io.saccade.runtime.weights.Npz;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The test side of {@code src/test/python/make_pretrained_fixture.py}: rebuilds its state dicts from the
 * committed key lists (every value {@code u · scale + offset}, u a hash of seed and element index, the same
 * float32 arithmetic as the script), writes them as {@code .npz} or {@code .safetensors} the way numpy and
 * the safetensors library do, and reads the committed torchvision outputs.
 */
final class StateDictFixture {

  /** Frames and frame size the fixture's outputs were computed for. */
  static final int FRAMES = 2;
  static final int SIZE = 64;
  private static final int INPUT_SEED = 1000003;

  private StateDictFixture() {}

  /** u[i] in [-1, 1), exact in float32 (the script's {@code uniform}). */
  static float uniform(int seed, int index) {
    int h = mix32(index + seed * 0x9E3779B1);
    return (float) ((h >>> 8) - (1 << 23)) * 0x1p-23f;
  }

  /** lowbias32. */
  private static int mix32(int x) {
    x ^= x >>> 16;
    x *= 0x7FEB352D;
    x ^= x >>> 15;
    x *= 0x846CA68B;
    x ^= x >>> 16;
    return x;
  }

  private static float[] values(int seed, float scale, float offset, int count) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = uniform(seed, i) * scale + offset;
    }
    return v;
  }

  /** The state dict of {@code pretrained/<name>.keys.txt.gz}, in its order (e.g. {@code resnet50}, {@code mobilenet_v3_large.timm}). */
  static Map<String, NpyArray> stateDict(String name) {
    Map<String, NpyArray> out = new LinkedHashMap<>();
    String resource = "/pretrained/" + name + ".keys.txt.gz";
    try (InputStream raw = StateDictFixture.class.getResourceAsStream(resource)) {
      if (raw == null) {
        throw new IllegalStateException("no test resource " + resource);
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String[] f = line.split(" ");
        long[] shape = f[2].equals("-") ? new long[0] : Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray();
        int count = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        NpyArray array =
            f[1].equals("int64")
                ? NpyArray.ofLongs(new long[count], shape)
                : NpyArray.ofFloats(values(Integer.parseInt(f[3]), Float.parseFloat(f[4]), Float.parseFloat(f[5]), count), shape);
        out.put(f[0], array);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The input clip as the network takes it: {@code [1, FRAMES, SIZE, SIZE, 3]} (the script's frames are NCHW). */
  static float[] clip() {
    float[] nchw = values(INPUT_SEED, 1f, 0f, FRAMES * 3 * SIZE * SIZE);
    return Layouts.transpose(nchw, new long[] {FRAMES, 3, SIZE, SIZE}, 0, 2, 3, 1);
  }

  /** torchvision's logits {@code [FRAMES, 1000]} for {@code key} of {@code expected.npz}. */
  static float[] expected(String key) throws IOException {
    try (InputStream in = StateDictFixture.class.getResourceAsStream("/pretrained/expected.npz")) {
      NpyArray a = Npz.read(in, "expected.npz").get(key);
      if (a == null) {
        throw new IllegalStateException("expected.npz has no " + key);
      }
      return a.floats();
    }
  }

  /** Writes {@code tensors} as numpy's {@code np.savez} does: a zip of {@code <key>.npy} entries. */
  static Path writeNpz(Path file, Map<String, NpyArray> tensors) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, NpyArray> e : tensors.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        writeNpy(zip, e.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }

  private static void writeNpy(OutputStream out, NpyArray a) throws IOException {
    boolean longs = a.dtype() == NpyArray.DType.INT64;
    long[] shape = a.shape();
    String tuple =
        shape.length == 0 ? "()" : shape.length == 1 ? "(" + shape[0] + ",)"
            : Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    StringBuilder header = new StringBuilder(
        "{'descr': '" + (longs ? "<i8" : "<f4") + "', 'fortran_order': False, 'shape': " + tuple + ", }");
    while ((10 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    ByteBuffer prefix = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    prefix.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    prefix.putShort((short) header.length());
    out.write(prefix.array());
    out.write(header.toString().getBytes(StandardCharsets.US_ASCII));
    out.write(data(a));
  }

  /** Writes {@code tensors} as the safetensors library does: 8-byte header length, JSON header, raw data. */
  static Path writeSafeTensors(Path file, Map<String, NpyArray> tensors) throws IOException {
    StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, NpyArray> e : tensors.entrySet()) {
      byte[] bytes = data(e.getValue());
      String shape = Arrays.stream(e.getValue().shape()).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
      json.append(String.format(",\"%s\":{\"dtype\":\"%s\",\"shape\":%s,\"data_offsets\":[%d,%d]}", e.getKey(),
          e.getValue().dtype() == NpyArray.DType.INT64 ? "I64" : "F32", shape, body.size(), body.size() + bytes.length));
      body.write(bytes);
    }
    json.append('}');
    while (json.length() % 8 != 0) {
      json.append(' ');
    }
    byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
      out.write(header);
      body.writeTo(out);
    }
    return file;
  }

  private static byte[] data(NpyArray a) {
    if (a.dtype() == NpyArray.DType.INT64) {
      ByteBuffer b = ByteBuffer.allocate(8 * a.size()).order(ByteOrder.LITTLE_ENDIAN);
      for (long v : a.longs()) {
        b.putLong(v);
      }
      return b.array();
    }
    ByteBuffer b = ByteBuffer.allocate(4 * a.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : a.floats()) {
      b.putFloat(v);
    }
    return b.array();
  }
}
