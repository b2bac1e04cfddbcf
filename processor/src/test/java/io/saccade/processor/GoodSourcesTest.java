package io.saccade.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every good declaration compiles, with its generated class, without a single warning (-Xlint:all). */
class GoodSourcesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "TsnResNet50, TsnResNet50Network",
    "TsmResNet50, TsmResNet50Network",
    "AfResNet50Tsm, AfResNet50TsmNetwork",
    "AfResNet101Tsm, AfResNet101TsmNetwork",
    "AfResNet50DeepSparse, DeepSparseNetwork",
    "AfMobileNetV3, AfMobileNetV3Network",
    "TsnMobileNetV3Small, TsnMobileNetV3SmallNetwork",
    "AdaFocusV2Mn2R50, AdaFocusV2Mn2R50Network",
    "Zoo, TinyNetwork"
  })
  void compilesWithoutWarnings(String declaration, String generated) {
    Compilation c = Fixtures.compile("good/" + declaration + ".java");
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("demo." + generated);
  }
}
