package io.saccade.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.saccade.runtime.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads the official AFNet parity fixtures. They live outside the repository: the directory comes from
 * the system property {@code saccade.fixtures} or the environment variable {@code SACCADE_FIXTURES}
 * (default {@code /work/shared/fixtures}); when it is absent (a clean CI clone) these tests are skipped.
 */
class AfnetFixtureTest {

  static Path fixtures() {
    String dir = System.getProperty("saccade.fixtures");
    if (dir == null) {
      dir = System.getenv("SACCADE_FIXTURES");
    }
    return Path.of(dir == null ? "/work/shared/fixtures" : dir).resolve("afnet-parity");
  }

  private static Path fixture(String name) {
    Path dir = fixtures().resolve(name);
    assumeTrue(Files.isDirectory(dir), "fixture directory " + dir + " is absent (set -Dsaccade.fixtures=...)");
    return dir;
  }

  @Test
  void weightsMatchMetaJsonKeysAndShapes() throws IOException {
    for (String name : List.of("afnet-r50-s0", "afnet-r50-tsm-s1", "afnet-mbv3-s3")) {
      Path dir = fixture(name);
      Map<String, Object> meta = Json.object(Json.parse(dir.resolve("meta.json")), "meta.json");
      Map<String, Object> keys = Json.object(meta.get("keys"), "keys");
      Map<String, NpyArray> weights = Npz.read(dir.resolve("weights.npz"));
      assertEquals(List.copyOf(keys.keySet()), List.copyOf(weights.keySet()), name + ": keys in order");
      for (Map.Entry<String, Object> k : keys.entrySet()) {
        NpyArray a = weights.get(k.getKey());
        assertArrayEquals(Json.longs(k.getValue(), k.getKey()), a.shape(), name + ": " + k.getKey());
        assertEquals(NpyArray.DType.FLOAT16, a.dtype(), name + ": " + k.getKey());
      }
    }
  }

  @Test
  void r50ValuesEqualNumpys() throws IOException {
    // Reference numbers printed by numpy 2.4 from the same files.
    Path dir = fixture("afnet-r50-s0");
    Map<String, NpyArray> weights = Npz.read(dir.resolve("weights.npz"));
    assertEquals(513, weights.size());
    NpyArray conv1 = weights.get("conv1.weight");
    float[] c = conv1.floats();
    assertArrayEquals(new float[] {0.04486083984375f, 0.01404571533203125f, 0.0052490234375f, -0.00794219970703125f},
        new float[] {c[0], c[1], c[2], c[3]});
    assertEquals(0.0030765533447265625f, conv1.getFloat(63, 2, 6, 6));
    long values = 0;
    double sum = 0;
    double conv1Sum = 0;
    for (float v : c) {
      conv1Sum += v;
    }
    for (NpyArray a : weights.values()) {
      values += a.size();
      for (float v : a.floats()) {
        sum += v;
      }
    }
    assertEquals(22_936_442L, values);
    // float16 -> float32 is exact, so only the summation order differs from numpy (1e-9 relative).
    assertEquals(-0.5236934423446655, conv1Sum, 1e-9);
    assertEquals(68678.14792096615, sum, 1e-6);
    assertArrayEquals(new long[] {64, 7, 7, 3}, Layouts.nchwToNhwc(conv1).shape());
    assertArrayEquals(new long[] {7, 7, 3, 64}, Layouts.oihwToHwio(conv1).shape());
    assertEquals(c[(1 * 3 + 2) * 49 + 5 * 7 + 4], Layouts.oihwToHwio(conv1).getFloat(5, 4, 2, 1)); // w[o=1][i=2][h=5][w=4]

    NpyArray clips = Npz.read(dir.resolve("input.npz")).get("clips");
    assertEquals(NpyArray.DType.FLOAT16, clips.dtype());
    assertArrayEquals(new long[] {16, 3, 64, 64}, clips.shape());
    double clipSum = 0;
    for (double v : clips.doubles()) {
      clipSum += v;
    }
    assertEquals(9.12325656414032, clipSum, 1e-6);
    // numpy writes zip64 local headers; the streaming reader reads them too.
    try (java.io.InputStream in = Files.newInputStream(dir.resolve("input.npz"))) {
      assertArrayEquals(clips.floats(), Npz.read(in, "input.npz").get("clips").floats());
    }

    Map<String, NpyArray> expected = Npz.read(dir.resolve("expected.npz"), k -> !k.startsWith("layer"));
    assertEquals(NpyArray.DType.FLOAT32, expected.get("clip_logits").dtype());
    assertArrayEquals(new long[] {2, 10}, expected.get("clip_logits").shape());
    float[] logits = expected.get("clip_logits").floats();
    assertArrayEquals(new float[] {3.3388757705688477f, -16.435863494873047f, -16.338565826416016f},
        new float[] {logits[0], logits[1], logits[2]});
    assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1}, expected.get("mask_00").floats());
    // The README says float32, but the activations are stored as float64.
    NpyArray stem = expected.get("stem");
    assertEquals(NpyArray.DType.FLOAT64, stem.dtype());
    assertArrayEquals(new long[] {16, 64, 16, 16}, stem.shape());
    double stemSum = 0;
    for (double v : stem.doubles()) {
      stemSum += v;
    }
    assertEquals(117829.01897518174, stemSum, 1e-6);
  }
}
