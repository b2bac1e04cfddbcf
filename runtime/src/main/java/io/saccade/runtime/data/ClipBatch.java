package io.saccade.runtime.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@code N} clips stacked into one array of layout {@code [N, T, H, W, 3]} (the input generated networks
 * take), with their labels and where each row came from.
 *
 * <pre>{@code
 * try (TFloat32 x = batch.toTensor(); TFloat32 y = batch.oneHotLabels(dataset.numClasses())) {
 *   session.runner().feed("clips", x).feed("labels", y).addTarget("train").run();
 * }
 * }</pre>
 *
 * <p>A row is <em>valid</em> when it holds the sample the epoch plan put there. A row is invalid when
 * the planned sample was bad and the loader put another sample in its place (to keep {@code N} fixed
 * for graphs with a static batch size), or when it pads the last batch. Training may use every row
 * (each row's label matches its pixels); metrics must count only valid rows.
 */
public final class ClipBatch {

  private final float[] data;
  private final int frames;
  private final int height;
  private final int width;
  private final int[] labels;
  private final int[] indices;
  private final int[] views;
  private final boolean[] valid;
  private final String[] ids;
  private final int epoch;
  private final int batch;

  ClipBatch(
      float[] data,
      int frames,
      int height,
      int width,
      int[] labels,
      int[] indices,
      int[] views,
      boolean[] valid,
      String[] ids,
      int epoch,
      int batch) {
    this.data = data;
    this.frames = frames;
    this.height = height;
    this.width = width;
    this.labels = labels;
    this.indices = indices;
    this.views = views;
    this.valid = valid;
    this.ids = ids;
    this.epoch = epoch;
    this.batch = batch;
  }

  /** Stacks {@code clips} (all of one shape) into a batch; row {@code i} gets dataset index {@code i}. */
  public static ClipBatch of(List<Clip> clips) {
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least 1 clip, got 0");
    }
    Clip first = clips.get(0);
    int n = clips.size();
    int len = first.data().length;
    float[] data = new float[n * len];
    int[] labels = new int[n];
    int[] indices = new int[n];
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      Clip c = Objects.requireNonNull(clips.get(i), "clip");
      if (c.frames() != first.frames() || c.height() != first.height() || c.width() != first.width()) {
        throw new IllegalArgumentException("clip " + i + " is " + c.frames() + "x" + c.height() + "x" + c.width()
            + ", clip 0 is " + first.frames() + "x" + first.height() + "x" + first.width());
      }
      System.arraycopy(c.data(), 0, data, i * len, len);
      labels[i] = c.label();
      indices[i] = i;
      ids[i] = c.id();
    }
    boolean[] valid = new boolean[n];
    Arrays.fill(valid, true);
    return new ClipBatch(data, first.frames(), first.height(), first.width(), labels, indices, new int[n], valid, ids, 0, 0);
  }

  /** N, number of rows. */
  public int size() {
    return labels.length;
  }

  public int frames() {
    return frames;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** {@code {N, T, H, W, 3}}. */
  public long[] shape() {
    return new long[] {labels.length, frames, height, width, Clip.CHANNELS};
  }

  /** The values, layout {@code [N, T, H, W, 3]} (not a copy). */
  public float[] data() {
    return data;
  }

  /** Labels per row (not a copy). */
  public int[] labels() {
    return labels;
  }

  /** Label of row {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** Dataset index of the sample in row {@code i}. */
  public int index(int i) {
    return indices[i];
  }

  /** Evaluation view of row {@code i}: {@code clip · crops + crop} (0 in training). */
  public int view(int i) {
    return views[i];
  }

  /** Whether row {@code i} holds its planned sample (see the class comment). */
  public boolean isValid(int i) {
    return valid[i];
  }

  /** Number of valid rows. */
  public int validCount() {
    int n = 0;
    for (boolean v : valid) {
      n += v ? 1 : 0;
    }
    return n;
  }

  /** Identifier (path) of the clip in row {@code i}. */
  public String id(int i) {
    return ids[i];
  }

  /** Epoch this batch belongs to (0 for {@link #of(List)}). */
  public int epoch() {
    return epoch;
  }

  /** Position of this batch in its epoch, from 0 (0 for {@link #of(List)}). */
  public int batch() {
    return batch;
  }

  /** Row {@code i} as a clip (copies its values). */
  public Clip clip(int i) {
    Objects.checkIndex(i, size());
    int len = frames * height * width * Clip.CHANNELS;
    return new Clip(Arrays.copyOfRange(data, i * len, (i + 1) * len), frames, height, width, labels[i], ids[i]);
  }

  /** The clips as a {@code [N, T, H, W, 3]} tensor; the caller closes it. */
  public TFloat32 toTensor() {
    return TFloat32.tensorOf(Shape.of(shape()), DataBuffers.of(data, true, false));
  }

  /** The labels as an {@code [N]} int tensor; the caller closes it. */
  public TInt32 labelsTensor() {
    return TInt32.tensorOf(Shape.of(labels.length), DataBuffers.of(labels, true, false));
  }

  /** The labels one-hot, {@code [N, classes]} floats; the caller closes it. */
  public TFloat32 oneHotLabels(int classes) {
    float[] hot = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= classes) {
        throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is >= classes = " + classes);
      }
      hot[i * classes + labels[i]] = 1f;
    }
    return TFloat32.tensorOf(Shape.of(labels.length, classes), DataBuffers.of(hot, true, false));
  }

  /** 1 for valid rows, 0 for the others, {@code [N]}; the caller closes it. */
  public TFloat32 validMask() {
    float[] mask = new float[valid.length];
    for (int i = 0; i < valid.length; i++) {
      mask[i] = valid[i] ? 1f : 0f;
    }
    return TFloat32.tensorOf(Shape.of(valid.length), DataBuffers.of(mask, true, false));
  }

  @Override
  public String toString() {
    return "ClipBatch[epoch " + epoch + ", batch " + batch + ", " + size() + "x" + frames + "x" + height + "x" + width
        + "x3, " + validCount() + " valid]";
  }
}
