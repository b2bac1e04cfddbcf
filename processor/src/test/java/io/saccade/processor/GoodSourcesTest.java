package io.saccade.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every good declaration compiles, with its generated class, without a warning. */
class GoodSourcesTest {

  @ParameterizedTest
  @ValueSource(strings = {"TsnResNet50", "AfResNet50Tsm"})
  void compilesWithoutWarnings(String name) {
    Compilation c = Fixtures.compile("good/" + name + ".java");
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("demo." + name + "Network");
    c.generatedSourceFiles().forEach(f -> {
      try {
        System.out.println(f.getCharContent(true));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }
}
