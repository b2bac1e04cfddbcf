package io.saccade.runtime.data;

import java.util.List;
import java.util.Objects;

/**
 * A dataset that answers everything from {@code base}: extend it and override what changes (a subset's
 * indices, a slowed or altered {@code load}).
 *
 * <pre>{@code
 * VideoDataset logged = new ForwardingDataset(train) {
 *   public Clip load(int i, Sampling s) throws BadSampleException {
 *     System.out.println("loading " + describe(i));
 *     return base.load(i, s);
 *   }
 * };
 * }</pre>
 */
public abstract class ForwardingDataset implements VideoDataset {
  protected final VideoDataset base;

  protected ForwardingDataset(VideoDataset base) {
    this.base = Objects.requireNonNull(base, "base");
  }

  @Override
  public int size() {
    return base.size();
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
  public List<Integer> frameSets() {
    return base.frameSets();
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
    return base.label(index);
  }
}
