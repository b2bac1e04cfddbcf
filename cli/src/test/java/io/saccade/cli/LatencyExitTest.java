package io.saccade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.model.VideoModel;
import org.junit.jupiter.api.Test;

/** The bench's conditional-exit points: an exit after K of T frames costs K/T of the clip's GFLOPs (no timings). */
class LatencyExitTest {

  @Test
  void anExitAfterKFramesCountsKOfTheFramesGflops() {
    VideoModel model = NetworkRegistry.find("FocusExitDemo");
    double full = model.summary().gflopsPerClip();
    int t = model.frames();
    try (Latency bench = new Latency(model, 2, null, null, 1)) {
      assertTrue(bench.exits());
      assertFalse(bench.adaptive());
      bench.times(true, 0, 1);
      assertEquals(full, bench.lastGflops(), 1e-4 * full, "no exit: the batched graph, every frame");
      for (int k : new int[] {1, t / 2, t}) {
        bench.exitAfter(k);
        bench.times(true, 0, 1);
        assertEquals(full * k / t, bench.lastGflops(), 1e-4 * full, "exit after " + k + " of " + t);
      }
      assertThrows(IllegalArgumentException.class, () -> bench.exitAfter(t + 1));
    }
    try (Latency dense = new Latency(NetworkRegistry.find("TsmDemo"), 1, null, null, 1)) {
      assertFalse(dense.exits());
      assertThrows(IllegalStateException.class, () -> dense.exitAfter(1));
    }
  }
}
