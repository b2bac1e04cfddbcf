package io.saccade.runtime.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Objects;

/**
 * One decoded frame: 8-bit RGB, interleaved, rows top to bottom with no padding
 * ({@code rgb[(y·width + x)·3 + c]}, c = 0 red). The common currency between decoders (ImageIO for
 * JPEG/PNG frames; an FFmpeg RGB24 decoder for video files) and {@link ClipAugmenter}.
 *
 * <pre>{@code
 * RgbImage img = RgbImage.of(ImageIO.read(file));
 * int red = img.get(10, 4, 0);      // column 10, row 4, 0..255
 * }</pre>
 */
public final class RgbImage {

  private final int width;
  private final int height;
  private final byte[] rgb;

  /**
   * @param width pixels (≥ 1)
   * @param height pixels (≥ 1)
   * @param rgb {@code width · height · 3} bytes, interleaved RGB, not copied
   */
  public RgbImage(int width, int height, byte[] rgb) {
    Objects.requireNonNull(rgb, "rgb");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("width and height must be >= 1, got " + width + "x" + height);
    }
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException(
          "rgb has " + rgb.length + " bytes, expected " + width + "x" + height + "x3 = " + width * height * 3);
    }
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /** Copies any {@link BufferedImage} (colour, grey, with or without alpha; alpha is dropped). */
  public static RgbImage of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[w * h * 3];
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
        && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
        && buffer.getNumBanks() == 1
        && buffer.getData().length == out.length) {
      // The common JPEG case: swap B and R straight from the raster, ~10x faster than getRGB.
      byte[] bgr = buffer.getData();
      for (int i = 0; i < out.length; i += 3) {
        out[i] = bgr[i + 2];
        out[i + 1] = bgr[i + 1];
        out[i + 2] = bgr[i];
      }
      return new RgbImage(w, h, out);
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int o = (y * w + x) * 3;
        out[o] = (byte) (p >> 16);
        out[o + 1] = (byte) (p >> 8);
        out[o + 2] = (byte) p;
      }
    }
    return new RgbImage(w, h, out);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The bytes (not a copy), layout {@code [height, width, 3]}. */
  public byte[] rgb() {
    return rgb;
  }

  /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel ({@code x}, {@code y}), in {@code 0..255}. */
  public int get(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xFF;
  }

  /** A {@link BufferedImage} copy (TYPE_INT_RGB), e.g. to write with ImageIO. */
  public BufferedImage toBufferedImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int o = (y * width + x) * 3;
        row[x] = (rgb[o] & 0xFF) << 16 | (rgb[o + 1] & 0xFF) << 8 | (rgb[o + 2] & 0xFF);
      }
      img.setRGB(0, y, width, 1, row, 0, width);
    }
    return img;
  }
}
