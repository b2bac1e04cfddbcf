package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Video files written by FFmpeg in the test (frame t a flat colour encoding t, see
 * {@link TestVideos#solid}), read back through the dataset: sampled indices, tensor values, bad files.
 */
class VideoFileDatasetTest {

  @TempDir static Path root;

  @BeforeAll
  static void writeVideos() throws Exception {
    TestVideos.write(root.resolve("mp4/a.mp4"), "mpeg4", 64, 48, 20, (t, x, y) -> TestVideos.solid(t));
    TestVideos.write(root.resolve("avi/b.avi"), "mpeg4", 64, 48, 20, (t, x, y) -> TestVideos.solid(t));
    TestVideos.write(root.resolve("web m/c.webm"), "libvpx", 64, 48, 20, (t, x, y) -> TestVideos.solid(t));
    TestVideos.write(root.resolve("short.webm"), "libvpx", 64, 48, 6, (t, x, y) -> TestVideos.solid(t));
    byte[] mp4 = Files.readAllBytes(root.resolve("mp4/a.mp4"));
    Files.write(root.resolve("truncated.mp4"), Arrays.copyOf(mp4, mp4.length / 2));
    Files.writeString(root.resolve("notes.avi"), "this is not a video\n");
  }

  private static VideoFileDataset open(String name, String list, int minFrames) throws Exception {
    Path file = root.resolve(name);
    Files.writeString(file, list);
    return VideoFileDataset.builder()
        .root(root)
        .list(file)
        .labels(LabelMap.of(List.of("zero", "one", "two")))
        .frames(4)
        .size(32)
        .minFrames(minFrames)
        .build();
  }

  /** Clip frame t is flat at frame {@code k}'s colour, normalised, within 10/255 before normalisation. */
  private static void assertFrame(Clip clip, int t, int k) {
    int rgb = TestVideos.solid(k);
    for (int c = 0; c < 3; c++) {
      float want = Normalization.IMAGENET.apply(((rgb >> (16 - 8 * c)) & 0xFF) / 255f, c);
      double tol = 10 / 255.0 / Normalization.IMAGENET.std()[c];
      for (int y = 0; y < clip.height(); y++) {
        for (int x = 0; x < clip.width(); x++) {
          float got = clip.get(t, y, x, c);
          assertTrue(Math.abs(got - want) < tol,
              clip.id() + " clip frame " + t + " should be video frame " + k + ": channel " + c + " is " + got + ", want " + want);
        }
      }
    }
  }

  @Test
  void evaluationTakesSegmentCentresFromEveryContainer() throws Exception {
    VideoFileDataset d = open("eval.txt", "mp4/a.mp4 0\navi/b.avi 20 one\nweb m/c.webm 2\n", 1);
    assertEquals(3, d.size());
    assertEquals(List.of(0, 1, 2), List.of(d.label(0), d.label(1), d.label(2)));
    assertTrue(d.describe(2).endsWith("c.webm (" + root.resolve("eval.txt") + ":3)"), d.describe(2));
    for (int i = 0; i < 3; i++) {
      assertEquals(20, d.frameCount(i), d.describe(i)); // mp4/avi: container count; webm: packets; avi: the list
      // 20 frames in 4 segments: centres floor((2i + 1) * 20 / 8) = 2, 7, 12, 17.
      assertArrayEquals(new int[] {2, 7, 12, 17}, d.frameIndices(i, Sampling.eval()));
      Clip c = d.load(i, Sampling.eval());
      assertEquals(4 * 32 * 32 * 3, c.data().length);
      assertEquals(List.of(4, 32, 32), List.of(c.frames(), c.height(), c.width()));
      assertEquals(d.file(i).toString(), c.id());
      assertEquals(i, c.label());
      for (int t = 0; t < 4; t++) {
        assertFrame(c, t, 2 + 5 * t);
      }
    }
  }

  @Test
  void trainingTakesOneSeededFramePerSegment() throws Exception {
    VideoFileDataset d = open("train.txt", "web m/c.webm 1\nmp4/a.mp4 2\n", 1);
    for (int v = 0; v < 2; v++) {
      for (long seed = 0; seed < 4; seed++) {
        int[] idx = d.frameIndices(v, Sampling.train(seed));
        Clip c = d.load(v, Sampling.train(seed));
        for (int t = 0; t < 4; t++) {
          assertTrue(idx[t] >= 5 * t && idx[t] < 5 * t + 5, "segment " + t + ": " + idx[t]);
          assertFrame(c, t, idx[t]); // a flat frame stays flat under any crop
        }
      }
    }
  }

  @Test
  void aWrongCountInTheListIsCorrectedFromTheFile() throws Exception {
    // c.webm has 20 frames: the list says 30 (too many) and 10 (too few) for the mp4.
    VideoFileDataset d = open("wrong.txt", "web m/c.webm 30 0\nmp4/a.mp4 10 1\n", 1);

    assertArrayEquals(new int[] {3, 11, 18, 26}, d.frameIndices(0, Sampling.eval()));
    Clip c = d.load(0, Sampling.eval()); // frame 26 does not exist: sampled again from 20
    assertEquals(20, d.frameCount(0));
    for (int t = 0; t < 4; t++) {
      assertFrame(c, t, 2 + 5 * t);
    }

    // Too few: this clip comes from the first 10 frames; the container's 20 is used from then on.
    Clip first = d.load(1, Sampling.eval());
    for (int t = 0; t < 4; t++) {
      assertFrame(first, t, new int[] {1, 3, 6, 8}[t]);
    }
    assertEquals(20, d.frameCount(1));
    Clip next = d.load(1, Sampling.eval());
    for (int t = 0; t < 4; t++) {
      assertFrame(next, t, 2 + 5 * t);
    }
  }

  @Test
  void badVideosAreSkippedAndCountedWithTheirPathAndListLine() throws Exception {
    VideoFileDataset d = open("bad.txt",
        "mp4/a.mp4 0\nmissing.mp4 1\ntruncated.mp4 2\nnotes.avi 0\nshort.webm 1\navi/b.avi 2\n", 8);
    BadSampleException e = assertThrows(BadSampleException.class, () -> d.load(1, Sampling.eval()));
    assertEquals(root.resolve("missing.mp4").toString(), e.file());
    assertEquals(root.resolve("missing.mp4") + ": missing video (no such file) [" + root.resolve("bad.txt") + ":2]",
        e.getMessage());
    e = assertThrows(BadSampleException.class, () -> d.load(4, Sampling.eval()));
    assertTrue(e.getMessage().endsWith("short.webm: too short: 6 frames, at least 8 needed [" + root.resolve("bad.txt") + ":5]"),
        e.getMessage());

    try (ClipLoader loader = ClipLoader.builder(d).batchSize(2).threads(2).training(false).build();
        ClipLoader.Epoch epoch = loader.epoch(0)) {
      int valid = 0;
      while (epoch.hasNext()) {
        ClipBatch b = epoch.next();
        for (int r = 0; r < b.size(); r++) {
          valid += b.isValid(r) ? 1 : 0;
        }
      }
      assertEquals(2, valid, "a.mp4 and b.avi");
      assertEquals(4, epoch.skipped());
      List<String> messages = epoch.skippedMessages();
      for (String bad : new String[] {"missing.mp4", "truncated.mp4", "notes.avi", "short.webm"}) {
        int line = List.of("a.mp4", "missing.mp4", "truncated.mp4", "notes.avi", "short.webm").indexOf(bad) + 1;
        assertTrue(messages.stream().anyMatch(m -> m.startsWith(root.resolve(bad) + ": ")
                && m.endsWith("[" + root.resolve("bad.txt") + ":" + line + "]")),
            bad + " line " + line + " not in " + messages);
      }
    }
  }
}
