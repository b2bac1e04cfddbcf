package io.saccade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on the user's own data (frame folders, a label map, Adam) through eval, export and predict: the
 * run's network, class names and pre-processing travel with it, and a mismatch is an error naming both.
 * The run is the dense TsmDemo: what travels does not depend on the network, and an AFNet's training and
 * export graphs cost several times as much to build (AfDemo's export and inference are tested by the
 * examples' ExportTest and the Spark module).
 */
class RunArtefactsCommandTest {

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  static final List<String> NAMES = List.of("walk", "run", "jump", "sit", "stand", "wave", "clap", "turn");

  @Test
  void aRunOnUserDataCarriesItsNetworkLabelsAndPreprocessingToEvalExportAndPredict(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("frames"));
    StringBuilder list = new StringBuilder();
    for (int v = 0; v < 8; v++) {
      Path video = Files.createDirectories(root.resolve("v" + v));
      for (int f = 1; f <= 10; f++) {
        BufferedImage img = new BufferedImage(40, 36, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 36; y++) {
          for (int x = 0; x < 40; x++) {
            img.setRGB(x, y, ((x + f * 4 + v * 30) & 255) << 16 | ((y * 5 + v * 20) & 255) << 8 | (f * 20 & 255));
          }
        }
        ImageIO.write(img, "png", video.resolve(String.format("%05d.png", f)).toFile());
      }
      list.append("v").append(v).append(" 10 ").append(v).append('\n');
    }
    Path listFile = Files.writeString(dir.resolve("list.txt"), list);
    Path labels = Files.writeString(dir.resolve("labels.json"), "[\"" + String.join("\", \"", NAMES) + "\"]");
    String runDir = dir.resolve("run").toString();
    String[] data = {"--root", root.toString(), "--val-list", listFile.toString(), "--template", "{:05d}.png"};

    CliRun train = run(concat(new String[] {"train", "-n", "TsmDemo", "--run", runDir, "--train-list", listFile.toString(),
        "--labels", labels.toString(), "--epochs", "1", "--batch", "8", "--threads", "1", "--optimizer", "adam", "--quiet"}, data));
    assertEquals(0, train.exit(), train.err());

    // Trained with Adam; eval builds the default optimizer and takes the network from the run.
    CliRun eval = run(concat(new String[] {"eval", "--run", runDir, "--batch", "8"}, data));
    assertEquals(0, eval.exit(), eval.err());
    assertTrue(eval.out().contains("EVAL model=TsmDemo step=1 "), eval.out());
    assertTrue(eval.out().contains("walk"), "the run's class names in the report:\n" + eval.out());
    CliRun embedded = run("eval", "--run", runDir);
    assertEquals(2, embedded.exit());
    assertTrue(embedded.err().contains("was trained on frame-folders"), embedded.err());

    // Export without --root or --labels: the run's names, into OUT/1.
    Path out = dir.resolve("served");
    CliRun export = run("export", "--run", runDir, "-o", out.toString());
    assertEquals(0, export.exit(), export.err());
    assertTrue(export.out().contains("EXPORTED model=TsmDemo step=1 dir=" + out.resolve("1")), export.out());
    assertEquals(NAMES, Files.readAllLines(out.resolve("1/assets.extra/labels.txt")));
    String meta = Files.readString(out.resolve("1/assets.extra/saccade.json"));
    assertTrue(meta.contains("\"source\": \"frame-folders\"") && meta.contains("\"mean\": [0.485, 0.456, 0.406]"), meta);

    Path wrong = Files.writeString(dir.resolve("wrong.json"), "[\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\"]");
    CliRun mismatch = run("export", "--run", runDir, "-o", out.toString(), "--labels", wrong.toString());
    assertEquals(2, mismatch.exit());
    assertTrue(mismatch.err().contains("(8 names: a, b, c, d, e, …) is not the run's (8 names: walk, run, jump, sit, stand, …)"),
        mismatch.err());
    CliRun other = run("export", "-n", "AfDemo", "--run", runDir, "-o", out.toString());
    assertNotEquals(0, other.exit());
    assertTrue(other.err().contains("was trained with network TsmDemo") && other.err().contains("not AfDemo"), other.err());
    assertTrue(Files.notExists(out.resolve("2")), "no export after an error");

    CliRun predict = run("predict", "-m", out.toString(), "--frames", root.resolve("v3").toString(), "-k", "3");
    assertEquals(0, predict.exit(), predict.err());
    String label = predict.out().lines().filter(l -> l.startsWith("PREDICT label=")).findFirst().orElseThrow()
        .replaceAll("PREDICT label=(\\S+) .*", "$1");
    assertTrue(NAMES.contains(label), predict.out());
    // 10 frames in 8 segments: centres 0,1,3,4,5,6,8,9 (0-based) = files 1,2,4,5,6,7,9,10.
    assertTrue(predict.out().contains("frames sampled: [1, 2, 4, 5, 6, 7, 9, 10]"), predict.out());

    // A clip given as numbers (--clip x.npy): the model's shape classifies; a wrong frame count, size or dtype
    // is a usage error naming what the model expects and what the file holds.
    CliRun numbers = run("predict", "-m", out.toString(), "--clip", npy(dir.resolve("ok.npy"), "<f4", 4, 8, 32, 32, 3));
    assertEquals(0, numbers.exit(), numbers.err());
    String[][] bad = {
      {"<f4", "[4, 32, 32, 3]", "float32"}, {"<f4", "[8, 64, 64, 3]", "float32"}, {"<i4", "[8, 32, 32, 3]", "int32"}};
    for (String[] b : bad) {
      int[] shape = java.util.Arrays.stream(b[1].replaceAll("[\\[\\] ]", "").split(",")).mapToInt(Integer::parseInt).toArray();
      CliRun wrongClip = run("predict", "-m", out.toString(), "--clip", npy(dir.resolve("bad.npy"), b[0], 4, shape));
      assertEquals(2, wrongClip.exit(), wrongClip.err());
      assertTrue(wrongClip.err().contains("the model expects a float32 array of shape [8, 32, 32, 3]")
          && wrongClip.err().contains("the file holds " + b[2] + " of shape " + b[1]), wrongClip.err());
    }
  }

  /** A zero-filled .npy file (format 1.0) of the given dtype and shape; its path. */
  private static String npy(Path file, String descr, int itemSize, int... shape) throws java.io.IOException {
    StringBuilder dims = new StringBuilder();
    long count = 1;
    for (int d : shape) {
      dims.append(d).append(", ");
      count *= d;
    }
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims.toString().trim() + "), }";
    int total = 10 + header.length() + 1;
    header = header + " ".repeat((64 - total % 64) % 64) + "\n";
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.write(header.length() & 0xff);
    b.write(header.length() >> 8);
    b.write(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.write(new byte[(int) (count * itemSize)]);
    Files.write(file, b.toByteArray());
    return file.toString();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
