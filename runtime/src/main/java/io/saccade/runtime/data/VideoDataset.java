package io.saccade.runtime.data;

import java.util.List;
import java.util.Objects;

/**
 * A numbered collection of labelled videos that yields fixed-size clips. Implementations: the
 * embedded {@link SyntheticMotionDataset} and {@link FrameFolderDataset}; a video-file source (FFmpeg)
 * plugs in the same way: parse a list, pick frame indices with {@link SegmentSampler}, decode those
 * frames to {@link RgbImage}s and finish with {@link ClipAugmenter}.
 *
 * <pre>{@code
 * VideoDataset data = SyntheticMotionDataset.builder().clips(512).build();
 * Clip c = data.load(0, Sampling.eval());   // [T, H, W, 3], label c.label()
 * String name = data.classNames().get(c.label());
 * }</pre>
 *
 * <p>Implementations must be safe to call from several threads at once (the loader does).
 */
public interface VideoDataset {

  /** Number of videos. */
  int size();

  /** Class names, indexed by label. */
  List<String> classNames();

  /** Number of classes. */
  default int numClasses() {
    return classNames().size();
  }

  /** T: frames per clip. */
  int frames();

  /**
   * How a clip's {@link #frames()} are sampled from a video: consecutive sets summing to {@code frames()},
   * each spread over the whole video by {@link SegmentSampler} (one set by default; {@code [T, Tf]} for an
   * AdaFocusV2 whose focus frames are sampled apart from its glance frames).
   */
  default List<Integer> frameSets() {
    return List.of(frames());
  }

  /** H: clip height in pixels. */
  int height();

  /** W: clip width in pixels. */
  int width();

  /** The label of video {@code index}, known without decoding it. */
  int label(int index);

  /**
   * Decodes video {@code index} into a clip of {@code frames() × height() × width() × 3}.
   *
   * @throws BadSampleException when the video cannot be used (missing or corrupt frame, ...); the
   *     exception names the file
   */
  Clip load(int index, Sampling sampling) throws BadSampleException;

  /** A short human description of video {@code index} for messages (its path, its id). */
  default String describe(int index) {
    return "#" + index;
  }

  /**
   * Problems found when the dataset was opened (bad list lines, unknown labels); those videos are not
   * part of {@link #size()}. Each was already logged once.
   */
  default List<BadSampleException> rejected() {
    return List.of();
  }

  /** Videos {@code [from, to)} of this dataset as a dataset of their own (a view, no copy). */
  default VideoDataset slice(int from, int to) {
    if (from < 0 || to < from || to > size()) {
      throw new IllegalArgumentException("slice [" + from + ", " + to + ") is outside [0, " + size() + ")");
    }
    return new View(this, to - from, i -> from + i);
  }

  /**
   * At most {@code limit} evenly spaced videos (a view, no copy): video i is {@code this[⌊i·size/limit⌋]},
   * so a list sorted by class still gives every class its share; this dataset itself when it has at most
   * {@code limit} videos.
   */
  default VideoDataset strided(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a strided subset needs limit >= 1, got " + limit);
    }
    int n = size();
    return n <= limit ? this : new View(this, limit, i -> (int) ((long) i * n / limit));
  }

  /** Some videos of another dataset, video i being {@code base[index(i)]}. */
  final class View extends ForwardingDataset {
    private final int size;
    private final java.util.function.IntUnaryOperator index;

    View(VideoDataset base, int size, java.util.function.IntUnaryOperator index) {
      super(base);
      this.size = size;
      this.index = index;
    }

    private int map(int i) {
      return index.applyAsInt(Objects.checkIndex(i, size));
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public int label(int i) {
      return base.label(map(i));
    }

    @Override
    public Clip load(int i, Sampling sampling) throws BadSampleException {
      return base.load(map(i), sampling);
    }

    @Override
    public String describe(int i) {
      return base.describe(map(i));
    }

    @Override
    public List<BadSampleException> rejected() {
      return base.rejected();
    }
  }
}
