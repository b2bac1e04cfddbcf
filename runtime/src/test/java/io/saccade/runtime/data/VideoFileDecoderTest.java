package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Round trips through the bundled FFmpeg: encode 20 flat frames, decode chosen ones back. */
class VideoFileDecoderTest {

  @TempDir Path dir;

  /** Every pixel of {@code image} within {@code tolerance} (of 255) of frame t's colour. */
  static void assertSolid(RgbImage image, int t, int tolerance, String what) {
    int want = TestVideos.solid(t);
    int worst = 0;
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        for (int c = 0; c < 3; c++) {
          worst = Math.max(worst, Math.abs(image.get(x, y, c) - ((want >> (16 - 8 * c)) & 0xFF)));
        }
      }
    }
    assertTrue(worst < tolerance, what + ": frame " + t + " is off by " + worst + "/255");
  }

  @ParameterizedTest(name = "{1} in {0}")
  @CsvSource({"mp4, mpeg4, 20", "avi, mpeg4, 20", "webm, libvpx, 0", "webm, libvpx-vp9, 0", "mp4, libopenh264, 20", "mkv, mpeg4, 0"})
  void decodesTheRequestedFramesOfEachContainer(String ext, String encoder, long declared) throws Exception {
    Path file = dir.resolve("v." + ext);
    TestVideos.write(file, encoder, 64, 48, 20, (t, x, y) -> TestVideos.solid(t));

    VideoFileDecoder.Info info = VideoFileDecoder.probe(file);
    assertEquals(64, info.width());
    assertEquals(48, info.height());
    assertEquals(declared, info.containerFrames(), "nb_frames of " + ext);
    assertEquals(25.0, info.framesPerSecond(), 1e-9);
    assertEquals(20, info.estimatedFrames(), 1, "declared, or duration x rate");
    assertEquals(20, VideoFileDecoder.countFrames(file), "frame count of " + file);
    VideoFileDecoder.Frames all = VideoFileDecoder.decode(file, new int[] {19, 20});
    assertTrue(all.endOfStream());
    assertEquals(20, all.decodedFrames(), "every frame decodes, the last one too");
    assertSolid(all.get(19), 19, 10, encoder + "/" + ext + " last frame");

    int[] picked = {17, 2, 9, 2};
    VideoFileDecoder.Frames f = VideoFileDecoder.decode(file, picked);
    assertFalse(f.endOfStream());
    assertEquals(18, f.decodedFrames(), "decoding stops after the last needed frame");
    assertEquals(3, f.images().size());
    for (int t : new int[] {2, 9, 17}) {
      assertEquals(64, f.get(t).width());
      assertSolid(f.get(t), t, 10, encoder + "/" + ext);
    }
  }

  @Test
  void aPatternSurvivesWithRowsInOrder() throws Exception {
    // Left half dark, right half bright, and the bottom rows red: a swapped row order or R/B would show.
    // Width 40 is no multiple of 16: swscale then writes past the row (it once corrupted the heap here).
    Path file = dir.resolve("pattern.mp4");
    TestVideos.write(file, "mpeg4", 40, 30, 3, (t, x, y) -> y >= 20 ? 0xF01010 : x < 20 ? 0x202020 : 0xE0E0E0);
    for (int round = 0; round < 20; round++) {
      RgbImage img = VideoFileDecoder.decode(file, new int[] {1}).get(1);
      assertEquals(List.of(40, 30), List.of(img.width(), img.height()));
      assertTrue(img.get(4, 4, 0) < 50 && img.get(36, 4, 1) > 200, "left dark, right bright");
      assertTrue(img.get(4, 27, 0) > 200 && img.get(4, 27, 2) < 50, "bottom red, not blue: " + img.get(4, 27, 2));
    }
  }

  @Test
  void pastTheEndTheStreamEndsAndTheTrueCountIsKnown() throws Exception {
    Path file = dir.resolve("short.webm");
    TestVideos.write(file, "libvpx", 64, 48, 6, (t, x, y) -> TestVideos.solid(t));
    VideoFileDecoder.Frames f = VideoFileDecoder.decode(file, new int[] {1, 4, 9});
    assertTrue(f.endOfStream());
    assertEquals(6, f.decodedFrames());
    assertNull(f.get(9));
    assertSolid(f.get(4), 4, 10, "vp8");
  }

  @Test
  void missingEmptyGarbageAndTruncatedFilesNameTheFile() throws Exception {
    Path missing = dir.resolve("nope.mp4");
    BadSampleException e = assertThrows(BadSampleException.class, () -> VideoFileDecoder.decode(missing, new int[] {0}));
    assertEquals(missing.toString(), e.file());
    assertTrue(e.getMessage().contains("missing video"), e.getMessage());

    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    e = assertThrows(BadSampleException.class, () -> VideoFileDecoder.countFrames(empty));
    assertTrue(e.getMessage().startsWith(empty + ": empty"), e.getMessage());

    Path garbage = dir.resolve("garbage.avi");
    byte[] noise = new byte[5000];
    new java.util.Random(3).nextBytes(noise);
    Files.write(garbage, noise);
    e = assertThrows(BadSampleException.class, () -> VideoFileDecoder.decode(garbage, new int[] {0}));
    assertTrue(e.getMessage().startsWith(garbage + ": "), e.getMessage());

    // An MP4 keeps its index at the end: half a file cannot be opened.
    Path good = dir.resolve("good.mp4");
    TestVideos.write(good, "mpeg4", 64, 48, 20, (t, x, y) -> TestVideos.solid(t));
    byte[] bytes = Files.readAllBytes(good);
    Path truncated = dir.resolve("truncated.mp4");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
    e = assertThrows(BadSampleException.class, () -> VideoFileDecoder.decode(truncated, new int[] {0}));
    assertTrue(e.getMessage().startsWith(truncated + ": not a readable video"), e.getMessage());

    // A WebM cut in half still demuxes cleanly, but to fewer than half the frames its duration declares.
    Path webm = dir.resolve("good.webm");
    TestVideos.write(webm, "libvpx", 64, 48, 20, (t, x, y) -> TestVideos.solid(t));
    bytes = Files.readAllBytes(webm);
    Path cut = dir.resolve("cut.webm");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    e = assertThrows(BadSampleException.class, () -> VideoFileDecoder.countFrames(cut));
    assertTrue(e.getMessage().startsWith(cut + ": truncated or corrupt video: the container declares 20 frames, only "),
        e.getMessage());
    e = assertThrows(BadSampleException.class, () -> VideoFileDecoder.decode(cut, new int[] {15}));
    assertTrue(e.getMessage().startsWith(cut + ": truncated or corrupt video"), e.getMessage());
  }
}
