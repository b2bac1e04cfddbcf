package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.data.ClipLoader;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.export.Preprocessing;
import io.saccade.runtime.export.SavedModelExporter;
import io.saccade.runtime.export.VideoClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Native memory over many inference calls and training steps: the process's resident set (VmRSS) and the Java
 * heap at start and end, and the resident growth per call after a warm-up, which an unclosed tensor would make
 * grow by its size each call (the Java heap never sees it). Default 500 calls and 100 steps;
 * {@code -Dsaccade.soak=true}: 10,000 and 2,000.
 */
class NativeMemorySoakTest {

  private static final boolean SOAK = Boolean.getBoolean("saccade.soak");

  /**
   * Resident growth per call that counts as a leak. Generous: RSS moves by a few MB on its own (JIT, malloc
   * arenas), so over 500 calls only leaks of more than about this much per call are told from noise; an unclosed
   * tensor that becomes unreachable is freed by JavaCPP when the garbage collector finds it, so what this catches
   * is native memory held on to (a tensor or a result kept per call).
   */
  private static final long LEAK_BYTES_PER_CALL = 32 * 1024;

  @TempDir Path dir;

  private static VideoDataset data() {
    return SyntheticMotionDataset.builder()
        .frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE).classes(4).keyFrames(2).clips(32).seed(3).split(Split.TRAIN).build();
  }

  @Test
  void inferenceCallsAndTrainingStepsDoNotGrowNativeMemory() throws Exception {
    int calls = SOAK ? 10_000 : 500;
    int steps = SOAK ? 2_000 : 100;
    Path out = dir.resolve("served");
    try (Trainer t = Trainer.builder(new TinyAfModel(4)).trainData(data()).batchSize(4).threads(1).seed(1).build()) {
      SavedModelExporter.export(t.model(), t.session(), out, data().classNames(), Preprocessing.of(data()), 0);
      List<ClipBatch> batches = new ArrayList<>();
      try (ClipLoader loader = ClipLoader.builder(data()).batchSize(4).threads(1).build();
          ClipLoader.Epoch e = loader.epoch(0)) {
        e.forEachRemaining(batches::add);
      }
      long[] k = {0};
      Growth training = Growth.of("training steps", steps, () -> {
        t.step(batches.get((int) (k[0] % batches.size())), 0.001f, 1f, 1f, k[0]);
        k[0]++;
      });
      System.out.println(training);
      assertTrue(training.perCall() < LEAK_BYTES_PER_CALL, training.toString());
    }
    float[] clip = data().load(0, io.saccade.runtime.data.Sampling.eval()).data();
    try (VideoClassifier c = VideoClassifier.open(out)) {
      Growth inference = Growth.of("inference calls", calls, () -> c.classify(clip, 1));
      System.out.println(inference);
      assertTrue(inference.perCall() < LEAK_BYTES_PER_CALL, inference.toString());
    }
  }

  @Test
  void theGrowthCheckCatchesNativeMemoryHeldPerCall() throws Exception {
    // A negative control: each call keeps a 48 MB tensor it should have closed. Above glibc's largest mmap
    // threshold (32 MB), so every one is fresh memory: smaller ones can be served from memory that earlier
    // tests in this JVM freed, and RSS would not move (seen: 100 × 256 KB, +0 bytes per call).
    List<TFloat32> kept = new ArrayList<>();
    float[] values = new float[12 * 1024 * 1024];
    java.util.Arrays.fill(values, 1f);
    try {
      Growth leaking =
          Growth.of("leaking calls", 5, 1, () -> kept.add(TFloat32.tensorOf(Shape.of(values.length), DataBuffers.of(values))));
      System.out.println(leaking);
      assertTrue(leaking.perCall() > LEAK_BYTES_PER_CALL, "the check sees 48 MB held per call: " + leaking);
    } finally {
      kept.forEach(TFloat32::close);
    }
  }

  /** VmRSS and heap before and after {@code n} calls (after warm-up calls, n/5 by default), and the RSS growth per call. */
  record Growth(String what, int n, long rssStart, long rssEnd, long heapStart, long heapEnd) {

    static Growth of(String what, int n, Runnable call) throws IOException {
      return of(what, n, Math.max(20, n / 5), call);
    }

    static Growth of(String what, int n, int warmUp, Runnable call) throws IOException {
      for (int i = 0; i < warmUp; i++) {
        call.run();
      }
      System.gc();
      long rss0 = rss();
      long heap0 = heapUsed();
      for (int i = 0; i < n; i++) {
        call.run();
      }
      System.gc();
      return new Growth(what, n, rss0, rss(), heap0, heapUsed());
    }

    double perCall() {
      return (rssEnd - rssStart) / (double) n;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d %s: RSS %.1f -> %.1f MB (%+.0f bytes per call), heap used %.1f -> %.1f MB",
          n, what, rssStart / 1e6, rssEnd / 1e6, perCall(), heapStart / 1e6, heapEnd / 1e6);
    }

    private static long heapUsed() {
      Runtime r = Runtime.getRuntime();
      return r.totalMemory() - r.freeMemory();
    }

    /** The resident set size from /proc/self/status, in bytes. */
    static long rss() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      throw new IOException("no VmRSS in /proc/self/status");
    }
  }
}
