package io.saccade.runtime.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * TSN segment-based sampling: which {@code T} of a video's {@code n} frames make a clip. The video is
 * cut into {@code T} equal segments and one frame is taken from each, so a clip always spans the whole
 * video. Indices are 0-based (add the dataset's first frame number, 1 for Something-Something).
 *
 * <p>Segment {@code i} ({@code 0 ≤ i < T}) covers frames {@code [start_i, end_i)} with
 * {@code start_i = floor(i·n / T)} and {@code end_i = floor((i+1)·n / T)}; the segments partition
 * {@code [0, n)} exactly.
 * <ul>
 *   <li><b>Training:</b> {@code index_i = start_i + r_i} with {@code r_i} uniform in
 *       {@code [0, end_i − start_i)}; when the segment is empty ({@code n < T}) {@code index_i = start_i}.
 *   <li><b>Evaluation, one clip:</b> the segment centre {@code index_i = floor((2i + 1)·n / (2T))}.
 *   <li><b>Evaluation, clip {@code j} of {@code c}:</b> the offset spreads within each segment,
 *       {@code index_i = floor((2(i·c + j) + 1)·n / (2T·c))}; {@code c = 1} is the centre rule.
 * </ul>
 * When {@code n < T} every rule repeats frames evenly in order (n = 3, T = 8 evaluates to
 * {@code 0 0 0 1 1 2 2 2}), so a short video still yields a full clip.
 *
 * <pre>{@code
 * SegmentSampler.evalIndices(100, 4, 0, 1);                 // {12, 37, 62, 87}
 * SegmentSampler.trainIndices(100, 4, new SplittableRandom(7));   // one index in each 25-frame segment
 * }</pre>
 */
public final class SegmentSampler {

  private SegmentSampler() {}

  /** Training indices: a uniformly random frame in each segment. */
  public static int[] trainIndices(int numFrames, int segments, SplittableRandom rng) {
    check(numFrames, segments);
    Objects.requireNonNull(rng, "rng");
    int[] out = new int[segments];
    for (int i = 0; i < segments; i++) {
      int start = (int) ((long) i * numFrames / segments);
      int end = (int) ((long) (i + 1) * numFrames / segments);
      out[i] = end > start ? start + rng.nextInt(end - start) : start;
    }
    return out;
  }

  /** Evaluation indices of temporal view {@code clip} of {@code clips} (segment centres when {@code clips = 1}). */
  public static int[] evalIndices(int numFrames, int segments, int clip, int clips) {
    check(numFrames, segments);
    if (clips < 1 || clip < 0 || clip >= clips) {
      throw new IllegalArgumentException("clip must be in [0, clips) with clips >= 1, got " + clip + " of " + clips);
    }
    int[] out = new int[segments];
    for (int i = 0; i < segments; i++) {
      out[i] = (int) ((2L * ((long) i * clips + clip) + 1) * numFrames / (2L * segments * clips));
    }
    return out;
  }

  /** The rule {@code sampling} asks for; training draws from {@code Sampling.seed()}. */
  public static int[] indices(int numFrames, int segments, Sampling sampling) {
    return sampling.training()
        ? trainIndices(numFrames, segments, new SplittableRandom(Seeds.mix(sampling.seed(), 0x5E6L)))
        : evalIndices(numFrames, segments, sampling.clip(), sampling.clips());
  }

  /**
   * Several sets of segments, each sampled over the whole video by the rule {@code sampling} asks for, one
   * after the other: {@code [8, 12]} gives the 8 indices of an 8-segment clip, then the 12 of a 12-segment
   * one (AdaFocusV2's glance and focus frames, as the official Something-Something/Jester loader samples
   * them). In training each set draws its own offsets; a single set is {@link #indices(int, int, Sampling)}.
   *
   * <pre>{@code
   * SegmentSampler.indices(120, List.of(2, 3), Sampling.eval());   // {30, 90, 20, 60, 100}
   * }</pre>
   */
  public static int[] indices(int numFrames, java.util.List<Integer> sets, Sampling sampling) {
    Objects.requireNonNull(sets, "sets");
    if (sets.isEmpty()) {
      throw new IllegalArgumentException("at least one set of segments is needed");
    }
    int total = 0;
    for (int segments : sets) {
      check(numFrames, segments);
      total = Math.addExact(total, segments);
    }
    int[] out = new int[total];
    int at = 0;
    for (int k = 0; k < sets.size(); k++) {
      int segments = sets.get(k);
      int[] set = sampling.training()
          ? trainIndices(numFrames, segments, new SplittableRandom(Seeds.mix(sampling.seed(), 0x5E6L + k)))
          : evalIndices(numFrames, segments, sampling.clip(), sampling.clips());
      System.arraycopy(set, 0, out, at, segments);
      at += segments;
    }
    return out;
  }

  private static void check(int numFrames, int segments) {
    if (numFrames < 1) {
      throw new IllegalArgumentException("numFrames must be >= 1, got " + numFrames);
    }
    if (segments < 1) {
      throw new IllegalArgumentException("segments must be >= 1, got " + segments);
    }
  }
}
