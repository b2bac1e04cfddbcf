package io.saccade.runtime.data;

import io.saccade.runtime.model.VideoModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The settings every dataset read from a list file shares ({@link FrameFolderDataset},
 * {@link VideoFileDataset}): where the videos are, the list, the label set, the clip length and the
 * augmentation. Each dataset's {@code Builder} adds its own settings.
 *
 * <pre>{@code
 * VideoFileDataset train = VideoFileDataset.builder().root(Path.of("videos")).list(Path.of("train.txt"))
 *     .labels(LabelMap.read(Path.of("labels.json"))).frames(8).size(224).build();
 * }</pre>
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ListedDatasetBuilder<B extends ListedDatasetBuilder<B>> {
  Path root;
  Path list;
  LabelMap labels;
  int classes;
  int frames = 8;
  List<Integer> frameSets = List.of(8);
  private int size = 224;
  private boolean flip;
  private double[] scales;
  private Normalization normalization = Normalization.IMAGENET;
  private ClipAugmenter augmenter;

  ListedDatasetBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** The folder the list's paths are relative to (required). */
  public B root(Path root) {
    this.root = Objects.requireNonNull(root, "root");
    return self();
  }

  /** The list file (required). */
  public B list(Path list) {
    this.list = Objects.requireNonNull(list, "list");
    return self();
  }

  /** Class names; list labels must be below its size (optional). */
  public B labels(LabelMap labels) {
    this.labels = Objects.requireNonNull(labels, "labels");
    return self();
  }

  /**
   * Number of classes when there is no label map (names {@code class_i}); 0 (default) = the largest
   * label in the list plus one.
   */
  public B classes(int classes) {
    if (classes < 0) {
      throw new IllegalArgumentException("classes must be >= 0, got " + classes);
    }
    this.classes = classes;
    return self();
  }

  /**
   * The clip length, frame size and class count {@code model} declares: {@code frameSets} (its
   * {@link VideoModel#frameSets()}, one set of {@code frames} for most networks), {@code size}, {@code classes}.
   */
  public B forModel(VideoModel model) {
    return frameSets(model.frameSets()).size(model.inputSize()).classes(model.classes());
  }

  /** T, frames per clip = TSN segments (default 8). */
  public B frames(int frames) {
    if (frames < 1) {
      throw new IllegalArgumentException("frames must be >= 1, got " + frames);
    }
    this.frames = frames;
    this.frameSets = List.of(frames);
    return self();
  }

  /**
   * A clip made of several sets of TSN segments, one after the other, each spread over the whole video
   * ({@link SegmentSampler#indices(int, List, Sampling)}); frames per clip = their sum. {@code List.of(8, 12)}
   * is an AdaFocusV2's 8 glance frames and its 12 focus frames sampled apart, as the official loader does.
   */
  public B frameSets(List<Integer> sets) {
    Objects.requireNonNull(sets, "sets");
    if (sets.isEmpty() || sets.stream().anyMatch(n -> n == null || n < 1)) {
      throw new IllegalArgumentException("frame sets must be one or more counts >= 1, got " + sets);
    }
    this.frames = sets.stream().mapToInt(Integer::intValue).reduce(0, Math::addExact);
    this.frameSets = List.copyOf(sets);
    return self();
  }

  /** Output side in pixels (default 224). Ignored if {@link #augmenter(ClipAugmenter)} is given. */
  public B size(int size) {
    this.size = size;
    return self();
  }

  /** Random horizontal flip in training (default off). Ignored with a custom augmenter. */
  public B flip(boolean flip) {
    this.flip = flip;
    return self();
  }

  /** Multi-scale crop scales (default 1, .875, .75, .66). Ignored with a custom augmenter. */
  public B scales(double... scales) {
    this.scales = scales.clone();
    return self();
  }

  /** Normalisation (default ImageNet). Ignored with a custom augmenter. */
  public B normalization(Normalization normalization) {
    this.normalization = Objects.requireNonNull(normalization, "normalization");
    return self();
  }

  /** A fully configured augmenter instead of size/flip/scales/normalization. */
  public B augmenter(ClipAugmenter augmenter) {
    this.augmenter = Objects.requireNonNull(augmenter, "augmenter");
    return self();
  }

  /** The augmenter to use: the given one, or one built from size, flip, scales and normalisation. */
  ClipAugmenter resolvedAugmenter() {
    if (augmenter != null) {
      return augmenter;
    }
    ClipAugmenter.Builder b = ClipAugmenter.builder(size).flip(flip).normalization(normalization);
    if (scales != null) {
      b.scales(scales);
    }
    return b.build();
  }

  /**
   * Reads the list (and validates the settings). Bad lines are logged and rejected, not thrown.
   *
   * @throws IOException if the list file cannot be read
   */
  public abstract ListedDataset build() throws IOException;

  /** Checks the required settings and the augmentation, before the file system is touched. */
  void validate() {
    if (root == null || list == null) {
      throw new IllegalArgumentException("root and list are required (root=" + root + ", list=" + list + ")");
    }
    resolvedAugmenter();
  }

  /** The class names: the label map's, or {@code class_i} for the declared or largest listed label. */
  List<String> classNames(VideoList parsed) {
    if (labels != null) {
      return labels.names();
    }
    int k = classes;
    if (k == 0) {
      for (VideoList.Entry e : parsed.entries()) {
        k = Math.max(k, e.label() + 1);
      }
    }
    return LabelMap.numbered(Math.max(1, k)).names();
  }
}
