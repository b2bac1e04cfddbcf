package io.saccade.runtime.data;

import java.util.Objects;

/**
 * One video clip ready for a network: {@code T} frames of {@code H × W} RGB pixels in one float array,
 * layout {@code [T, H, W, 3]} row-major (NHWC per frame), values normalised as the dataset says
 * (ImageNet mean/std by default), plus its class label and an identifier for messages.
 *
 * <pre>{@code
 * Clip clip = SyntheticMotionDataset.builder().build().sample(0);
 * float red = clip.get(2, 10, 5, 0);                 // frame 2, row 10, column 5, channel R
 * int n = clip.frames() * clip.height() * clip.width() * Clip.CHANNELS;   // == clip.data().length
 * }</pre>
 *
 * <p>The array is shared, not copied: treat it as read-only once the clip is built.
 */
public final class Clip {

  /** Colour channels per pixel (R, G, B). */
  public static final int CHANNELS = 3;

  private final float[] data;
  private final int frames;
  private final int height;
  private final int width;
  private final int label;
  private final String id;

  /**
   * @param data {@code frames · height · width · 3} values, layout {@code [T, H, W, 3]}
   * @param frames T, number of frames (≥ 1)
   * @param height H in pixels (≥ 1)
   * @param width W in pixels (≥ 1)
   * @param label class index (≥ 0)
   * @param id where the clip came from (a path, {@code synthetic/train/17}), for messages
   */
  public Clip(float[] data, int frames, int height, int width, int label, String id) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(id, "id");
    if (frames < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "frames, height and width must be >= 1, got " + frames + ", " + height + ", " + width);
    }
    long expected = (long) frames * height * width * CHANNELS;
    if (data.length != expected) {
      throw new IllegalArgumentException(
          "data has " + data.length + " values, expected " + expected + " = " + frames + "x" + height + "x"
              + width + "x" + CHANNELS);
    }
    if (label < 0) {
      throw new IllegalArgumentException("label must be >= 0, got " + label);
    }
    this.data = data;
    this.frames = frames;
    this.height = height;
    this.width = width;
    this.label = label;
    this.id = id;
  }

  /** The values, layout {@code [T, H, W, 3]} (not a copy). */
  public float[] data() {
    return data;
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

  public int label() {
    return label;
  }

  public String id() {
    return id;
  }

  /** Number of values in one frame: {@code H · W · 3}. */
  public int frameLength() {
    return height * width * CHANNELS;
  }

  /** The value at frame {@code t}, row {@code y}, column {@code x}, channel {@code c}. */
  public float get(int t, int y, int x, int c) {
    return data[((t * height + y) * width + x) * CHANNELS + c];
  }

  /** A copy of frame {@code t}, layout {@code [H, W, 3]}. */
  public float[] frame(int t) {
    Objects.checkIndex(t, frames);
    float[] out = new float[frameLength()];
    System.arraycopy(data, t * frameLength(), out, 0, out.length);
    return out;
  }

  /**
   * A new clip whose frame {@code i} is this clip's frame {@code order[i]} (same label and id); e.g.
   * {@code {T-1, ..., 0}} plays it backwards.
   */
  public Clip reorder(int[] order) {
    int n = frameLength();
    float[] out = new float[order.length * n];
    for (int i = 0; i < order.length; i++) {
      Objects.checkIndex(order[i], frames);
      System.arraycopy(data, order[i] * n, out, i * n, n);
    }
    return new Clip(out, order.length, height, width, label, id);
  }

  @Override
  public String toString() {
    return "Clip[" + id + ", label " + label + ", " + frames + "x" + height + "x" + width + "x3]";
  }
}
