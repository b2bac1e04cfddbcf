package io.saccade.runtime.train;

import io.saccade.runtime.data.BadSampleException;
import io.saccade.runtime.data.Clip;
import io.saccade.runtime.data.Sampling;
import io.saccade.runtime.data.VideoDataset;
import java.util.List;
import java.util.Objects;

/**
 * At most {@code limit} evenly spaced videos of a dataset (a view, no copy): video i is
 * {@code base[⌊i·size/limit⌋]}, so list files sorted by class still give every class its share.
 */
final class Strided implements VideoDataset {

  private final VideoDataset base;
  private final int size;

  private Strided(VideoDataset base, int size) {
    this.base = base;
    this.size = size;
  }

  /** {@code base} itself when it has at most {@code limit} videos. */
  static VideoDataset of(VideoDataset base, int limit) {
    Objects.requireNonNull(base, "base");
    if (limit < 1) {
      throw new IllegalArgumentException("a strided subset needs limit >= 1, got " + limit);
    }
    return base.size() <= limit ? base : new Strided(base, limit);
  }

  private int map(int index) {
    return (int) ((long) Objects.checkIndex(index, size) * base.size() / size);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public List<String> classNames() {
    return base.classNames();
  }

  @Override
  public int frames() {
    return base.frames();
  }

  @Override
  public int height() {
    return base.height();
  }

  @Override
  public int width() {
    return base.width();
  }

  @Override
  public int label(int index) {
    return base.label(map(index));
  }

  @Override
  public Clip load(int index, Sampling sampling) throws BadSampleException {
    return base.load(map(index), sampling);
  }

  @Override
  public String describe(int index) {
    return base.describe(map(index));
  }

  @Override
  public List<BadSampleException> rejected() {
    return base.rejected();
  }
}
