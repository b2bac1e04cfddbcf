package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.io.ArtefactException;
import io.saccade.runtime.nn.Initializer;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.testing.TfTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class CheckpointsTest {

  @TempDir Path dir;

  /** The conv toy with an optimizer, built the same way every time. */
  private record Run(TfTest t, Toy.ConvNet net, Placeholder<TFloat32> lr, TrainOp train) implements AutoCloseable {
    static Run build(Optimizer optimizer) {
      TfTest t = TfTest.create(21);
      Toy.ConvNet net = Toy.ConvNet.build(t);
      Placeholder<TFloat32> lr = Toy.scalarPlaceholder(t.tf());
      return new Run(t, net, lr, optimizer.minimize(t.tf(), net.loss(), t.store(), lr));
    }

    float step(long i) {
      // A changing rate, as a schedule would feed it.
      return Toy.step(t.session(), train, lr, 0.05f / (1 + i), net.loss());
    }

    @Override
    public void close() {
      t.close();
    }
  }

  @Test
  void restoreIsExactAndContinuedTrainingEqualsUninterruptedTraining() throws IOException {
    for (Supplier<Optimizer> optimizer :
        List.<Supplier<Optimizer>>of(
            () -> SgdMomentum.builder().momentum(0.9f).weightDecay(5e-4f).clipNorm(5f).build(),
            () -> Adam.builder().weightDecay(1e-4f).build())) {
      Path where = dir.resolve(optimizer.get().getClass().getSimpleName());
      Checkpoints checkpoints = new Checkpoints(where, 2);
      Map<String, Object> atSave;
      List<Float> uninterrupted = new ArrayList<>();
      Map<String, Object> end;
      try (Run a = Run.build(optimizer.get())) {
        for (long i = 0; i < 4; i++) {
          a.step(i);
        }
        checkpoints.save(a.t().session(), 4, Map.of("loss", 1.0));
        atSave = Toy.snapshot(a.t());
        for (long i = 4; i < 8; i++) {
          uninterrupted.add(a.step(i));
        }
        end = Toy.snapshot(a.t());
      }
      try (Run b = Run.build(optimizer.get())) {
        Checkpoint c = checkpoints.restoreLatest(b.t().session()).orElseThrow();
        assertEquals(4, c.step());
        Map<String, Object> restored = Toy.snapshot(b.t());
        assertSameValues(atSave, restored);
        assertArrayEquals(new long[] {4}, (long[]) restored.get("optimizer/step"));
        assertTrue(restored.keySet().stream().anyMatch(n -> n.startsWith("optimizer/") && !n.equals("optimizer/step")),
            "optimizer state was saved: " + restored.keySet());
        List<Float> resumed = new ArrayList<>();
        for (long i = 4; i < 8; i++) {
          resumed.add(b.step(i));
        }
        assertEquals(uninterrupted, resumed, "losses after restore equal the uninterrupted run");
        assertSameValues(end, Toy.snapshot(b.t()));
      }
    }
  }

  private static void assertSameValues(Map<String, Object> want, Map<String, Object> got) {
    assertEquals(want.keySet(), got.keySet());
    for (String name : want.keySet()) {
      if (want.get(name) instanceof float[] f) {
        assertArrayEquals(f, (float[]) got.get(name), name);
      } else {
        assertArrayEquals((long[]) want.get(name), (long[]) got.get(name), name);
      }
    }
  }

  /** A one-variable graph whose value we set before each save, so each checkpoint is recognisable. */
  private static final class Counter implements AutoCloseable {
    final TfTest t = TfTest.create();
    final Parameter v = t.store().parameter("v", Parameter.Role.OTHER, Shape.of(1), Initializer.zeros(), 1f);
    final Placeholder<TFloat32> in = t.placeholder(1);
    final org.tensorflow.op.core.Assign<TFloat32> set = t.tf().assign(v.variable(), in);

    void set(float value) {
      t.eval(Map.of(in, new float[] {value}), set);
    }

    float get() {
      return t.eval(v.variable())[0];
    }

    @Override
    public void close() {
      t.close();
    }
  }

  @Test
  void keepsTheLastKPlusTheBest() throws IOException {
    double[] top1 = {0.1, 0.5, 0.3, 0.2, 0.25, 0.4};
    Checkpoints checkpoints = new Checkpoints(dir, 2).keepBest("top1", true);
    try (Counter c = new Counter()) {
      for (int i = 0; i < top1.length; i++) {
        c.set(i);
        checkpoints.save(c.t.session(), (i + 1) * 100L, Map.of("top1", top1[i], "loss", 1.0 / (i + 1)));
      }
    }
    List<Long> steps = checkpoints.list().stream().map(Checkpoint::step).toList();
    assertEquals(List.of(200L, 500L, 600L), steps, "best (0.5 at step 200) plus the last two");
    assertEquals(200L, checkpoints.best().orElseThrow().step());
    assertEquals(600L, checkpoints.latest().orElseThrow().step());
    try (Stream<Path> entries = Files.list(dir)) {
      assertEquals(
          List.of("step-00000200", "step-00000500", "step-00000600"),
          entries.map(p -> p.getFileName().toString()).sorted().toList(),
          "nothing else is left in the directory");
    }
    Checkpoint best = checkpoints.best().orElseThrow();
    assertEquals(0.5, best.metric("top1").orElseThrow());
    assertEquals(0.5, best.metrics().get("loss"));
    try (Counter c = new Counter()) {
      checkpoints.restore(c.t.session(), best);
      assertEquals(1f, c.get(), "the best checkpoint holds the value saved at step 200");
    }
    // Lower is better: the latest loss is the lowest, and one of the kept ones.
    Checkpoints byLoss = new Checkpoints(dir, 2).keepBest("loss", false);
    assertEquals(600L, byLoss.best().orElseThrow().step());
    assertThrows(IllegalStateException.class, () -> new Checkpoints(dir, 2).best());
    assertThrows(IllegalArgumentException.class, () -> new Checkpoints(dir, 0));
  }

  @Test
  void partialOrCorruptCheckpointsAreNeverPicked() throws IOException {
    Checkpoints checkpoints = new Checkpoints(dir, 5);
    try (Counter c = new Counter()) {
      c.set(5f);
      checkpoints.save(c.t.session(), 5, Map.of());
    }
    // A crash while writing leaves a temporary directory behind.
    Path temp = Files.createDirectories(dir.resolve(".tmp-step-00000009-123"));
    Files.writeString(temp.resolve("variables.index"), "half");
    // Someone's half-copied checkpoint without metadata, and one with a corrupt metadata file.
    Path noMetadata = Files.createDirectories(dir.resolve("step-00000007"));
    Files.writeString(noMetadata.resolve("variables.index"), "x");
    Path corrupt = Files.createDirectories(dir.resolve("step-00000008"));
    Files.writeString(corrupt.resolve("variables.index"), "x");
    Files.writeString(corrupt.resolve("checkpoint.json"), "{\"format\": \"saccade-checkpoint-1\", \"step\": 8, ");
    // Metadata saying another step than its directory name.
    Path mismatch = Files.createDirectories(dir.resolve("step-00000006"));
    Files.writeString(mismatch.resolve("variables.index"), "x");
    Files.writeString(
        mismatch.resolve("checkpoint.json"),
        "{\"format\": \"saccade-checkpoint-1\", \"step\": 60, \"time\": \"2026-01-01T00:00:00Z\", \"metrics\": {}}");

    assertEquals(5L, checkpoints.latest().orElseThrow().step());
    assertEquals(1, checkpoints.list().size());

    // A save that fails mid-write (here: the session is closed) leaves nothing behind either.
    Counter closed = new Counter();
    Session session = closed.t.session();
    closed.close();
    IOException e = assertThrows(IOException.class, () -> checkpoints.save(session, 10, Map.of()));
    assertTrue(e.getMessage().contains("step 10") && e.getMessage().contains(dir.toString()), e.getMessage());
    assertEquals(5L, checkpoints.latest().orElseThrow().step());
    try (Stream<Path> entries = Files.list(dir)) {
      assertEquals(
          List.of(temp.getFileName().toString()),
          entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-")).toList(),
          "the failed save removed its own temporary directory");
    }

    // The next good save clears the stale temporary directory but leaves unknown directories alone.
    try (Counter c = new Counter()) {
      checkpoints.save(c.t.session(), 11, Map.of());
    }
    assertFalse(Files.exists(temp));
    assertTrue(Files.exists(noMetadata) && Files.exists(corrupt));
    assertEquals(List.of(5L, 11L), checkpoints.list().stream().map(Checkpoint::step).toList());
  }

  @Test
  void savingTheSameStepTwiceReplacesIt() throws IOException {
    Checkpoints checkpoints = new Checkpoints(dir, 3);
    try (Counter c = new Counter()) {
      c.set(1f);
      checkpoints.save(c.t.session(), 3, Map.of("x", 1.0));
      c.set(2f);
      checkpoints.save(c.t.session(), 3, Map.of("x", 2.0));
    }
    assertEquals(1, checkpoints.list().size());
    Checkpoint only = checkpoints.latest().orElseThrow();
    assertEquals(2.0, only.metric("x").orElseThrow());
    try (Counter c = new Counter()) {
      checkpoints.restore(c.t.session(), only);
      assertEquals(2f, c.get());
    }
  }

  @Test
  void metadataRoundTripsIncludingNonFiniteMetrics() throws IOException {
    Instant at = Instant.parse("2026-03-04T05:06:07.089Z");
    Checkpoints checkpoints = new Checkpoints(dir, 1).withClock(Clock.fixed(at, ZoneOffset.UTC));
    Map<String, Double> metrics = new java.util.LinkedHashMap<>();
    metrics.put("top1", 0.1 + 0.2);
    metrics.put("loss \"weird\"\n", Double.NaN);
    metrics.put("gflops", Double.POSITIVE_INFINITY);
    try (Counter c = new Counter()) {
      checkpoints.save(c.t.session(), 123, metrics);
    }
    Path meta = dir.resolve("step-00000123").resolve("checkpoint.json");
    String json = Files.readString(meta);
    assertTrue(json.contains("\"step\": 123") && json.contains("\"time\": \"2026-03-04T05:06:07.089Z\""), json);
    Checkpoint read = checkpoints.latest().orElseThrow();
    assertEquals(at, read.time());
    assertEquals(metrics, read.metrics());
    assertEquals(0.1 + 0.2, read.metric("top1").orElseThrow(), 0.0, "doubles round-trip exactly");
  }

  /** Metadata exactly as the writer before the JSON clean-up (train.FlatJson) wrote it: still read. */
  @Test
  void readsMetadataInTheFormatEarlierVersionsWrote() throws IOException {
    String old = "{\n"
        + "  \"format\": \"saccade-checkpoint-1\",\n"
        + "  \"step\": 42,\n"
        + "  \"time\": \"2026-03-04T05:06:07.089Z\",\n"
        + "  \"variables\": \"variables\",\n"
        + "  \"metrics\": {\n"
        + "    \"top1\": 0.30000000000000004,\n"
        + "    \"loss \\\"weird\\\"\\n\\u0001\u00e9\": \"NaN\",\n"
        + "    \"gflops\": \"Infinity\",\n"
        + "    \"drop\": \"-Infinity\",\n"
        + "    \"tiny\": -1.0E-300\n"
        + "  }\n"
        + "}\n";
    Path entry = Files.createDirectories(dir.resolve("step-00000042"));
    Files.writeString(entry.resolve("variables.index"), "x");
    Files.writeString(entry.resolve("checkpoint.json"), old);
    Checkpoint read = new Checkpoints(dir, 3).latest().orElseThrow();
    assertEquals(42L, read.step());
    assertEquals(Instant.parse("2026-03-04T05:06:07.089Z"), read.time());
    Map<String, Double> metrics = new java.util.LinkedHashMap<>();
    metrics.put("top1", 0.1 + 0.2);
    metrics.put("loss \"weird\"\n\u0001\u00e9", Double.NaN);
    metrics.put("gflops", Double.POSITIVE_INFINITY);
    metrics.put("drop", Double.NEGATIVE_INFINITY);
    metrics.put("tiny", -1e-300);
    assertEquals(metrics, read.metrics());
    assertEquals(List.copyOf(metrics.keySet()), List.copyOf(read.metrics().keySet()), "metric order kept");

    // Saving the same metadata again writes the same bytes for every earlier key: the format only grew (the
    // variables' dtypes and shapes and the files' lengths and checksums follow the metrics).
    Instant at = Instant.parse("2026-03-04T05:06:07.089Z");
    Path again = dir.resolve("again");
    try (Counter c = new Counter()) {
      new Checkpoints(again, 1).withClock(Clock.fixed(at, ZoneOffset.UTC)).save(c.t.session(), 42, metrics);
    }
    String written = Files.readString(again.resolve("step-00000042").resolve("checkpoint.json"));
    String earlierKeys = old.substring(0, old.length() - "  }\n}\n".length()) + "  },\n  \"tensors\": {";
    assertTrue(written.startsWith(earlierKeys), written);
    assertTrue(written.contains("\"files\": {\n    \"variables.data-00000-of-00001\": {"), written);
  }

  @Test
  void restoringIntoAnotherGraphNamesTheCheckpoint() throws IOException {
    Checkpoints checkpoints = new Checkpoints(dir, 1);
    try (Counter c = new Counter()) {
      checkpoints.save(c.t.session(), 1, Map.of());
    }
    Checkpoint saved = checkpoints.latest().orElseThrow();
    try (TfTest other = TfTest.create()) {
      other.store().parameter("not_in_checkpoint", Parameter.Role.OTHER, Shape.of(2), Initializer.zeros(), 1f);
      ArtefactException e = assertThrows(ArtefactException.class, () -> checkpoints.restore(other.session(), saved));
      assertTrue(e.getMessage().contains(saved.directory().toString()), e.getMessage());
      assertTrue(e.getMessage().contains("not_in_checkpoint"), e.getMessage());
    }
    Checkpoint missing = new Checkpoint(9, dir.resolve("step-00000009"), Instant.EPOCH, Map.of());
    try (Counter c = new Counter()) {
      IOException e = assertThrows(IOException.class, () -> checkpoints.restore(c.t.session(), missing));
      assertTrue(e.getMessage().contains("step-00000009"), e.getMessage());
    }
  }
}
