package io.saccade.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.saccade.runtime.model.VideoModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README says what the code does: its tag list is the catalogue's (every entry has a failing example:
 * {@link MessageCatalogueTest}), and
 * its summary print-out is what the README's own first declaration prints.
 */
class ReadmeTest {

  private static String readme() throws IOException {
    Path p = Path.of("README.md");
    return Files.readString(Files.exists(p) ? p : Path.of("..", "README.md"));
  }

  private static Set<String> catalogueTags() {
    return Arrays.stream(Message.values()).map(Message::tag).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The backquoted tags of the "The tags:" paragraph. */
  private static Set<String> readmeTags() throws IOException {
    String text = readme();
    int start = text.indexOf("The tags: ");
    assertTrue(start >= 0, "README has a tag list");
    String paragraph = text.substring(start, text.indexOf("\n\n", start));
    Set<String> tags = new TreeSet<>();
    Matcher m = Pattern.compile("`([a-z-]+)`").matcher(paragraph);
    while (m.find()) {
      tags.add(m.group(1));
    }
    return tags;
  }

  @Test
  void theReadmeListsExactlyTheCataloguesTags() throws IOException {
    assertEquals(catalogueTags(), readmeTags());
  }

  /** The README's first declaration, compiled, prints exactly the table the README shows. */
  @Test
  void theSummaryPrintOutIsRealOutput() throws IOException {
    String text = readme();
    int section = text.indexOf("### A first network");
    int codeStart = text.indexOf("```java\n", section) + "```java\n".length();
    String declaration = text.substring(codeStart, text.indexOf("```", codeStart));
    int usageEnd = text.indexOf("```", text.indexOf("model.summary()", codeStart));
    int printOut = text.indexOf("```\n", usageEnd + 3) + "```\n".length();
    String shown = text.substring(printOut, text.indexOf("```", printOut));

    Compilation c = Fixtures.compiler().compile(JavaFileObjects.forSourceString("demo.AfResNet50Tsm", declaration));
    assertThat(c).succeededWithoutWarnings();
    VideoModel model = (VideoModel) new GeneratedClasses(c).instance("demo.AfResNet50TsmNetwork");
    assertEquals(model.summary().toString(), shown);
  }
}
