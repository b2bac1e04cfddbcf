package io.saccade.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.saccade.runtime.interop.AdaFocusV2Parity;
import io.saccade.runtime.interop.ArrayComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The generated AdaFocusV2 reproduces the official PyTorch AdaFocusV2 on the shared fixture
 * {@code adafocusv2-parity/adafocusv2-mk-s0} (the recurrent Mini-Kinetics code): every stored array within
 * its end-to-end tolerance, and each stage, fed the fixture's own inputs, within its stage tolerance.
 * Without the shared fixtures ({@link ParityTest#fixtures()}) the test is skipped.
 */
class AdaFocusV2ParityTest {

  @Test
  void recurrentMiniKineticsMatchesTheOfficialOutputs() throws Exception {
    Path dir = ParityTest.fixtures().resolve("adafocusv2-parity/adafocusv2-mk-s0");
    assumeTrue(Files.isDirectory(dir), "no fixture at " + dir);
    AdaFocusV2Parity.Report r = AdaFocusV2Parity.check(new AdaFocusV2MiniKineticsParityNetwork(), dir);
    System.out.println(r.table());
    System.out.println(r.line());
    assertTrue(r.endToEnd().size() == 16, "every stored array compared end to end: " + r.endToEnd().size());
    assertTrue(r.stage().size() == 16, "every stored array compared per stage: " + r.stage().size());
    for (ArrayComparison c : r.all()) {
      assertTrue(c.passed(), c.describe());
    }
    assertTrue(r.passed(), r.line());
  }

  /**
   * The per-clip (Something-Something/Jester) variant against a fixture made with the official code by
   * {@code src/test/python/make_adafocusv2_perclip_fixture.py}, kept in the repository; its backbone weights
   * are the shared mk fixture's ({@code weights_from}), so it is skipped without the shared fixtures.
   */
  @Test
  void perClipSomethingSomethingMatchesTheOfficialOutputs() throws Exception {
    Path dir = Path.of("src/test/fixtures/adafocusv2-parity/adafocusv2-sth-s0");
    assumeTrue(Files.isDirectory(ParityTest.fixtures().resolve("adafocusv2-parity/adafocusv2-mk-s0")),
        "no shared fixture to take the backbone weights from");
    AdaFocusV2Parity.Report r = AdaFocusV2Parity.check(new AdaFocusV2TsmParityNetwork(), dir);
    System.out.println(r.table());
    System.out.println(r.line());
    assertTrue(r.endToEnd().size() == 15, "every stored array compared end to end: " + r.endToEnd().size());
    assertTrue(r.stage().size() == 15, "every stored array compared per stage: " + r.stage().size());
    for (ArrayComparison c : r.all()) {
      assertTrue(c.passed(), c.describe());
    }
    assertTrue(r.passed(), r.line());
  }
}
