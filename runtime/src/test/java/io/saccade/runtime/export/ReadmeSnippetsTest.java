package io.saccade.runtime.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.BadSampleException;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.train.TinyAfModel;
import io.saccade.runtime.train.Trainer;
import io.saccade.runtime.train.TrainingDivergedException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java snippets of the README's "Exporting and serving" and "When things go wrong" sections, compiled
 * and run here; {@link #theReadmeShowsExactlyTheseSnippets} checks that the README holds them verbatim.
 */
class ReadmeSnippetsTest {

  // README:begin classify
  static void classify(Path model, Path videoOrFrameFolder) throws IOException, BadSampleException {
    try (VideoClassifier classifier = VideoClassifier.open(model)) {
      VideoClassifier.Prediction p = classifier.classify(videoOrFrameFolder, 5);
      for (VideoClassifier.Scored s : p.top()) {
        System.out.printf(Locale.ROOT, "%-20s %.3f%n", s.label(), s.probability());
      }
      System.out.println("frames kept per navigation layer: " + Arrays.deepToString(p.keptFrames()));
      System.out.println("GFLOPs spent: " + p.gflops());
    }
  }
  // README:end

  // README:begin export
  static Path export(Trainer trainer, VideoDataset trainData, Path out) throws IOException {
    // out/1, or one more than the highest version already in out
    return SavedModelExporter.export(
        trainer.model(), trainer.session(), out, trainData.classNames(), Preprocessing.of(trainData), 0);
  }
  // README:end

  // README:begin train
  static void train(Trainer trainer) {
    try {
      trainer.fit();
    } catch (TrainingDivergedException e) {
      System.err.println("stopped at step " + e.step() + "; resume from " + e.lastGoodCheckpoint().orElse(null));
    }
  }
  // README:end

  @Test
  void theSnippetsTrainExportAndClassify(@TempDir Path dir) throws Exception {
    VideoDataset trainData = SyntheticMotionDataset.builder().frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE)
        .classes(4).keyFrames(2).clips(16).seed(3).split(Split.TRAIN).build();
    Path out = dir.resolve("served");
    try (Trainer trainer = Trainer.builder(new TinyAfModel(4)).trainData(trainData).epochs(1).batchSize(8).threads(1).build()) {
      train(trainer);
      assertEquals(2, trainer.step());
      assertEquals(out.resolve("1"), export(trainer, trainData, out));
      assertEquals(out.resolve("2"), export(trainer, trainData, out));
    }
    Path frames = Files.createDirectories(dir.resolve("v"));
    for (int i = 1; i <= 6; i++) {
      BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
      img.setRGB(i, i, 0xffffff);
      ImageIO.write(img, "png", frames.resolve(String.format("%05d.png", i)).toFile());
    }
    PrintStream old = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(ps);
      classify(out, frames);
    } finally {
      System.setOut(old);
    }
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(6, lines.size(), String.join("\n", lines));
    assertTrue(trainData.classNames().contains(lines.get(0).split(" ")[0]), lines.get(0));
    assertTrue(lines.get(4).startsWith("frames kept per navigation layer: [["), lines.get(4));
  }

  @Test
  void theReadmeShowsExactlyTheseSnippets() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> snippets = snippets(Files.readString(Path.of("src/test/java/io/saccade/runtime/export/ReadmeSnippetsTest.java")));
    assertEquals(3, snippets.size());
    for (String snippet : snippets) {
      assertTrue(readme.contains("```java\n" + snippet + "```\n"), "not in the README:\n" + snippet);
    }
  }

  /** The code between the README markers, indented as in the README. */
  private static List<String> snippets(String source) {
    List<String> out = new ArrayList<>();
    StringBuilder current = null;
    for (String line : source.split("\n", -1)) {
      if (line.strip().startsWith("// README:begin")) {
        current = new StringBuilder();
      } else if (line.strip().equals("// README:end")) {
        out.add(current.toString());
        current = null;
      } else if (current != null) {
        current.append(line.length() >= 2 ? line.substring(2) : line.strip()).append('\n');
      }
    }
    return out;
  }
}
