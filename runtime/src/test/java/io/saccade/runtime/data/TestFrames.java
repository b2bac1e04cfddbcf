package io.saccade.runtime.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.IntBinaryOperator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Writes small frames for tests. */
final class TestFrames {

  private TestFrames() {}

  /** A {@code w × h} image whose pixel (x, y) is {@code rgb.applyAsInt(x, y)} (0xRRGGBB). */
  static BufferedImage image(int w, int h, IntBinaryOperator rgb) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb.applyAsInt(x, y));
      }
    }
    return img;
  }

  static int rgb(int r, int g, int b) {
    return (r & 0xFF) << 16 | (g & 0xFF) << 8 | (b & 0xFF);
  }

  static void png(Path file, BufferedImage img) throws IOException {
    Files.createDirectories(file.getParent());
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException("no png writer");
    }
  }

  /** A JPEG at quality 0.95. */
  static void jpeg(Path file, BufferedImage img) throws IOException {
    Files.createDirectories(file.getParent());
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ImageWriteParam p = writer.getDefaultWriteParam();
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality(0.95f);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), p);
    } finally {
      writer.dispose();
    }
  }
}
