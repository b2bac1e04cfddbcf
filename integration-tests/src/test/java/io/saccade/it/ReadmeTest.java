package io.saccade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Use Saccade in your project" shows the integration-test user project file by file: each
 * file must appear in the README exactly, so what a user pastes is what the build proves.
 */
class ReadmeTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path PROJECT = ROOT.resolve("integration-tests/src/it/user-project");

  /** The user project's files the README shows in full. */
  static final List<String> SHOWN =
      List.of(
          "pom.xml",
          "src/main/java/com/example/video/MotionNet.java",
          "src/main/java/com/example/video/MotionNetBaseline.java",
          "src/main/java/com/example/video/TrainMotionNet.java",
          "src/main/java/com/example/video/EpochCsv.java",
          "src/main/java/com/example/video/OwnData.java",
          "src/main/java/com/example/video/InferenceGraph.java");

  @Test
  void everyFileOfTheUserProjectIsInTheReadmeAsItIs() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    for (String file : SHOWN) {
      String text = Files.readString(PROJECT.resolve(file), StandardCharsets.UTF_8);
      String block = "```" + (file.endsWith(".xml") ? "xml" : "java") + "\n" + text + "```\n";
      assertTrue(readme.contains(block), file + " differs from its block in README.md (or is missing): update one from the other");
    }
  }

  @Test
  void theReadmeNamesTheVersionThisBuildMakes() throws IOException {
    String pom = Files.readString(PROJECT.resolve("pom.xml"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("<saccade.version>([^<]+)</saccade.version>").matcher(pom);
    assertTrue(m.find(), "the user pom sets saccade.version");
    String parent = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
    Matcher v = Pattern.compile("<artifactId>saccade-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(parent);
    assertTrue(v.find());
    assertEquals(v.group(1), m.group(1), "the README's saccade.version");
  }

  @Test
  void theBomPinsTheNativesTheBuildUses() throws IOException {
    String parent = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
    String bom = Files.readString(ROOT.resolve("bom/pom.xml"), StandardCharsets.UTF_8);
    for (String property : List.of("tensorflow.version", "ffmpeg.version")) {
      assertEquals(property(parent, property), property(bom, property), property + " in bom/pom.xml");
    }
    assertEquals(
        version(parent, "saccade-parent"), version(bom, "saccade-bom"), "the BOM's own version");
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
    assertTrue(m.find(), name);
    return m.group(1);
  }

  private static String version(String pom, String artifactId) {
    Matcher m = Pattern.compile("<artifactId>" + artifactId + "</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
    assertTrue(m.find(), artifactId);
    return m.group(1);
  }
}
