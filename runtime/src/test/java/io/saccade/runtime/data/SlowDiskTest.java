package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A dataset whose reads take an uneven while (a slow or contended disk, a network mount): the loader neither
 * deadlocks nor reorders — every batch holds the same samples, labels and pixels as without the latency.
 */
class SlowDiskTest {

  private static VideoDataset data() {
    return SyntheticMotionDataset.builder().frames(4).size(16).classes(4).keyFrames(2).clips(40).seed(3).split(Split.TRAIN).build();
  }

  @Test
  void unevenReadLatencyChangesNeitherTheBatchesNorTheirOrder() throws Exception {
    List<ClipBatch> fast = batches(data(), 3);
    long t0 = System.nanoTime();
    List<ClipBatch> slow = batches(new Slow(data()), 3);
    System.out.printf("SlowDiskTest: %d batches with 0–20 ms per read in %.1f s%n", slow.size(), (System.nanoTime() - t0) / 1e9);
    assertEquals(fast.size(), slow.size());
    for (int i = 0; i < fast.size(); i++) {
      ClipBatch a = fast.get(i);
      ClipBatch b = slow.get(i);
      assertEquals(a.epoch(), b.epoch());
      for (int row = 0; row < a.size(); row++) {
        assertEquals(a.index(row), b.index(row), "batch " + i + " row " + row);
        assertEquals(a.label(row), b.label(row), "batch " + i + " row " + row);
      }
      assertArrayEquals(a.data(), b.data(), "batch " + i);
    }
  }

  /** Two epochs of shuffled training batches, loaded by {@code threads} workers with a short prefetch. */
  private static List<ClipBatch> batches(VideoDataset data, int threads) {
    List<ClipBatch> out = new ArrayList<>();
    try (ClipLoader loader = ClipLoader.builder(data).batchSize(4).threads(threads).prefetch(2).training(true).seed(9).build()) {
      for (int epoch = 0; epoch < 2; epoch++) {
        try (ClipLoader.Epoch e = loader.epoch(epoch)) {
          while (e.hasNext()) {
            out.add(e.next());
          }
        }
      }
    }
    return out;
  }

  /** Sleeps 0–20 ms before each load, a different while each time. */
  private static final class Slow extends io.saccade.runtime.data.ForwardingDataset {
    private final SplittableRandom random = new SplittableRandom(4);

    Slow(VideoDataset base) {
      super(base);
    }

    @Override
    public Clip load(int index, Sampling sampling) throws BadSampleException {
      int ms;
      synchronized (random) {
        ms = random.nextInt(21);
      }
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return base.load(index, sampling);
    }
  }
}
