package io.saccade.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.saccade.runtime.interop.AfNetParity;
import io.saccade.runtime.model.VideoModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated AFNet-ResNet50 and AFNet-MobileNetV3 networks reproduce the official PyTorch AFNet on the parity fixtures:
 * logits within the fixture's tolerance, every navigation mask identical, every stage's activations
 * within tolerance — on the frame-skipping inference path (skipped frames get shortcut + f(0), f(0)
 * computed once) and on the official masked path. The fixtures live outside the repository: set
 * {@code -Dsaccade.fixtures=DIR} or {@code SACCADE_FIXTURES} to a folder holding {@code afnet-parity/};
 * without them these tests are skipped.
 */
class ParityTest {

  /** The shared fixtures folder (holding {@code afnet-parity/} and {@code adafocusv2-parity/}). */
  static Path fixtures() {
    return Path.of(
        System.getProperty("saccade.fixtures", System.getenv().getOrDefault("SACCADE_FIXTURES", "/work/shared/fixtures")));
  }

  static Path fixture(String name) {
    return fixtures().resolve("afnet-parity").resolve(name);
  }

  @ParameterizedTest(name = "{0} skipFrames={1}")
  @CsvSource({"afnet-r50-s0, true", "afnet-r50-s0, false", "afnet-r50-tsm-s1, true", "afnet-r50-tsm-s1, false"})
  void generatedNetworkMatchesTheOfficialOutputs(String name, boolean skipFrames) throws Exception {
    Path dir = fixture(name);
    assumeTrue(Files.isDirectory(dir), "no fixture at " + dir);
    VideoModel model = name.contains("tsm") ? new AfResNet50TsmParityNetwork() : new AfResNet50ParityNetwork();
    AfNetParity.Report r = AfNetParity.check(model, dir, skipFrames);
    System.out.println(r.line());
    assertEquals(10, r.masksCompared());
    assertTrue(r.masksEqual(), r.line());
    assertTrue(r.logitsWithinTolerance(), r.line());
    assertEquals(4, r.stagesCompared(), "stem and stages 1-3");
    assertTrue(r.stagesWithinTolerance(), r.line());
    assertTrue(r.passed(), r.line());
  }

  /** The generated AF-MobileNetV3 against the official one: 5 masks, logits; the fixture has no stage activations. */
  @ParameterizedTest(name = "afnet-mbv3-s3 skipFrames={0}")
  @ValueSource(booleans = {true, false})
  void generatedMobileNetMatchesTheOfficialOutputs(boolean skipFrames) throws Exception {
    Path dir = fixture("afnet-mbv3-s3");
    assumeTrue(Files.isDirectory(dir), "no fixture at " + dir);
    AfNetParity.Report r = AfNetParity.check(new AfMobileNetV3ParityNetwork(), dir, skipFrames);
    System.out.println(r.line());
    assertEquals(5, r.masksCompared());
    assertTrue(r.masksEqual(), r.line());
    assertTrue(r.logitsWithinTolerance(), r.line());
    assertTrue(r.passed(), r.line());
  }
}
