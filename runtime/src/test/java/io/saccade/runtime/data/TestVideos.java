package io.saccade.runtime.data;

import java.io.IOException;
import java.nio.file.Path;

/** The tests' videos: {@link VideoFileEncoder} with a flat colour per frame. */
public final class TestVideos {

  private TestVideos() {}

  /** Frame t's flat colour in the tests: red 10 + 12t, green 128, blue 245 − 12t (t < 20). */
  public static int solid(int t) {
    return (10 + 12 * t) << 16 | 128 << 8 | (245 - 12 * t);
  }

  /** {@link VideoFileEncoder#write}. */
  public static void write(Path file, String encoder, int width, int height, int frames, VideoFileEncoder.Painter painter)
      throws IOException {
    VideoFileEncoder.write(file, encoder, width, height, frames, painter);
  }
}
