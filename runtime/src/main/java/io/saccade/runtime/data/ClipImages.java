package io.saccade.runtime.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Pictures of clips for people: a film strip with the frames side by side, undoing the normalisation.
 *
 * <pre>{@code
 * ClipImages.writePng(dataset.sample(0), Normalization.IMAGENET, 4, Path.of("clip0.png"));
 * }</pre>
 */
public final class ClipImages {

  private ClipImages() {}

  /**
   * The frames of {@code clip} left to right, each pixel drawn {@code zoom × zoom}, with a 1-pixel black
   * gap; {@code normalization} is inverted first (values outside {@code [0, 1]} are clamped).
   */
  public static BufferedImage filmStrip(Clip clip, Normalization normalization, int zoom) {
    if (zoom < 1 || zoom > 64) {
      throw new IllegalArgumentException("zoom must be in [1, 64], got " + zoom);
    }
    int fw = clip.width() * zoom;
    int fh = clip.height() * zoom;
    BufferedImage img = new BufferedImage(clip.frames() * (fw + 1) - 1, fh, BufferedImage.TYPE_INT_RGB);
    for (int t = 0; t < clip.frames(); t++) {
      for (int y = 0; y < clip.height(); y++) {
        for (int x = 0; x < clip.width(); x++) {
          int rgb = 0;
          for (int c = 0; c < 3; c++) {
            float v = normalization.invert(clip.get(t, y, x, c), c);
            int b = Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
            rgb = rgb << 8 | b;
          }
          for (int dy = 0; dy < zoom; dy++) {
            for (int dx = 0; dx < zoom; dx++) {
              img.setRGB(t * (fw + 1) + x * zoom + dx, y * zoom + dy, rgb);
            }
          }
        }
      }
    }
    return img;
  }

  /** Writes {@link #filmStrip} of {@code clip} as a PNG file. */
  public static void writePng(Clip clip, Normalization normalization, int zoom, Path file) throws IOException {
    if (!ImageIO.write(filmStrip(clip, normalization, zoom), "png", file.toFile())) {
      throw new IOException("no PNG writer available for " + file);
    }
  }
}
