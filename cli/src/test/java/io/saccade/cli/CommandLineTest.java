package io.saccade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.cli.SaccadeCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saccade command on the example networks: names, summaries and clear errors. */
class CommandLineTest {

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void listsEveryExampleNetwork() {
    CliRun r = run("networks");
    assertEquals(0, r.exit(), r.err());
    for (String name : new String[] {"AfResNet50", "AfResNet50Tsm", "AfResNet101Tsm", "TsnResNet50", "TsmResNet50", "TsnResNet50F12", "TsmResNet50F12", "TsnResNet50F16", "AfDemo", "TsmDemo",
        "AfMobileNetV3", "TsmMobileNetV3", "TsnMobileNetV3", "AdaFocusV2MiniKinetics", "AdaFocusV2Tsm", "FocusDemo", "FocusExitDemo"}) {
      assertTrue(r.out().contains(name + " "), name + " missing from\n" + r.out());
    }
  }

  @Test
  void summaryPrintsTheCompileTimeTable() {
    CliRun r = run("summary", "--network", "TsnResNet50");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("stage4") && r.out().contains("7x7x2048"), r.out());
    assertTrue(r.out().contains("32.715"), "TSN ResNet-50 at 8 frames of 224² costs 32.7 GFLOPs:\n" + r.out());
  }

  @Test
  void anUnknownNetworkNamesTheClosestAndTheAvailableOnes() {
    CliRun r = run("summary", "--network", "AfResnet50Tsn");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no network named 'AfResnet50Tsn'"), r.err());
    assertTrue(r.err().contains("did you mean AfResNet50Tsm?"), r.err());
    assertTrue(r.err().contains("TsmDemo"), r.err());
  }

  @Test
  void aMissingFixtureIsAClearError() {
    CliRun r = run("parity", "--fixture", "/nonexistent/fixture");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no such file: /nonexistent/fixture/meta.json"), r.err());
  }

  /** The per-clip AdaFocusV2 fixture kept with the examples (its backbones come from the shared mk fixture). */
  @Test
  void parityReproducesAnAdaFocusV2Fixture() {
    Path fixture = Path.of("../generated-examples/src/test/fixtures/adafocusv2-parity/adafocusv2-sth-s0");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(fixture.resolve("../../../../../../../shared/fixtures/adafocusv2-parity/adafocusv2-mk-s0/weights.npz")),
        "no shared fixture to take the backbone weights from");
    CliRun r = run("parity", "--fixture", fixture.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("PARITY fixture=adafocusv2-sth-s0 family=adafocusv2 final_logits_max_abs_diff="), r.out());
    assertTrue(r.out().contains("stage/local_feat") && r.out().contains("passed=true"), r.out());
  }

  @Test
  void aBadFlagValueIsRejectedWithUsage() {
    CliRun r = run("bench", "--network", "TsmDemo", "--batch", "many");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("Invalid value for option '--batch'"), r.err());
  }

  @Test
  void aVideoListNeedsVideosAndPredictChecksTheVideoFirst(@TempDir Path dir) throws Exception {
    Path list = Files.writeString(dir.resolve("train.txt"), "a.mp4 0\nb.webm 12 1\n");
    CliRun forgot = run("train", "--network", "TsmDemo", "--root", dir.toString(), "--train-list", list.toString());
    assertEquals(2, forgot.exit());
    assertTrue(forgot.err().contains(list + ":1: 'a.mp4' is a video file; add --videos"), forgot.err());

    // Before the (slow) model load.
    CliRun missing = run("predict", "--model", dir.resolve("no-model").toString(), "--video", dir.resolve("none.mp4").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no such file: " + dir.resolve("none.mp4") + " (--video is not a file)"), missing.err());
  }

  @Test
  void helpListsTheExitCodes() {
    CliRun r = run("--help");
    assertEquals(0, r.exit(), r.err());
    for (String line : new String[] {"0   success", "1   a check failed", "2   usage error", "3   bad data or artefact", "4   internal error"}) {
      assertTrue(r.out().contains(line), line + " missing from\n" + r.out());
    }
  }

  @Test
  void aMalformedLabelMapIsBadDataNotUsage(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("v1"));
    Path list = Files.writeString(dir.resolve("train.txt"), "v1 8 0\n");
    Path labels = Files.writeString(dir.resolve("labels.json"), "{\"a\": 0,\n \"b\": }\n");
    CliRun r = run("train", "--network", "TsmDemo", "--root", dir.toString(), "--train-list", list.toString(), "--labels", labels.toString());
    assertEquals(3, r.exit(), r.err());
    assertTrue(r.err().startsWith("error: " + labels + ":2:"), r.err());
  }

  @Test
  void exceptionsMapToTheDocumentedCodes() {
    assertEquals(2, ExitCode.of(new IllegalArgumentException("bad value")));
    assertEquals(2, ExitCode.of(new java.nio.file.NoSuchFileException("x")));
    assertEquals(3, ExitCode.of(new java.io.IOException("corrupt")));
    assertEquals(3, ExitCode.of(new java.io.UncheckedIOException(new java.io.IOException("corrupt"))));
    assertEquals(4, ExitCode.of(new NullPointerException()));
    assertEquals(4, ExitCode.of(new IllegalStateException("bug")));
  }

  @Test
  void lrFindRunsTheRangeTestAndSuggestsARate() {
    CliRun r = run("lr-find", "-n", "TsmDemo", "--steps", "12", "--batch", "4", "--train-clips", "48", "--from", "1e-5", "--to", "10", "--quiet");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("learning rate") && r.out().contains("smoothed"), r.out());
    assertTrue(r.out().matches("(?s).*LRFIND model=TsmDemo steps=\\d+ suggested=\\S+\\n.*"), r.out());
  }

  @Test
  void benchComparesAPairInOneProcessWithOneMachineReadableLinePerPoint() {
    CliRun r = run("bench", "-n", "AfDemo", "--baseline", "TsmDemo", "--kept", "1,0.25", "--threads", "1", "--iterations", "2", "--rounds", "2",
        "--warmup", "0", "--throughput-batch", "0");
    assertEquals(0, r.exit(), r.err());
    String number = "[0-9.]+";
    for (String kept : new String[] {"1.00", "0.25"}) {
      assertTrue(r.out().matches("(?s).*\nBENCH pair=AfDemo/TsmDemo kept=" + kept + " threads=1 batch=1 ms=" + number + " baseline_ms=" + number
          + " ratio_latency=" + number + " ratio_gflops=" + number + " masked_ms=" + number + " .*"), r.out());
    }
    // The GFLOPs ratios are deterministic: AfDemo's dynamic cost over TsmDemo's.
    assertTrue(r.out().contains("kept=1.00 threads=1 batch=1") && r.out().contains("ratio_gflops=0.7366"), r.out());
    CliRun bad = run("bench", "-n", "AfDemo", "--baseline", "TsnResNet50");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("a pair needs the same clips: AfDemo takes 8 frames of 32 px, TsnResNet50 8 of 224 px"), bad.err());
  }

  @Test
  void benchTrainPrintsOneTrainingLinePerPointAndProfilePrintsWhereTimeGoes() {
    CliRun r = run("bench", "-n", "AfDemo", "--baseline", "TsmDemo", "--train", "--kept", "1,0.5", "--threads", "1", "--iterations", "2",
        "--rounds", "2", "--warmup", "0", "--throughput-batch", "0");
    assertEquals(0, r.exit(), r.err());
    String number = "[0-9.]+";
    for (String kept : new String[] {"1.00", "0.50"}) {
      assertTrue(r.out().matches("(?s).*\nBENCH_TRAIN pair=AfDemo/TsmDemo kept=" + kept + " threads=1 batch=1 clips_per_s=" + number
          + " baseline_clips_per_s=" + number + " ratio=" + number + "\n.*"), r.out());
    }
    CliRun p = run("bench", "-n", "AfDemo", "--baseline", "TsmDemo", "--profile", "1", "--kept", "0.5", "--threads", "1", "--warmup", "0",
        "--throughput-batch", "0");
    assertEquals(0, p.exit(), p.err());
    assertTrue(p.out().matches("(?s).*\nPROFILE net=AfDemo path=skip kept=0.50 batch=1 threads=1 runs=1 nodes_per_run=\\d+ kernel_ms=" + number
        + "\n.*"), p.out());
    assertTrue(p.out().contains("part=focal ms="), p.out());
    assertTrue(p.out().contains("PROFILE net=TsmDemo batch=1 threads=1 op="), p.out());
    CliRun bad = run("bench", "-n", "AfDemo", "--train");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("--train compares a pair: give --baseline"), bad.err());
  }

  @Test
  void benchStatisticsAreMedianAndTheTenToNinetyPercentSpread() {
    BenchCommand.Stats s = BenchCommand.Stats.of(java.util.List.of(5.0, 1.0, 3.0, 2.0, 4.0));
    assertEquals(3.0, s.median(), 1e-12);
    assertEquals(4.6 - 1.4, s.spread(), 1e-12);
  }
}
