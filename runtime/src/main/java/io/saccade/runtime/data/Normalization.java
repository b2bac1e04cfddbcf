package io.saccade.runtime.data;

import java.util.Arrays;

/**
 * Per-channel normalisation applied to RGB values in {@code [0, 1]}: {@code (v - mean[c]) / std[c]}.
 *
 * <pre>{@code
 * float x = Normalization.IMAGENET.apply(200 / 255f, 0);   // red channel
 * float v = Normalization.IMAGENET.invert(x, 0);           // back to 0.784
 * }</pre>
 */
public final class Normalization {

  /**
   * ImageNet statistics, as torchvision, TSN, TSM and AFNet use: mean 0.485/0.456/0.406, std
   * 0.229/0.224/0.225.
   */
  public static final Normalization IMAGENET =
      of(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

  /** Identity: values stay in {@code [0, 1]}. */
  public static final Normalization NONE = of(new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f});

  private final float[] mean;
  private final float[] std;

  private Normalization(float[] mean, float[] std) {
    this.mean = mean;
    this.std = std;
  }

  /**
   * Custom statistics.
   *
   * @param mean per-channel mean (R, G, B), in units of the {@code [0, 1]} pixel range
   * @param std per-channel standard deviation (R, G, B), each > 0
   */
  public static Normalization of(float[] mean, float[] std) {
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException(
          "mean and std need 3 channels (RGB), got " + mean.length + " and " + std.length);
    }
    for (float s : std) {
      if (!(s > 0f)) {
        throw new IllegalArgumentException("std must be > 0 in every channel, got " + s);
      }
    }
    return new Normalization(mean.clone(), std.clone());
  }

  public float[] mean() {
    return mean.clone();
  }

  public float[] std() {
    return std.clone();
  }

  /** Normalises {@code value} (in {@code [0, 1]}) of RGB channel {@code channel} (0 = R). */
  public float apply(float value, int channel) {
    return (value - mean[channel]) / std[channel];
  }

  /** The {@code [0, 1]} value a normalised {@code value} of {@code channel} came from. */
  public float invert(float value, int channel) {
    return value * std[channel] + mean[channel];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
