package io.saccade.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.VideoModel;
import org.junit.jupiter.api.Test;

/**
 * Absurd but legal declarations compile, and their generated classes report exact numbers: a clip costing
 * more than a petaFLOP, a head of billions of parameters (past {@code int}), nothing wrapped or rounded away.
 */
class AbsurdDeclarationsTest {

  private static String declaration(String name, int frames) {
    return "package absurd;\n"
        + "import io.saccade.dsl.*;\n"
        + "@VideoNetwork(frames = " + frames + ", classes = 10_000_000)\n"
        + "@Backbone(value = Backbones.RESNET101, width = 16)\n"
        + "@Budget(maxGflops = 1e300)\n"
        + "interface " + name + " {}\n";
  }

  @Test
  void aPetaflopClipWithBillionsOfParametersReportsExactNumbers() throws Exception {
    Compilation c = Fixtures.compiler().compile(
        JavaFileObjects.forSourceString("absurd.Huge", declaration("Huge", 1024)),
        JavaFileObjects.forSourceString("absurd.One", declaration("One", 1)));
    assertThat(c).succeededWithoutWarnings();
    GeneratedClasses loaded = new GeneratedClasses(c);
    VideoModel huge = (VideoModel) loaded.instance("absurd.HugeNetwork");
    VideoModel one = (VideoModel) loaded.instance("absurd.OneNetwork");
    ModelSummary s = huge.summary();

    // width 16: 2048 · 16 features into 10 million classes, weights and biases: 327,690,000,000 parameters in the head alone
    long head = 2048L * 16 * 10_000_000 + 10_000_000;
    assertEquals(head, s.stage("head").parameters());
    assertTrue(s.parameters() > 300_000_000_000L, "billions of parameters: " + s.parameters());
    assertEquals(s.stages().stream().mapToLong(ModelSummary.Stage::parameters).sum(), s.parameters());
    assertEquals(s.parameters(), loaded.loadClass("absurd.HugeNetwork").getField("PARAMETERS").getLong(null));
    assertEquals(one.summary().parameters(), s.parameters(), "parameters do not depend on frames");

    // a dense network costs frames × one frame: more than 10^6 GFLOPs (a petaFLOP) per clip
    assertTrue(s.gflopsPerClip() > 1e6, "GFLOPs per clip: " + s.gflopsPerClip());
    assertEquals(1024 * one.summary().gflopsPerClip(), s.gflopsPerClip(), s.gflopsPerClip() * 1e-8);
    assertEquals(s.gflopsPerClip(), loaded.loadClass("absurd.HugeNetwork").getField("GFLOPS_PER_CLIP").getDouble(null),
        s.gflopsPerClip() * 1e-8);
    assertEquals(1e300, loaded.loadClass("absurd.HugeNetwork").getField("MAX_GFLOPS").getDouble(null), "the declared literal round-trips");
  }
}
