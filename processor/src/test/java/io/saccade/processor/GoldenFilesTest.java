package io.saccade.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Representative generated classes, compared character for character with {@code expected/}: the
 * output is deterministic (no dates, stable number formatting). After an intended change, rerun with
 * {@code -Dsaccade.golden.update=true} and review the diff.
 */
class GoldenFilesTest {

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "TsnResNet50, TsnResNet50Network",
    "AfResNet50Tsm, AfResNet50TsmNetwork",
    "AfResNet50DeepSparse, DeepSparseNetwork",
    "AfMobileNetV3, AfMobileNetV3Network",
    "AdaFocusV2Mn2R50, AdaFocusV2Mn2R50Network"
  })
  void generatedSourceMatchesTheGoldenFile(String declaration, String generated) throws IOException {
    Compilation c = Fixtures.compile("good/" + declaration + ".java");
    assertThat(c).succeeded();
    JavaFileObject file = c.generatedSourceFile("demo." + generated).orElseThrow();
    String actual = file.getCharContent(true).toString();
    String golden = "expected/" + generated + ".java";
    if (Boolean.getBoolean("saccade.golden.update")) {
      Files.writeString(Path.of("src/test/resources", golden), actual, StandardCharsets.UTF_8);
    }
    try (InputStream in = GoldenFilesTest.class.getClassLoader().getResourceAsStream(golden)) {
      String expected = in == null ? "<missing " + golden + ">" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(expected, actual, "generated " + generated + " differs from " + golden);
    }
    // the same declaration compiled again gives the same bytes
    Compilation again = Fixtures.compile("good/" + declaration + ".java");
    assertEquals(actual, again.generatedSourceFile("demo." + generated).orElseThrow().getCharContent(true).toString());
  }
}
