package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.ClipAugmenter.CropBox;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClipAugmenterTest {

  private static final Normalization IMAGENET = Normalization.IMAGENET;

  /** A frame whose pixel (x, y) is (5x, 7y, 3x + y + offset). */
  private static RgbImage pattern(int w, int h, int offset) {
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        rgb[o] = (byte) (5 * x);
        rgb[o + 1] = (byte) (7 * y);
        rgb[o + 2] = (byte) (3 * x + y + offset);
      }
    }
    return new RgbImage(w, h, rgb);
  }

  private static float expected(int value, int channel) {
    return IMAGENET.apply(value / 255f, channel);
  }

  private static float at(float[] clip, int size, int t, int y, int x, int c) {
    return clip[((t * size + y) * size + x) * 3 + c];
  }

  @Test
  void centreCropCopiesTheCentredSquareAndNormalises() {
    // 40x30 frame: side round(30 * 224/256) = 26, corner ((40-26)/2, (30-26)/2) = (7, 2); 26 -> 26 is a copy.
    ClipAugmenter aug = ClipAugmenter.builder(26).build();
    RgbImage f = pattern(40, 30, 0);
    float[] out = aug.apply(List.of(f), Sampling.eval());
    assertEquals(26 * 26 * 3, out.length);
    for (int y = 0; y < 26; y++) {
      for (int x = 0; x < 26; x++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(expected(f.get(7 + x, 2 + y, c), c), at(out, 26, 0, y, x, c), 1e-5, "(" + x + "," + y + ")");
        }
      }
    }
  }

  @Test
  void threeCropEvaluationSpansTheLongerSide() {
    ClipAugmenter aug = ClipAugmenter.builder(30).build();
    int[] expectedLeft = {0, 5, 10}; // (40 - 30) * k / 2
    for (int k = 0; k < 3; k++) {
      CropBox box = aug.cropBox(40, 30, Sampling.eval(0, 1, k, 3));
      assertEquals(expectedLeft[k], box.x() * 40, 1e-9);
      assertEquals(30, box.width() * 40, 1e-9);
      float[] out = aug.apply(List.of(pattern(40, 30, 0)), Sampling.eval(0, 1, k, 3));
      assertEquals(expected(5 * expectedLeft[k], 0), at(out, 30, 0, 0, 0, 0), 1e-5);
      // Portrait frames spread the crops vertically.
      assertEquals(expectedLeft[k], aug.cropBox(30, 40, Sampling.eval(0, 1, k, 3)).y() * 40, 1e-9);
    }
  }

  @Test
  void multiScaleCropsUseTheTsnSidesAndGrid() {
    ClipAugmenter aug = ClipAugmenter.builder(16).build();
    // base 30: floor(30 * {1, .875, .75, .66}) = {30, 26, 22, 19}
    int[] sides = {30, 26, 22, 19};
    Set<String> pairs = new HashSet<>();
    Set<String> corners = new HashSet<>();
    SplittableRandom rng = new SplittableRandom(1);
    for (int k = 0; k < 2000; k++) {
      CropBox b = aug.trainCrop(40, 30, rng);
      int w = (int) Math.round(b.width() * 40);
      int h = (int) Math.round(b.height() * 30);
      int x = (int) Math.round(b.x() * 40);
      int y = (int) Math.round(b.y() * 30);
      int a = indexOf(sides, w);
      int c = indexOf(sides, h);
      assertTrue(a >= 0 && c >= 0 && Math.abs(a - c) <= 1, "crop " + w + "x" + h);
      int xs = (40 - w) / 4;
      int ys = (30 - h) / 4;
      assertTrue(xs == 0 ? x == 0 : x % xs == 0 && x / xs <= 4, "x " + x + " for width " + w);
      assertTrue(ys == 0 ? y == 0 : y % ys == 0 && y / ys <= 4, "y " + y + " for height " + h);
      assertFalse(b.flip(), "flip is off by default");
      pairs.add(w + "x" + h);
      if (w == 19 && h == 19) {
        corners.add(x / xs + "," + y / ys);
      }
    }
    assertEquals(10, pairs.size(), "4 + 3 + 3 (w, h) pairs with |a - b| <= 1");
    assertEquals(13, corners.size(), "13 grid positions");
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void oneCropAndOneFlipForAllFramesOfAClip() {
    ClipAugmenter aug = ClipAugmenter.builder(12).flip(true).build();
    List<RgbImage> frames = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      frames.add(pattern(40, 30, 10 * t)); // frames differ only in blue
    }
    int flipped = 0;
    for (long seed = 0; seed < 40; seed++) {
      Sampling s = Sampling.train(seed);
      CropBox box = aug.cropBox(40, 30, s);
      float[] out = aug.apply(frames, s);
      // Same box for every frame: red and green (independent of t) agree across frames exactly.
      for (int t = 1; t < 4; t++) {
        for (int y = 0; y < 12; y++) {
          for (int x = 0; x < 12; x++) {
            for (int c = 0; c < 2; c++) {
              assertEquals(at(out, 12, 0, y, x, c), at(out, 12, t, y, x, c), 1e-6);
            }
          }
        }
      }
      // Red grows with x: left to right unless flipped.
      boolean decreasing = at(out, 12, 0, 5, 0, 0) > at(out, 12, 0, 5, 11, 0);
      assertEquals(box.flip(), decreasing, "seed " + seed);
      if (box.flip()) {
        flipped++;
        float[] plain = new float[out.length];
        aug.render(frames, new CropBox(box.x(), box.y(), box.width(), box.height(), false), plain, 0);
        for (int t = 0; t < 4; t++) {
          for (int x = 0; x < 12; x++) {
            assertEquals(at(plain, 12, t, 3, 11 - x, 2), at(out, 12, t, 3, x, 2), 1e-6);
          }
        }
      }
    }
    assertTrue(flipped > 8 && flipped < 32, "flip coin: " + flipped + " of 40");
  }

  @Test
  void shrinkingAveragesAreasAndEnlargingIsBilinear() {
    // 8x2 columns alternating 0 / 200: halving averages each pair of columns to exactly 100.
    byte[] rgb = new byte[8 * 8 * 3];
    for (int i = 0; i < 64; i++) {
      int v = (i % 8) % 2 == 0 ? 0 : 200;
      rgb[i * 3] = (byte) v;
      rgb[i * 3 + 1] = (byte) v;
      rgb[i * 3 + 2] = (byte) v;
    }
    ClipAugmenter half = ClipAugmenter.builder(4).normalization(Normalization.NONE).build();
    float[] out = new float[4 * 4 * 3];
    half.render(List.of(new RgbImage(8, 8, rgb)), new CropBox(0, 0, 1, 1, false), out, 0);
    for (float v : out) {
      assertEquals(100f / 255f, v, 1e-6);
    }
    // 2 pixels (0, 255) -> 4: centres at -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
    byte[] two = {0, 0, 0, (byte) 255, (byte) 255, (byte) 255, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255};
    ClipAugmenter up = ClipAugmenter.builder(4).normalization(Normalization.NONE).build();
    float[] o = new float[4 * 4 * 3];
    up.render(List.of(new RgbImage(2, 2, two)), new CropBox(0, 0, 1, 1, false), o, 0);
    float[] row = {0f, 0.25f, 0.75f, 1f};
    for (int x = 0; x < 4; x++) {
      assertEquals(row[x], o[x * 3], 1e-6, "column " + x);
    }
  }

  @Test
  void frameSetsGetACropEachInTrainingAndTheSameCentreCropInEvaluation() {
    List<RgbImage> frames = new ArrayList<>();
    for (int t = 0; t < 5; t++) {
      frames.add(pattern(40, 30, 7 * t));
    }
    ClipAugmenter aug = ClipAugmenter.builder(16).build();
    List<Integer> sets = List.of(2, 3);
    int plane = 16 * 16 * 3;
    boolean differs = false;
    for (long seed = 0; seed < 8; seed++) {
      Sampling train = Sampling.train(seed);
      float[] both = aug.apply(frames, sets, train);
      // Set 0 is what the one-set call draws for the same seed; set 1 is cropped on its own.
      float[] first = aug.apply(frames.subList(0, 2), train);
      assertArrayEquals(first, java.util.Arrays.copyOfRange(both, 0, 2 * plane));
      float[] whole = aug.apply(frames, train);
      differs |= !java.util.Arrays.equals(java.util.Arrays.copyOfRange(whole, 2 * plane, 5 * plane),
          java.util.Arrays.copyOfRange(both, 2 * plane, 5 * plane));
    }
    assertTrue(differs, "the focus set's crop is drawn apart from the glance set's");
    assertArrayEquals(aug.apply(frames, Sampling.eval()), aug.apply(frames, sets, Sampling.eval()), "one centre crop");
    assertArrayEquals(aug.apply(frames, Sampling.train(3)), aug.apply(frames, List.of(5), Sampling.train(3)), "one set: as before");
    assertThrows(IllegalArgumentException.class, () -> aug.apply(frames, List.of(2, 2), Sampling.train(1)));
  }
}
