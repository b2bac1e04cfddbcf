package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameFolderDatasetTest {

  @TempDir Path root;

  /** Frame k (1-based file number) of a video is a flat colour (20k, 100, 200 - 20k). */
  private static int colour(int k) {
    return TestFrames.rgb(20 * k, 100, 200 - 20 * k);
  }

  private void writeVideo(String folder, int frames, boolean jpeg, String template) throws Exception {
    FrameFolderDataset.FrameTemplate t = FrameFolderDataset.FrameTemplate.parse(template);
    for (int k = 1; k <= frames; k++) {
      int c = colour(k);
      Path f = root.resolve(folder).resolve(t.format(k));
      if (jpeg) {
        TestFrames.jpeg(f, TestFrames.image(40, 30, (x, y) -> c));
      } else {
        TestFrames.png(f, TestFrames.image(40, 30, (x, y) -> c));
      }
    }
  }

  private FrameFolderDataset open(String template) throws Exception {
    Path list = root.resolve("list.txt");
    Files.writeString(list, "v1 6 0\nclips with spaces/v2 3 1\n");
    return FrameFolderDataset.builder()
        .root(root)
        .list(list)
        .labels(LabelMap.of(List.of("left", "right")))
        .template(template)
        .frames(3)
        .size(16)
        .build();
  }

  private static void assertFlat(Clip clip, int t, int k, double tolerance) {
    int rgb = colour(k);
    for (int c = 0; c < 3; c++) {
      int v = (rgb >> (16 - 8 * c)) & 0xFF;
      float want = Normalization.IMAGENET.apply(v / 255f, c);
      for (int y = 0; y < clip.height(); y++) {
        for (int x = 0; x < clip.width(); x++) {
          assertEquals(want, clip.get(t, y, x, c), tolerance, "frame " + t + " (file " + k + ") channel " + c);
        }
      }
    }
  }

  @Test
  void loadsSegmentCentresAsNormalisedTensors() throws Exception {
    writeVideo("v1", 6, false, "{:05d}.png");
    writeVideo("clips with spaces/v2", 3, false, "{:05d}.png");
    FrameFolderDataset d = open("{:05d}.png");
    assertEquals(2, d.size());
    assertEquals(List.of("left", "right"), d.classNames());
    assertEquals(root.resolve("v1").resolve("00002.png"), d.framePath(0, 1));

    // 6 frames, 3 segments: centres floor((2i + 1) * 6 / 6) = 1, 3, 5 -> files 00002, 00004, 00006.
    assertArrayEquals(new int[] {1, 3, 5}, d.frameIndices(0, Sampling.eval()));
    Clip c = d.load(0, Sampling.eval());
    assertEquals(0, c.label());
    assertEquals(3 * 16 * 16 * 3, c.data().length);
    assertFlat(c, 0, 2, 1e-5);
    assertFlat(c, 1, 4, 1e-5);
    assertFlat(c, 2, 6, 1e-5);

    Clip v2 = d.load(1, Sampling.eval());
    assertEquals(1, v2.label());
    for (int t = 0; t < 3; t++) {
      assertFlat(v2, t, t + 1, 1e-5);
    }
    assertTrue(d.describe(1).contains("list.txt:2"), d.describe(1));
  }

  @Test
  void trainingPicksOneFramePerSegmentFromTheSeed() throws Exception {
    writeVideo("v1", 6, false, "{:05d}.png");
    writeVideo("clips with spaces/v2", 3, false, "{:05d}.png");
    FrameFolderDataset d = open("{:05d}.png");
    for (long seed = 0; seed < 6; seed++) {
      int[] idx = d.frameIndices(0, Sampling.train(seed));
      // Segments of 6 frames in 3: [0,2) [2,4) [4,6).
      for (int i = 0; i < 3; i++) {
        assertTrue(idx[i] >= 2 * i && idx[i] < 2 * i + 2, "segment " + i + ": " + idx[i]);
      }
      Clip c = d.load(0, Sampling.train(seed));
      for (int t = 0; t < 3; t++) {
        assertFlat(c, t, idx[t] + 1, 1e-5); // a flat frame stays flat under any crop
      }
    }
  }

  @Test
  void jpegFramesWithinJpegTolerance() throws Exception {
    writeVideo("v1", 6, true, "{:06d}.jpg");
    writeVideo("clips with spaces/v2", 3, true, "{:06d}.jpg");
    FrameFolderDataset d = open("{:06d}.jpg");
    Clip c = d.load(0, Sampling.eval());
    // 4 levels of 255 (flat JPEG, quality .95) divided by the smallest std (0.224).
    double tol = 4 / 255.0 / 0.224;
    assertFlat(c, 0, 2, tol);
    assertFlat(c, 2, 6, tol);
  }

  @Test
  void missingFrameNamesItsPath() throws Exception {
    writeVideo("v1", 6, false, "{:05d}.png");
    Files.delete(root.resolve("v1/00004.png"));
    FrameFolderDataset d = open("{:05d}.png");
    BadSampleException e = assertThrows(BadSampleException.class, () -> d.load(0, Sampling.eval()));
    assertEquals(root.resolve("v1/00004.png").toString(), e.file());
    e = assertThrows(BadSampleException.class, () -> d.load(1, Sampling.eval()));
    assertTrue(e.file().endsWith("clips with spaces/v2/00001.png"), e.file());
  }

  @Test
  void templates() {
    assertEquals("000012.jpg", FrameFolderDataset.FrameTemplate.parse("{:06d}.jpg").format(12));
    assertEquals("img_00007.png", FrameFolderDataset.FrameTemplate.parse("img_%05d.png").format(7));
    assertEquals("7.jpg", FrameFolderDataset.FrameTemplate.parse("{}.jpg").format(7));
    assertEquals("123456.jpg", FrameFolderDataset.FrameTemplate.parse("{:05d}.jpg").format(123456));
    var e = assertThrows(IllegalArgumentException.class, () -> FrameFolderDataset.FrameTemplate.parse("frame.jpg"));
    assertTrue(e.getMessage().contains("'frame.jpg'"));
  }

  @Test
  void classesWithoutALabelMap() throws Exception {
    Path list = root.resolve("l.txt");
    Files.writeString(list, "a 3 0\nb 3 4\n");
    FrameFolderDataset d = FrameFolderDataset.builder().root(root).list(list).frames(2).size(8).build();
    assertEquals(5, d.numClasses());
    assertEquals("class_4", d.classNames().get(4));
  }
}
