package io.saccade.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.cli.SaccadeCommand;
import io.saccade.runtime.data.TestVideos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saccade command on the example networks: names, summaries and clear errors. */
class CommandLineTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = SaccadeCommand.execute(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void listsEveryExampleNetwork() {
    Run r = run("networks");
    assertEquals(0, r.exit(), r.err());
    for (String name : new String[] {"AfResNet50", "AfResNet50Tsm", "AfResNet101Tsm", "TsnResNet50", "TsmResNet50", "AfDemo", "TsmDemo"}) {
      assertTrue(r.out().contains(name + " "), name + " missing from\n" + r.out());
    }
  }

  @Test
  void summaryPrintsTheCompileTimeTable() {
    Run r = run("summary", "--network", "TsnResNet50");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("stage4") && r.out().contains("7x7x2048"), r.out());
    assertTrue(r.out().contains("32.715"), "TSN ResNet-50 at 8 frames of 224² costs 32.7 GFLOPs:\n" + r.out());
  }

  @Test
  void anUnknownNetworkNamesTheClosestAndTheAvailableOnes() {
    Run r = run("summary", "--network", "AfResnet50Tsn");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no network named 'AfResnet50Tsn'"), r.err());
    assertTrue(r.err().contains("did you mean AfResNet50Tsm?"), r.err());
    assertTrue(r.err().contains("TsmDemo"), r.err());
  }

  @Test
  void aMissingFixtureIsAClearError() {
    Run r = run("parity", "--fixture", "/nonexistent/fixture");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("no such file: /nonexistent/fixture/meta.json"), r.err());
  }

  @Test
  void aBadFlagValueIsRejectedWithUsage() {
    Run r = run("bench", "--network", "TsmDemo", "--batch", "many");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("Invalid value for option '--batch'"), r.err());
  }

  @Test
  void trainsExportsAndPredictsFromVideoFiles(@TempDir Path dir) throws Exception {
    // Four 12-frame clips of 40x32, two containers; the label is the clip's brightness class.
    String[] names = {"a.mp4", "b.webm", "c.avi", "d.mp4"};
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      int level = 40 + 50 * i;
      TestVideos.write(dir.resolve("videos").resolve(names[i]), names[i].endsWith(".webm") ? "libvpx" : "mpeg4", 40, 32,
          12, (t, x, y) -> level << 16 | (level + 3 * t) << 8 | 128);
      list.append(names[i]).append(i % 2 == 0 ? " " : " 12 ").append(i % 4).append('\n');
    }
    Path trainList = Files.writeString(dir.resolve("train.txt"), list);

    Run forgot = run("train", "--network", "TsmDemo", "--root", dir.resolve("videos").toString(), "--train-list",
        trainList.toString());
    assertEquals(2, forgot.exit());
    assertTrue(forgot.err().contains(trainList + ":1: 'a.mp4' is a video file; add --videos"), forgot.err());

    Path runDir = dir.resolve("run");
    Run train = run("train", "--network", "TsmDemo", "--videos", "--root", dir.resolve("videos").toString(),
        "--train-list", trainList.toString(), "--val-list", trainList.toString(), "--epochs", "1", "--batch", "2",
        "--quiet", "--run", runDir.toString());
    assertEquals(0, train.exit(), train.err() + train.out());

    Path model = dir.resolve("model");
    Run export = run("export", "--network", "TsmDemo", "--run", runDir.toString(), "--out", model.toString());
    assertEquals(0, export.exit(), export.err() + export.out());

    Run predict = run("predict", "--model", model.toString(), "--video", dir.resolve("videos/b.webm").toString(), "-k", "2");
    assertEquals(0, predict.exit(), predict.err());
    assertTrue(predict.out().contains("PREDICT label="), predict.out());

    Run missing = run("predict", "--model", model.toString(), "--video", dir.resolve("videos/none.mp4").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("none.mp4"), missing.err());
  }
}
