package io.saccade.runtime.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What every dataset read from a list file shares ({@link FrameFolderDataset}, {@link VideoFileDataset}):
 * the list's valid lines, the lines it rejected, the class names, the clip length and the augmenter. Each
 * subclass only says how a listed video is loaded.
 */
public abstract class ListedDataset implements VideoDataset {

  /** The folder the list's paths are relative to. */
  final Path root;
  private final List<VideoList.Entry> entries;
  private final List<BadSampleException> rejected;
  private final List<String> classNames;
  final int frames;
  final List<Integer> frameSets;
  final ClipAugmenter augmenter;

  ListedDataset(ListedDatasetBuilder<?> b, VideoList list) {
    this.root = b.root;
    this.entries = list.entries();
    this.rejected = list.rejected();
    this.classNames = List.copyOf(b.classNames(list));
    this.frames = b.frames;
    this.frameSets = b.frameSets;
    this.augmenter = b.resolvedAugmenter();
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public int frames() {
    return frames;
  }

  @Override
  public List<Integer> frameSets() {
    return frameSets;
  }

  @Override
  public int height() {
    return augmenter.size();
  }

  @Override
  public int width() {
    return augmenter.size();
  }

  @Override
  public int label(int index) {
    return entry(index).label();
  }

  /** The list line of video {@code index}. */
  public VideoList.Entry entry(int index) {
    return entries.get(Objects.checkIndex(index, entries.size()));
  }

  @Override
  public List<BadSampleException> rejected() {
    return rejected;
  }

  /** The augmenter every clip goes through. */
  public ClipAugmenter augmenter() {
    return augmenter;
  }

  /** The file or folder of video {@code index}, resolved against the root. */
  public Path file(int index) {
    return root.resolve(entry(index).path());
  }

  /** The clip of video {@code index} from its decoded {@code images}, through the augmenter. */
  Clip clip(int index, List<RgbImage> images, Sampling sampling) {
    float[] data = augmenter.apply(images, frameSets, sampling);
    return new Clip(data, frames, augmenter.size(), augmenter.size(), entry(index).label(), file(index).toString());
  }

  @Override
  public String describe(int index) {
    VideoList.Entry e = entry(index);
    return file(index) + " (" + e.source() + ":" + e.line() + ")";
  }
}
