package io.saccade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Absurd command-line values are usage errors (exit 2) naming the option, never a stack trace. */
class HostileCommandLineTest {

  private static void usage(String expected, String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(ExitCode.USAGE, r.exit(), String.join(" ", args) + "\n" + r.err());
    assertTrue(r.err().contains(expected), String.join(" ", args) + ": " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void absurdValuesAreUsageErrorsNamingTheValue() {
    usage("batch size must be >= 1, got -1", "train", "-n", "AfDemo", "--batch", "-1");
    usage("epochs must be >= 1, got 0", "train", "-n", "AfDemo", "--epochs", "0");
    usage("no network named 'NoSuchNet'", "train", "-n", "NoSuchNet");
    usage("--checkpoint-every must be", "train", "-n", "AfDemo", "--checkpoint-every", "-5");
    usage("--devices must be >= 1, got 0", "train", "-n", "AfDemo", "--devices", "0");
    usage("--batch 16 does not split evenly across --devices 3", "train", "-n", "AfDemo", "--devices", "3");
    usage("--kept takes kept-frame fractions in (0, 1]", "bench", "-n", "AfDemo", "--kept", "nonsense");
    usage("('-3' is not one)", "bench", "-n", "AfDemo", "--kept", "1,-3");
    usage("no such file: /nonexistent/model", "predict", "-m", "/nonexistent/model", "--embedded", "0");
    usage("--embedded must be a clip index >= 0, got -1", "predict", "-m", "/tmp", "--embedded", "-1");
    usage("--top must be >= 1, got 0", "predict", "-m", "/tmp", "--embedded", "0", "-k", "0");
    usage("Invalid value for option '--epochs'", "train", "-n", "AfDemo", "--epochs", "many");
  }
}
