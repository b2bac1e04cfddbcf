package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SegmentSamplerTest {

  @Test
  void evaluationTakesSegmentCentres() {
    // floor((2i + 1) * 100 / 8) = floor(12.5), floor(37.5), floor(62.5), floor(87.5)
    assertArrayEquals(new int[] {12, 37, 62, 87}, SegmentSampler.evalIndices(100, 4, 0, 1));
    // 37 frames, 8 segments of 4.625: floor((2i + 1) * 37 / 16)
    assertArrayEquals(new int[] {2, 6, 11, 16, 20, 25, 30, 34}, SegmentSampler.evalIndices(37, 8, 0, 1));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, SegmentSampler.evalIndices(8, 8, 0, 1));
    assertArrayEquals(SegmentSampler.evalIndices(100, 4, 0, 1), SegmentSampler.indices(100, 4, Sampling.eval()));
  }

  @Test
  void multiClipEvaluationSpreadsOffsetsWithinSegments() {
    // clip j of 2: floor((2(2i + j) + 1) * 100 / 16)
    assertArrayEquals(new int[] {6, 31, 56, 81}, SegmentSampler.evalIndices(100, 4, 0, 2));
    assertArrayEquals(new int[] {18, 43, 68, 93}, SegmentSampler.evalIndices(100, 4, 1, 2));
    assertArrayEquals(new int[] {18, 43, 68, 93}, SegmentSampler.indices(100, 4, Sampling.eval(1, 2, 0, 1)));
  }

  @Test
  void shortVideosRepeatFramesEvenlyInOrder() {
    // n = 3 < T = 8: eval floor((2i + 1) * 3 / 16)
    assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2, 2}, SegmentSampler.evalIndices(3, 8, 0, 1));
    // train: segments [floor(3i/8), floor(3(i+1)/8)) = [0,0) [0,0) [0,1) [1,1) [1,1) [1,2) [2,2) [2,3)
    for (long seed = 0; seed < 20; seed++) {
      assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2},
          SegmentSampler.trainIndices(3, 8, new SplittableRandom(seed)));
    }
    assertArrayEquals(new int[] {0, 0, 0, 0}, SegmentSampler.evalIndices(1, 4, 0, 1));
  }

  @Test
  void trainingDrawsEveryFrameOfItsSegmentAndNothingElse() {
    // n = 10, T = 4: segments [0,2) [2,5) [5,7) [7,10)
    int[][] segments = {{0, 2}, {2, 5}, {5, 7}, {7, 10}};
    List<Set<Integer>> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      seen.add(new HashSet<>());
    }
    SplittableRandom rng = new SplittableRandom(5);
    for (int k = 0; k < 400; k++) {
      int[] idx = SegmentSampler.trainIndices(10, 4, rng);
      for (int i = 0; i < 4; i++) {
        assertTrue(idx[i] >= segments[i][0] && idx[i] < segments[i][1], "segment " + i + " gave " + idx[i]);
        seen.get(i).add(idx[i]);
      }
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(segments[i][1] - segments[i][0], seen.get(i).size(), "segment " + i + " covers all its frames");
    }
  }

  @Test
  void trainingIndicesFollowTheSamplingSeed() {
    assertArrayEquals(SegmentSampler.indices(300, 8, Sampling.train(9)), SegmentSampler.indices(300, 8, Sampling.train(9)));
    int differ = 0;
    for (long s = 0; s < 10; s++) {
      differ += java.util.Arrays.equals(
          SegmentSampler.indices(300, 8, Sampling.train(s)), SegmentSampler.indices(300, 8, Sampling.train(s + 100))) ? 0 : 1;
    }
    assertTrue(differ >= 9, "different seeds give different indices (" + differ + " of 10)");
  }

  @Test
  void frameSetsAreEachSampledOverTheWholeVideoOneAfterTheOther() {
    // the official AdaFocusV2 loader: T = 8 glance segments, then int(1.5·8) = 12 focus segments, of the same video
    int[] both = SegmentSampler.indices(120, java.util.List.of(8, 12), Sampling.eval());
    int[] glance = SegmentSampler.evalIndices(120, 8, 0, 1);
    int[] focus = SegmentSampler.evalIndices(120, 12, 0, 1);
    assertArrayEquals(glance, java.util.Arrays.copyOfRange(both, 0, 8));
    assertArrayEquals(focus, java.util.Arrays.copyOfRange(both, 8, 20));
    assertArrayEquals(new int[] {5, 15, 25, 35, 45, 55, 65, 75, 85, 95, 105, 115}, focus); // int(tick/2 + tick·x), tick 10
    // one set is the single-set rule, in training too (the same draws)
    assertArrayEquals(SegmentSampler.indices(300, 8, Sampling.train(9)), SegmentSampler.indices(300, java.util.List.of(8), Sampling.train(9)));
    // in training each set draws its own offsets within its own segments
    int[] train = SegmentSampler.indices(300, java.util.List.of(4, 6), Sampling.train(9));
    assertArrayEquals(SegmentSampler.indices(300, 4, Sampling.train(9)), java.util.Arrays.copyOfRange(train, 0, 4));
    for (int i = 0; i < 6; i++) {
      assertTrue(train[4 + i] >= i * 50 && train[4 + i] < (i + 1) * 50, "focus index " + train[4 + i] + " in segment " + i);
    }
    assertThrows(IllegalArgumentException.class, () -> SegmentSampler.indices(10, java.util.List.of(), Sampling.eval()));
    assertThrows(IllegalArgumentException.class, () -> SegmentSampler.indices(10, java.util.List.of(4, 0), Sampling.eval()));
  }

  @Test
  void badArguments() {
    assertThrows(IllegalArgumentException.class, () -> SegmentSampler.evalIndices(0, 8, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> SegmentSampler.evalIndices(10, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> SegmentSampler.evalIndices(10, 4, 2, 2));
  }
}
