package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.SyntheticMotionDataset.Direction;
import io.saccade.runtime.data.SyntheticMotionDataset.Glyph;
import io.saccade.runtime.data.SyntheticMotionDataset.Motion;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticMotionDatasetTest {

  /** A pixel is "glyph" when every channel is >= 0.85 in [0, 1] units (clutter is <= 0.75 + noise). */
  private static final float GLYPH_LEVEL = 0.85f;

  private static SyntheticMotionDataset small() {
    return SyntheticMotionDataset.builder().frames(8).size(32).classes(8).clips(64).seed(11).build();
  }

  /** Per frame: number of glyph pixels and their centroid (x, y), or NaN when there are none. */
  private static double[][] glyphTrack(Clip clip, Normalization norm) {
    double[][] track = new double[clip.frames()][3];
    for (int t = 0; t < clip.frames(); t++) {
      double n = 0;
      double sx = 0;
      double sy = 0;
      for (int y = 0; y < clip.height(); y++) {
        for (int x = 0; x < clip.width(); x++) {
          boolean bright = true;
          for (int c = 0; c < 3; c++) {
            bright &= norm.invert(clip.get(t, y, x, c), c) >= GLYPH_LEVEL;
          }
          if (bright) {
            n++;
            sx += x;
            sy += y;
          }
        }
      }
      track[t] = new double[] {n, n > 0 ? sx / n : Double.NaN, n > 0 ? sy / n : Double.NaN};
    }
    return track;
  }

  /** The direction an observer reads from consecutive glyph frames, or null if it is not one motion. */
  private static Direction readDirection(double[][] track) {
    double dx = 0;
    double dy = 0;
    int steps = 0;
    for (int t = 1; t < track.length; t++) {
      if (track[t - 1][0] > 0 && track[t][0] > 0) {
        dx += track[t][1] - track[t - 1][1];
        dy += track[t][2] - track[t - 1][2];
        steps++;
      }
    }
    if (steps == 0) {
      return null;
    }
    if (Math.abs(dx) > Math.abs(dy)) {
      return dx > 0 ? Direction.RIGHT : Direction.LEFT;
    }
    return dy > 0 ? Direction.DOWN : Direction.UP;
  }

  private static int[] reversed(int frames) {
    int[] order = new int[frames];
    for (int i = 0; i < frames; i++) {
      order[i] = frames - 1 - i;
    }
    return order;
  }

  @Test
  void frameSetsSampleEachSetOverTheRenderedVideo() {
    // an AdaFocusV2's clip: the 8-frame video as the glance sees it, then 12 focus frames spread over the same video
    SyntheticMotionDataset video = small();
    SyntheticMotionDataset sets = video.toBuilder().frameSets(List.of(8, 12)).build();
    assertEquals(20, sets.frames());
    assertEquals(List.of(8, 12), sets.frameSets());
    assertEquals(List.of(8), video.frameSets());
    int plane = 32 * 32 * 3;
    int[] focus = SegmentSampler.evalIndices(8, 12, 0, 1); // 0 1 1 2 3 3 4 5 5 6 7 7
    for (int i : new int[] {0, 7}) {
      float[] v = video.sample(i).data();
      float[] c = sets.sample(i).data();
      assertEquals(20 * plane, c.length);
      assertArrayEquals(v, Arrays.copyOf(c, 8 * plane));
      for (int k = 0; k < 12; k++) {
        assertArrayEquals(Arrays.copyOfRange(v, focus[k] * plane, (focus[k] + 1) * plane),
            Arrays.copyOfRange(c, (8 + k) * plane, (9 + k) * plane), "focus frame " + k);
      }
      assertEquals(video.sample(i).label(), sets.sample(i).label());
    }
    assertEquals(List.of(8, 12), sets.toBuilder().build().frameSets());
  }

  @Test
  void sameSeedGivesIdenticalClipsAndOtherSeedsOrSplitsDiffer() {
    SyntheticMotionDataset a = small();
    SyntheticMotionDataset b = small();
    for (int i : new int[] {0, 5, 63}) {
      assertArrayEquals(a.sample(i).data(), b.sample(i).data(), "clip " + i);
      assertArrayEquals(a.sample(i).data(), a.sample(i).data(), "clip " + i + " twice");
    }
    SyntheticMotionDataset otherSeed = a.toBuilder().seed(12).build();
    SyntheticMotionDataset validation = a.toBuilder().split(Split.VALIDATION).build();
    assertFalse(Arrays.equals(a.sample(3).data(), otherSeed.sample(3).data()));
    assertFalse(Arrays.equals(a.sample(3).data(), validation.sample(3).data()));
    assertEquals(a.sample(3).label(), validation.sample(3).label(), "labels follow the index");
  }

  @Test
  void labelsAreBalancedAndNamed() {
    SyntheticMotionDataset d = SyntheticMotionDataset.builder().classes(12).clips(120).build();
    int[] counts = new int[12];
    for (int i = 0; i < d.size(); i++) {
      counts[d.label(i)]++;
    }
    int[] ten = new int[12];
    Arrays.fill(ten, 10);
    assertArrayEquals(ten, counts);
    assertEquals(d.label(7), d.sample(7).label());
    assertEquals(
        List.of("square_left", "square_right", "square_up", "square_down", "cross_left", "cross_right", "cross_up",
            "cross_down", "ring_left", "ring_right", "ring_up", "ring_down"),
        d.classNames());
    assertEquals(List.of("left", "right", "up", "down"), SyntheticMotionDataset.builder().classes(4).build().classNames());
  }

  @Test
  void onlyTheKeyFramesShowTheGlyphAndItMovesInTheLabelledDirection() {
    SyntheticMotionDataset d = small();
    for (int i = 0; i < d.size(); i++) {
      Clip clip = d.sample(i);
      Motion m = d.motion(i);
      assertEquals(clip.label(), m.label());
      assertEquals(m.direction(), Direction.values()[clip.label() % 4]);
      assertEquals(m.glyph(), Glyph.of(clip.label() / 4));
      double[][] track = glyphTrack(clip, d.normalization());
      int area = 0;
      for (int y = 0; y < m.glyphSize(); y++) {
        for (int x = 0; x < m.glyphSize(); x++) {
          area += SyntheticMotionDataset.inside(m.glyph(), m.glyphSize(), x, y) ? 1 : 0;
        }
      }
      for (int t = 0; t < clip.frames(); t++) {
        if (m.isKeyFrame(t)) {
          int j = t - m.firstKeyFrame();
          assertEquals(area, track[t][0], "clip " + i + " key frame " + t + ": every glyph pixel, nothing else");
          double c = (m.glyphSize() - 1) / 2.0;
          // The glyph shapes are symmetric left-right, so the x centroid is the box centre exactly.
          assertEquals(m.xAt(j) + c, track[t][1], 1e-9, "clip " + i + " frame " + t);
        } else {
          assertEquals(0, track[t][0], "clip " + i + " frame " + t + " is not a key frame: no signal");
        }
      }
      assertEquals(m.direction(), readDirection(track), "clip " + i);
    }
  }

  @Test
  void playingAClipBackwardsShowsTheOppositeClass() {
    SyntheticMotionDataset d = small();
    for (int i = 0; i < 16; i++) {
      Clip clip = d.sample(i);
      Motion m = d.motion(i);
      Clip back = clip.reorder(reversed(clip.frames()));
      Direction seen = readDirection(glyphTrack(back, d.normalization()));
      assertEquals(m.direction().opposite(), seen, "clip " + i);
      int backLabel = m.glyph().index() * 4 + seen.ordinal();
      assertNotEquals(clip.label(), backLabel);
      assertEquals(d.classNames().get(backLabel), m.glyph().label() + "_" + m.direction().opposite().label());
    }
  }

  @Test
  void keyRunsAreSpreadOverTheClip() {
    SyntheticMotionDataset d = SyntheticMotionDataset.builder().frames(8).keyFrames(3).clips(400).build();
    int[] starts = new int[8];
    for (int i = 0; i < d.size(); i++) {
      starts[d.motion(i).firstKeyFrame()]++;
    }
    for (int s = 0; s <= 5; s++) {
      assertTrue(starts[s] > 40, "start " + s + " drawn " + starts[s] + " times of 400 (expected ~67)");
    }
    assertEquals(0, starts[6] + starts[7], "a 3-frame run cannot start after frame 5");
  }

  @Test
  void decoysAppearOnlyOutsideTheKeyRunAndStandStill() {
    SyntheticMotionDataset d = small().toBuilder().decoyRate(1.0).build();
    for (int i = 0; i < 8; i++) {
      Motion m = d.motion(i);
      double[][] track = glyphTrack(d.sample(i), d.normalization());
      for (int t = 0; t < track.length; t++) {
        assertTrue(track[t][0] > 0, "clip " + i + " frame " + t + " shows a glyph (real or decoy)");
      }
      double[][] key = Arrays.copyOfRange(track, m.firstKeyFrame(), m.firstKeyFrame() + m.keyFrames());
      assertEquals(m.direction(), readDirection(key));
    }
  }

  @Test
  void otherSizesAndNormalisation() {
    SyntheticMotionDataset d = SyntheticMotionDataset.builder()
        .size(64).frames(12).keyFrames(2).classes(16).clips(16).normalization(Normalization.NONE).build();
    Clip c = d.sample(15);
    assertEquals(12 * 64 * 64 * 3, c.data().length);
    assertEquals("triangle_down", d.classNames().get(c.label()));
    for (float v : c.data()) {
      assertTrue(v >= 0f && v <= 1f, "unnormalised values stay in [0, 1], got " + v);
    }
    assertEquals(16, d.motion(0).glyphSize());
    assertEquals(8, d.motion(0).step());
  }

  @Test
  void badSettingsNameTheValueAndTheLimit() {
    var e = assertThrows(IllegalArgumentException.class, () -> SyntheticMotionDataset.builder().classes(1).build());
    assertTrue(e.getMessage().contains("[2, 4096], got 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SyntheticMotionDataset.builder().size(16).frames(8).keyFrames(8).build());
    assertTrue(e.getMessage().contains("at most 6"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SyntheticMotionDataset.builder().frames(1).build());
    assertTrue(e.getMessage().contains("frames must be >= 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SyntheticMotionDataset.builder().frames(2).keyFrames(3).build());
    assertTrue(e.getMessage().contains("got 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SyntheticMotionDataset.builder().size(8).build());
    assertTrue(e.getMessage().contains("[16, 1024]"), e.getMessage());
  }

  @Test
  void anyClassCountFromTwoGetsDistinctBalancedClasses() {
    assertEquals(List.of("left", "right"), SyntheticMotionDataset.builder().classes(2).build().classNames());
    assertEquals(List.of("left", "right", "up"), SyntheticMotionDataset.builder().classes(3).build().classNames());
    SyntheticMotionDataset ten = SyntheticMotionDataset.builder().classes(10).build();
    assertEquals(
        List.of("square_left", "square_right", "square_up", "square_down", "cross_left", "cross_right", "cross_up",
            "cross_down", "ring_left", "ring_right"),
        ten.classNames());
    SyntheticMotionDataset many = SyntheticMotionDataset.builder().classes(174).clips(174).build();
    assertEquals(174, new java.util.HashSet<>(many.classNames()).size());
    assertEquals("shape42_up", many.classNames().get(42 * 4 + 2));
    int[] counts = new int[174];
    for (int i = 0; i < many.size(); i++) {
      counts[many.label(i)]++;
    }
    int[] ones = new int[174];
    Arrays.fill(ones, 1);
    assertArrayEquals(ones, counts);
  }

  @Test
  void generatedGlyphsAreDistinctSymmetricPatterns() {
    int s = 10;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int g = 0; g < 64; g++) {
      StringBuilder shape = new StringBuilder();
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          boolean in = SyntheticMotionDataset.inside(Glyph.of(g), s, x, y);
          assertEquals(in, SyntheticMotionDataset.inside(Glyph.of(g), s, s - 1 - x, y), "glyph " + g + " is symmetric");
          shape.append(in ? '#' : '.');
        }
      }
      assertTrue(seen.add(shape.toString()), "glyph " + g + " repeats an earlier one:\n" + shape);
    }
    assertEquals(Glyph.of(40), Glyph.of(40));
    assertEquals("shape40", Glyph.of(40).label());
  }

  @Test
  void clipsOfManyClassesShowTheirGlyphOnlyInKeyFramesMovingTheLabelledWay() {
    SyntheticMotionDataset d =
        SyntheticMotionDataset.builder().frames(5).size(40).classes(30).clips(30).seed(3).normalization(Normalization.NONE).build();
    for (int i = 0; i < d.size(); i++) {
      Clip clip = d.sample(i);
      Motion m = d.motion(i);
      assertEquals(Glyph.of(clip.label() / 4), m.glyph());
      double[][] track = glyphTrack(clip, d.normalization());
      for (int t = 0; t < clip.frames(); t++) {
        assertEquals(m.isKeyFrame(t), track[t][0] > 0, "clip " + i + " frame " + t);
      }
      assertEquals(m.direction(), readDirection(track), "clip " + i);
    }
    assertEquals(2, SyntheticMotionDataset.builder().frames(2).build().keyFrames());
  }

  @Test
  void writtenFrameFoldersHoldTheClipsTheListAndTheLabels(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    SyntheticMotionDataset d = SyntheticMotionDataset.builder().frames(4).size(32).classes(6).clips(6).split(Split.VALIDATION).build();
    java.nio.file.Path list = d.writeFrameFolders(dir);
    assertEquals(dir.resolve("validation.txt"), list);
    List<String> lines = java.nio.file.Files.readAllLines(list);
    assertEquals(6, lines.size());
    assertEquals("validation_000005 4 5", lines.get(5));
    assertEquals(d.classNames(), LabelMap.read(dir.resolve("labels.json")).names());
    SyntheticMotionDataset raw = d.toBuilder().normalization(Normalization.NONE).build();
    for (int i = 0; i < 6; i++) {
      Clip clip = raw.sample(i);
      double error = 0;
      for (int t = 0; t < 4; t++) {
        java.awt.image.BufferedImage image =
            javax.imageio.ImageIO.read(dir.resolve(String.format("validation_%06d/%05d.jpg", i, t + 1)).toFile());
        assertEquals(32, image.getWidth());
        float[] f = clip.frame(t);
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            int rgb = image.getRGB(x, y);
            int o = (y * 32 + x) * 3;
            error += Math.abs((rgb >> 16 & 255) / 255.0 - f[o]) + Math.abs((rgb >> 8 & 255) / 255.0 - f[o + 1])
                + Math.abs((rgb & 255) / 255.0 - f[o + 2]);
          }
        }
      }
      // JPEG at quality 95 on noisy 32-pixel frames: a few levels of 255 on average.
      assertTrue(error / (4 * 32 * 32 * 3) < 0.03, "clip " + i + " mean abs error " + error / (4 * 32 * 32 * 3));
    }
    FrameFolderDataset back = FrameFolderDataset.builder().root(dir).list(list).labels(LabelMap.read(dir.resolve("labels.json")))
        .frames(4).size(32).build();
    for (int i = 0; i < 6; i++) {
      assertEquals(d.label(i), back.load(i, Sampling.eval()).label());
    }
  }

  @Test
  void writtenVideosHoldTheClipsTheListAndTheLabels(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    SyntheticMotionDataset d = SyntheticMotionDataset.builder().frames(6).size(32).classes(5).clips(5).build();
    java.nio.file.Path list = d.writeVideos(dir);
    assertEquals("train_000004.mp4 6 4", java.nio.file.Files.readAllLines(list).get(4));
    assertEquals(d.classNames(), LabelMap.read(dir.resolve("labels.json")).names());
    SyntheticMotionDataset raw = d.toBuilder().normalization(Normalization.NONE).build();
    for (int i = 0; i < 5; i++) {
      Clip clip = raw.sample(i);
      VideoFileDecoder.Frames frames = VideoFileDecoder.decode(dir.resolve(String.format("train_%06d.mp4", i)), new int[] {0, 1, 2, 3, 4, 5});
      double error = 0;
      for (int t = 0; t < 6; t++) {
        RgbImage image = frames.images().get(t);
        float[] f = clip.frame(t);
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            for (int c = 0; c < 3; c++) {
              error += Math.abs(image.get(x, y, c) / 255.0 - f[(y * 32 + x) * 3 + c]);
            }
          }
        }
      }
      // MPEG-4 at q = 2 with 4:2:0 chroma on noisy 32-pixel frames.
      assertTrue(error / (6 * 32 * 32 * 3) < 0.05, "clip " + i + " mean abs error " + error / (6 * 32 * 32 * 3));
    }
    VideoFileDataset back = VideoFileDataset.builder().root(dir).list(list).labels(LabelMap.read(dir.resolve("labels.json")))
        .frames(6).size(32).build();
    for (int i = 0; i < 5; i++) {
      assertEquals(d.label(i), back.load(i, Sampling.eval()).label());
    }
    assertThrows(IllegalArgumentException.class, () -> d.toBuilder().size(33).build().writeVideos(dir.resolve("odd")));
  }
}
