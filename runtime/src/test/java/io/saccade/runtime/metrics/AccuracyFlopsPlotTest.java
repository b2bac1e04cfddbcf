package io.saccade.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccuracyFlopsPlotTest {

  @Test
  void rendersAPngWithTheSeriesColours(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plots/acc.png");
    new AccuracyFlopsPlot("Something-Something V1 (published)")
        .point("AFNet-TSM R50", "RT 0.4", 27.9, 0.490)
        .point("AFNet-TSM R50", "RT 0.8", 31.7, 0.499)
        .point("TSM R50", "8f", 32.7, 0.456)
        .write(file);
    BufferedImage img = ImageIO.read(file.toFile());
    assertEquals(900, img.getWidth());
    assertEquals(600, img.getHeight());
    // The legend swatch of the first series is drawn in its colour at a known place.
    assertEquals(0xD62728, img.getRGB(900 - 220 + 27, 60 + 10 - 3) & 0xFFFFFF);
    assertNotEquals(0xFFFFFF, img.getRGB(900 - 220 + 27, 60 + 34 - 3) & 0xFFFFFF);
  }

  @Test
  void rejectsAccuracyOutsideTheUnitInterval() {
    assertThrows(IllegalArgumentException.class, () -> new AccuracyFlopsPlot("x").point("a", "b", 1, 45.0));
  }
}
