package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipLoaderTest {

  @TempDir Path root;

  private static SyntheticMotionDataset tiny() {
    return SyntheticMotionDataset.builder().size(16).frames(4).keyFrames(2).classes(4).clips(40).seed(3).build();
  }

  private static List<ClipBatch> drain(ClipLoader.Epoch epoch) {
    List<ClipBatch> out = new ArrayList<>();
    while (epoch.hasNext()) {
      out.add(epoch.next());
    }
    return out;
  }

  private static List<ClipBatch> run(ClipLoader loader, int epoch, int start) {
    try (ClipLoader.Epoch e = loader.epoch(epoch, start)) {
      return drain(e);
    }
  }

  private static void assertSameBatches(List<ClipBatch> a, List<ClipBatch> b) {
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).batch(), b.get(i).batch());
      assertArrayEquals(a.get(i).labels(), b.get(i).labels(), "batch " + i);
      assertArrayEquals(a.get(i).data(), b.get(i).data(), "batch " + i);
      for (int r = 0; r < a.get(i).size(); r++) {
        assertEquals(a.get(i).index(r), b.get(i).index(r));
      }
    }
  }

  @Test
  void batchesComeInTheSameOrderWhateverTheThreadsAndEveryClipOncePerEpoch() {
    SyntheticMotionDataset data = tiny();
    try (ClipLoader two = ClipLoader.builder(data).batchSize(4).threads(2).seed(5).build();
        ClipLoader twoAgain = ClipLoader.builder(data).batchSize(4).threads(2).prefetch(1).seed(5).build();
        ClipLoader one = ClipLoader.builder(data).batchSize(4).threads(1).seed(5).build()) {
      assertEquals(10, two.batchesPerEpoch());
      for (int epoch = 0; epoch < 2; epoch++) {
        List<ClipBatch> a = run(two, epoch, 0);
        assertSameBatches(a, run(twoAgain, epoch, 0));
        assertSameBatches(a, run(one, epoch, 0));
        int[] seen = new int[data.size()];
        for (int b = 0; b < a.size(); b++) {
          ClipBatch batch = a.get(b);
          assertEquals(epoch, batch.epoch());
          assertEquals(b, batch.batch());
          assertArrayEquals(new long[] {4, 4, 16, 16, 3}, batch.shape());
          for (int r = 0; r < 4; r++) {
            seen[batch.index(r)]++;
            assertTrue(batch.isValid(r));
            assertEquals(data.label(batch.index(r)), batch.label(r));
            assertArrayEquals(data.sample(batch.index(r)).data(), batch.clip(r).data());
          }
        }
        int[] once = new int[data.size()];
        Arrays.fill(once, 1);
        assertArrayEquals(once, seen, "epoch " + epoch);
      }
      assertFalse(Arrays.equals(two.order(0), two.order(1)), "each epoch has its own shuffle");
      assertArrayEquals(two.order(1), one.order(1));
    }
  }

  @Test
  void resumingAnEpochContinuesWithTheSameBatches() {
    try (ClipLoader loader = ClipLoader.builder(tiny()).batchSize(3).threads(2).seed(9).build()) {
      assertEquals(13, loader.batchesPerEpoch(), "40 clips in batches of 3, last partial one dropped");
      List<ClipBatch> full = run(loader, 2, 0);
      List<ClipBatch> tail = run(loader, 2, 7);
      assertSameBatches(full.subList(7, 13), tail);
      try (ClipLoader.Epoch e = loader.epoch(2, 7)) {
        drain(e);
        assertTrue(e.report().startsWith("epoch 2: 6 batches (resumed at batch 7), 18 clips, 0 skipped"), e.report());
      }
    }
  }

  @Test
  void evaluationKeepsDatasetOrderAndPadsTheLastBatch() {
    SyntheticMotionDataset data = tiny().toBuilder().clips(5).build();
    try (ClipLoader loader = ClipLoader.builder(data).batchSize(2).training(false).build()) {
      List<ClipBatch> batches = run(loader, 0, 0);
      assertEquals(3, batches.size());
      ClipBatch last = batches.get(2);
      assertEquals(2, last.size());
      assertEquals(4, last.index(0));
      assertTrue(last.isValid(0));
      assertFalse(last.isValid(1), "padding row");
      assertEquals(1, last.validCount());
      assertEquals(0, batches.get(0).index(0));
      assertEquals(3, batches.get(1).index(1));
    }
    try (ClipLoader keep = ClipLoader.builder(data).batchSize(2).training(false)
        .remainder(ClipLoader.Remainder.KEEP).build()) {
      assertEquals(1, run(keep, 0, 0).get(2).size());
    }
  }

  @Test
  void multiViewEvaluationPutsTheViewsOfAVideoTogether() throws Exception {
    writeVideos(1, 8);
    Path list = root.resolve("list.txt");
    Files.writeString(list, "v0 8 0\n");
    FrameFolderDataset data = FrameFolderDataset.builder().root(root).list(list).template("{:05d}.png")
        .frames(2).size(10).classes(1).build();
    try (ClipLoader loader = ClipLoader.builder(data).batchSize(6).training(false).views(2, 3).build()) {
      ClipBatch b = run(loader, 0, 0).get(0);
      for (int r = 0; r < 6; r++) {
        assertEquals(r, b.view(r));
        int[] frames = SegmentSampler.evalIndices(8, 2, r / 3, 2);
        // flat frames: the first value tells which file was read (red = 20 * file number)
        float red = Normalization.IMAGENET.invert(b.clip(r).get(0, 0, 0, 0), 0) * 255f;
        assertEquals(20 * (frames[0] + 1), red, 0.01, "view " + r);
      }
    }
  }

  /** Videos v0.. of {@code frames} flat 40x30 PNG frames; frame file k has red 20k. */
  private void writeVideos(int videos, int frames) throws Exception {
    for (int v = 0; v < videos; v++) {
      for (int k = 1; k <= frames; k++) {
        int c = TestFrames.rgb(20 * k, 10 * v, 50);
        TestFrames.png(root.resolve("v" + v).resolve(String.format("%05d.png", k)), TestFrames.image(40, 30, (x, y) -> c));
      }
    }
  }

  @Test
  void badFramesAndBadLinesAreSkippedCountedAndReportedWithTheirPath() throws Exception {
    writeVideos(5, 4);
    Path corrupt = root.resolve("v2/00002.png");
    Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2});
    Path missing = root.resolve("v4/00003.png");
    Files.delete(missing);
    Path list = root.resolve("list.txt");
    Files.writeString(list, "v0 4 0\nv1 4 1\nv2 4 0\nv9 abc 0\nv3 4 1\nv4 4 0\n");
    FrameFolderDataset data = FrameFolderDataset.builder().root(root).list(list).template("{:05d}.png")
        .frames(4).size(8).classes(2).build();
    assertEquals(5, data.size());
    assertEquals(1, data.rejected().size());

    try (ClipLoader loader = ClipLoader.builder(data).batchSize(2).threads(2).training(false).build();
        ClipLoader.Epoch epoch = loader.epoch(0)) {
      List<ClipBatch> batches = drain(epoch);
      assertEquals(3, batches.size(), "the epoch runs to the end");
      assertEquals(2, epoch.skipped());
      assertEquals(2, loader.skipped());
      // Plan v0 v1 | v2 v3 | v4 pad: v2 is replaced by the next clip (v3), v4 by v0; both rows invalid.
      assertEquals(0, batches.get(0).index(0));
      assertTrue(batches.get(0).isValid(1));
      assertFalse(batches.get(1).isValid(0));
      assertEquals(3, batches.get(1).index(0), "substitute for v2");
      assertEquals(1, batches.get(1).label(0), "a substitute carries its own label");
      assertFalse(batches.get(2).isValid(0));
      assertEquals(0, batches.get(2).index(0), "substitute for v4 wraps around");
      int valid = batches.stream().mapToInt(ClipBatch::validCount).sum();
      assertEquals(3, valid, "v0, v1, v3");

      String report = epoch.report();
      assertTrue(report.startsWith("epoch 0: 3 batches, 6 clips, 2 skipped ("), report);
      assertTrue(report.contains(corrupt.toString()), report);
      assertTrue(report.contains(missing + ": missing frame"), report);
      assertTrue(report.contains("1 rejected at open (" + list + ":4: num_frames must be an integer >= 1"), report);
      assertTrue(epoch.skippedMessages().stream().anyMatch(m -> m.startsWith(corrupt + ": ")));
    }
    try (ClipLoader train = ClipLoader.builder(data).batchSize(2).threads(2).seed(1).build()) {
      assertEquals(2, run(train, 0, 0).size());
      assertEquals(2, run(train, 1, 0).size());
      // Shuffled plans of 5 in batches of 2 drop one clip per epoch, so each epoch meets 1 or 2 bad ones.
      assertTrue(train.skipped() >= 2 && train.skipped() <= 4, "skipped " + train.skipped());
    }
  }

  @Test
  void aDatasetWhereNothingLoadsStopsWithAClearError() {
    VideoDataset broken = new VideoDataset() {
      @Override public int size() { return 10; }
      @Override public List<String> classNames() { return List.of("a"); }
      @Override public int frames() { return 1; }
      @Override public int height() { return 2; }
      @Override public int width() { return 2; }
      @Override public int label(int index) { return 0; }
      @Override public Clip load(int index, Sampling sampling) throws BadSampleException {
        throw new BadSampleException("/nowhere/" + index, "missing frame");
      }
    };
    try (ClipLoader loader = ClipLoader.builder(broken).batchSize(2).build(); ClipLoader.Epoch e = loader.epoch(0)) {
      IllegalStateException ex = assertThrows(IllegalStateException.class, e::next);
      assertTrue(ex.getMessage().contains("no loadable sample among 10"), ex.getMessage());
      assertTrue(ex.getMessage().contains("/nowhere/"), ex.getMessage());
    }
  }

  @Test
  void closingMidEpochStopsTheWorkers() throws InterruptedException {
    // other tests' loaders may still be winding down: look only at the threads this loader started
    java.util.Set<Thread> before = loaderThreads();
    ClipLoader loader = ClipLoader.builder(tiny()).batchSize(2).threads(2).prefetch(4).build();
    ClipLoader.Epoch e = loader.epoch(0);
    e.next();
    java.util.Set<Thread> mine = loaderThreads();
    mine.removeAll(before);
    assertFalse(mine.isEmpty(), "the loader's worker threads");
    loader.close();
    for (Thread t : mine) {
      t.join(5_000); // close() waits for the tasks; a worker thread may take a moment more to exit
      assertFalse(t.isAlive(), t.getName() + " still alive");
    }
    assertThrows(IllegalStateException.class, () -> loader.epoch(1));
  }

  private static java.util.Set<Thread> loaderThreads() {
    java.util.Set<Thread> threads = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("saccade-loader-") && t.isAlive()) {
        threads.add(t);
      }
    }
    return threads;
  }

  @Test
  void badSettings() {
    var e = assertThrows(IllegalArgumentException.class, () -> ClipLoader.builder(tiny()).batchSize(0));
    assertTrue(e.getMessage().contains("got 0"));
    e = assertThrows(IllegalArgumentException.class, () -> ClipLoader.builder(tiny()).views(2, 1).build());
    assertTrue(e.getMessage().contains("training(false)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ClipLoader.builder(tiny()).batchSize(41).build());
    assertTrue(e.getMessage().contains("40 clips, fewer than batchSize 41"), e.getMessage());
    try (ClipLoader loader = ClipLoader.builder(tiny()).batchSize(4).build()) {
      e = assertThrows(IllegalArgumentException.class, () -> loader.epoch(0, 11));
      assertTrue(e.getMessage().contains("[0, 10]"), e.getMessage());
    }
  }
}
