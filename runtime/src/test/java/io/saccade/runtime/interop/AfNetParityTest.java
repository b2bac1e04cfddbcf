package io.saccade.runtime.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The blocks reproduce the official AFNet-ResNet50 (with and without TSM) on the parity fixtures, on both
 * the frame-skipping path and the masked path. Skipped where the fixtures are absent (a clean clone);
 * point {@code -Dsaccade.fixtures=DIR} (or {@code SACCADE_FIXTURES}) at a folder holding {@code afnet-parity/}.
 */
class AfNetParityTest {

  static Path fixtures() {
    String dir = System.getProperty("saccade.fixtures", System.getenv().getOrDefault("SACCADE_FIXTURES", "/work/shared/fixtures"));
    return Path.of(dir, "afnet-parity");
  }

  @ParameterizedTest
  @CsvSource({"afnet-r50-s0, false, true", "afnet-r50-s0, false, false", "afnet-r50-tsm-s1, true, true", "afnet-r50-tsm-s1, true, false"})
  void reproducesTheOfficialOutputs(String fixture, boolean tsm, boolean skipFrames) throws Exception {
    Path dir = fixtures().resolve(fixture);
    assumeTrue(Files.isDirectory(dir), "no fixture at " + dir);
    AfNetParity.Report r = AfNetParity.check(new HandWrittenAfResNet50(8, 10, 64, tsm), dir, skipFrames);
    System.out.println(r.line());
    assertEquals(10, r.masksCompared());
    assertTrue(r.masksEqual(), r.line());
    assertTrue(r.logitsWithinTolerance(), r.line());
    assertEquals(4, r.stagesCompared(), "stem and stages 1-3");
    assertTrue(r.stagesWithinTolerance(), r.line());
  }
}
