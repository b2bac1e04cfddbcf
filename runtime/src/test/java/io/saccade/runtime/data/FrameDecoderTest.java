package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameDecoderTest {

  @TempDir Path dir;

  @Test
  void decodesPngExactlyAndJpegClosely() throws Exception {
    Path png = dir.resolve("a.png");
    TestFrames.png(png, TestFrames.image(5, 3, (x, y) -> TestFrames.rgb(10 * x, 50 * y, 7)));
    RgbImage img = FrameDecoder.decode(png);
    assertEquals(5, img.width());
    assertEquals(3, img.height());
    assertEquals(40, img.get(4, 2, 0));
    assertEquals(100, img.get(4, 2, 1));
    assertEquals(7, img.get(4, 2, 2));

    Path jpg = dir.resolve("b.jpg");
    TestFrames.jpeg(jpg, TestFrames.image(16, 16, (x, y) -> TestFrames.rgb(200, 30, 90)));
    RgbImage j = FrameDecoder.decode(jpg);
    // JPEG at quality 0.95 on a flat colour: within 4 levels (chroma subsampling + rounding).
    assertEquals(200, j.get(8, 8, 0), 4);
    assertEquals(30, j.get(8, 8, 1), 4);
    assertEquals(90, j.get(8, 8, 2), 4);
  }

  @Test
  void missingGarbageAndTruncatedFilesNameThePath() throws Exception {
    Path missing = dir.resolve("none.jpg");
    BadSampleException e = assertThrows(BadSampleException.class, () -> FrameDecoder.decode(missing));
    assertEquals(missing.toString(), e.file());
    assertTrue(e.getMessage().startsWith(missing + ": missing frame"), e.getMessage());

    Path garbage = dir.resolve("garbage.jpg");
    Files.write(garbage, "this is not an image at all".getBytes());
    e = assertThrows(BadSampleException.class, () -> FrameDecoder.decode(garbage));
    assertTrue(e.getMessage().startsWith(garbage.toString()), e.getMessage());

    Path good = dir.resolve("good.jpg");
    TestFrames.jpeg(good, TestFrames.image(64, 64, (x, y) -> TestFrames.rgb(x * 4, y * 4, (x * y) & 0xFF)));
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.jpg");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    e = assertThrows(BadSampleException.class, () -> FrameDecoder.decode(truncated));
    assertTrue(e.getMessage().startsWith(truncated + ": corrupt"), e.getMessage());

    Path empty = dir.resolve("empty.jpg");
    Files.write(empty, new byte[0]);
    e = assertThrows(BadSampleException.class, () -> FrameDecoder.decode(empty));
    assertTrue(e.getMessage().startsWith(empty.toString()), e.getMessage());
  }
}
