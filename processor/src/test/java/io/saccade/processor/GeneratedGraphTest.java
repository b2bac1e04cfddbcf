package io.saccade.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.testing.TfTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Generated code, compiled and run: for each buildable family a tiny declaration builds its graph, runs
 * a forward pass, has a gradient for every trainable variable, and the parameters counted at compile
 * time equal those of the built graph, stage by stage.
 *
 * <p>Kept small: one compilation for every declaration, 32-pixel frames, one graph per test.
 */
class GeneratedGraphTest {

  private static final List<String> DECLARATIONS = List.of(
      "TinyTsm", "TinyAfTsm", "TinyAfOverrides", "TinyAfMobileNetV3", "TinyAfMobileNetV3Small", "TinyMobileNetV3Small",
      "TinyMobileNetV2Tsm", "TinyAdaFocus", "TinyAdaFocusClip", "TinyAdaFocusClipShared", "TinyAfShift4", "TinyMobileNetV3SmallShift4");

  private static GeneratedClasses loaded;

  @BeforeAll
  static void compileEveryDeclarationOnce() {
    Compilation c = Fixtures.compile(DECLARATIONS.stream().map(d -> "tiny/" + d + ".java").toArray(String[]::new));
    assertThat(c).succeededWithoutWarnings();
    loaded = new GeneratedClasses(c);
  }

  private static VideoModel model(String declaration) {
    return (VideoModel) loaded.instance("tiny." + declaration + "Network");
  }

  @ParameterizedTest
  @ValueSource(strings = {"TinyTsm", "TinyAfTsm", "TinyAfOverrides", "TinyAfMobileNetV3", "TinyAfMobileNetV3Small", "TinyMobileNetV3Small", "TinyMobileNetV2Tsm",
      "TinyAdaFocus", "TinyAdaFocusClip", "TinyAdaFocusClipShared", "TinyAfShift4", "TinyMobileNetV3SmallShift4"})
  void buildsRunsAndHasAGradientForEveryTrainable(String declaration) {
    VideoModel model = model(declaration);
    int t = model.frames();
    int s = model.inputSize();
    int batch = 2;
    try (TfTest tf = TfTest.create()) {
      BuildContext ctx = tf.ctx(Mode.TRAINING);
      // the context's ops: names made after the build must not clash with the build's
      Ops ops = ctx.tf();
      Placeholder<TFloat32> clips = tf.placeholder(batch, t, s, s, 3);
      ModelOutputs out = model.build(ctx, clips, ops.constant(1f));
      assertEndpointsMatchTheSummary(model, batch, out);

      // loss touching every output a trainer uses: logits, auxiliary heads and the ratio terms of every navigation layer
      Operand<TFloat32> loss = ops.reduceSum(ops.math.square(out.clipLogits()), ops.constant(new int[] {0, 1}));
      // and AdaFocusV2's extra heads, which train its encoders and policy
      for (Operand<TFloat32> aux : out.auxiliaryLogits().values()) {
        loss = ops.math.add(loss, ops.reduceSum(ops.math.square(aux), ops.range(ops.constant(0), ops.rank(aux), ops.constant(1))));
      }
      for (ModelOutputs.Selection sel : out.selections()) {
        Operand<TFloat32> ratio = ops.math.mean(sel.mask(), ops.range(ops.constant(0), ops.rank(sel.mask()), ops.constant(1)));
        loss = ops.math.add(loss, ops.math.square(ops.math.sub(ratio, ops.constant(sel.targetRatio()))));
      }
      List<Parameter> trainables = tf.store().trainables();
      List<Operand<?>> variables = new ArrayList<>();
      trainables.forEach(p -> variables.add(p.variable()));
      var grads = ops.gradients(loss, variables);

      List<Operand<?>> fetches = new ArrayList<>();
      fetches.add(out.clipLogits());
      fetches.add(out.dynamicGflops());
      for (int i = 0; i < trainables.size(); i++) {
        assertNotNull(grads.dy(i), "no gradient for " + trainables.get(i).name());
        // one number per gradient: its L1 norm is finite exactly when every element is
        fetches.add(ops.reduceSum(ops.math.abs(grads.dy(i)), ops.range(ops.constant(0), ops.rank(grads.dy(i)), ops.constant(1))));
      }
      float[] input = TfTest.randomFloats(3, batch * t * s * s * 3, 1f);
      List<float[]> values = tf.evalAll(Map.of(clips, input), fetches);

      float[] logits = values.get(0);
      assertEquals(batch * model.classes(), logits.length);
      for (float v : logits) {
        assertTrue(Float.isFinite(v), "logits of " + declaration);
      }
      float[] gflops = values.get(1);
      assertEquals(batch, gflops.length);
      for (float g : gflops) {
        assertTrue(Float.isFinite(g) && g > 0, declaration + " dynamic GFLOPs " + g);
      }
      for (int i = 0; i < trainables.size(); i++) {
        assertTrue(Float.isFinite(values.get(2 + i)[0]), "gradient of " + trainables.get(i).name());
      }
      ModelSummary summary = model.summary();
      if (out.selections().isEmpty()) {
        // dense networks spend exactly their analytic cost; float32: 1e-4 relative
        assertEquals(summary.gflopsPerClip(), gflops[0], summary.gflopsPerClip() * 1e-4);
      }
      assertParametersMatch(declaration, summary, tf.store().trainables());
    }
  }

  /**
   * One endpoint per stage before the head, in order, each {@code [N·T, H, W, C]} as the summary says; for
   * AdaFocusV2 the two encoders' feature maps, the global one on the clip's first frame set, the local one on
   * its last (the same set unless the focus frames are sampled apart).
   */
  private static void assertEndpointsMatchTheSummary(VideoModel model, int batch, ModelOutputs out) {
    if (model.summary().stages().stream().anyMatch(st -> st.name().equals("policy"))) {
      List<Integer> sets = model.frameSets();
      for (String encoder : List.of("global", "local")) {
        ModelSummary.Stage st = model.summary().stages().stream().filter(x -> x.name().equals(encoder)).findFirst().orElseThrow();
        long[] shape = out.endpoints().get(encoder).shape().asArray();
        int frames = encoder.equals("global") ? sets.get(0) : sets.get(sets.size() - 1);
        assertArrayEquals(new long[] {(long) batch * frames, st.height(), st.width(), st.channels()}, shape, encoder);
      }
      return;
    }
    List<ModelSummary.Stage> stages = model.summary().stages().stream().filter(st -> !st.name().equals("head")).toList();
    assertEquals(stages.stream().map(ModelSummary.Stage::name).toList(), List.copyOf(out.endpoints().keySet()));
    for (ModelSummary.Stage st : stages) {
      long[] shape = out.endpoints().get(st.name()).shape().asArray();
      assertArrayEquals(new long[] {(long) batch * model.frames(), st.height(), st.width(), st.channels()}, shape, st.name());
    }
  }

  /** The compile-time count equals the graph's, in total and per stage. */
  private static void assertParametersMatch(String declaration, ModelSummary summary, List<Parameter> built) {
    assertEquals(summary.parameters(), built.stream().mapToLong(Parameter::size).sum(), "trainable parameters of " + declaration);
    for (ModelSummary.Stage stage : summary.stages()) {
      long inStage = built.stream().filter(p -> p.name().startsWith(stage.name() + "/")).mapToLong(Parameter::size).sum();
      assertEquals(stage.parameters(), inStage, declaration + " " + stage.name());
    }
  }

  /** {@code shiftDivisor = 4} reaches the generated code (the runtime's ShiftDivisorTest checks what it shifts). */
  @Test
  void aDeclaredShiftDivisorIsWrittenAndUsed() throws Exception {
    for (String declaration : List.of("TinyAfShift4", "TinyMobileNetV3SmallShift4")) {
      assertEquals(4, loaded.loadClass("tiny." + declaration + "Network").getField("SHIFT_DIVISOR").getInt(null), declaration);
    }
    assertThrows(NoSuchFieldException.class, () -> loaded.loadClass("tiny.TinyAfTsmNetwork").getField("SHIFT_DIVISOR"),
        "the official 1/8 is the runtime's default and not written out");
  }

  /**
   * A per-clip AdaFocusV2 takes the official int(1.5·T) focus frames after its T glance frames unless it
   * declares otherwise; declaring T runs both CNNs on one T-frame clip. The local CNN's cost counts its frames.
   */
  @Test
  void perClipFocusFramesAreOfficialByDefaultAndDeclaredOtherwise() throws Exception {
    VideoModel official = model("TinyAdaFocusClip");
    VideoModel shared = model("TinyAdaFocusClipShared");
    assertEquals(List.of(4, 6), official.frameSets());
    assertEquals(10, official.frames());
    assertEquals(6, loaded.loadClass("tiny.TinyAdaFocusClipNetwork").getField("FOCUS_FRAMES").getInt(null));
    assertEquals(List.of(4), shared.frameSets());
    assertEquals(4, shared.frames());
    assertEquals(4, loaded.loadClass("tiny.TinyAdaFocusClipSharedNetwork").getField("FOCUS_FRAMES").getInt(null));
    ModelSummary.Stage local = official.summary().stages().stream().filter(st -> st.name().equals("local")).findFirst().orElseThrow();
    ModelSummary.Stage localShared = shared.summary().stages().stream().filter(st -> st.name().equals("local")).findFirst().orElseThrow();
    assertEquals(localShared.gflopsPerClip() * 6 / 4, local.gflopsPerClip(), local.gflopsPerClip() * 1e-9);
    ModelSummary.Stage global = official.summary().stages().stream().filter(st -> st.name().equals("global")).findFirst().orElseThrow();
    ModelSummary.Stage globalShared = shared.summary().stages().stream().filter(st -> st.name().equals("global")).findFirst().orElseThrow();
    assertEquals(globalShared.gflopsPerClip(), global.gflopsPerClip(), 0);
  }

  /** TinyAfTsm has width 0.25: a 16-channel stem and a quarter of every stage's channels, which the build checks against. */
  @Test
  void aQuarterWidthNetworkHasAQuarterOfTheChannels() {
    ModelSummary summary = model("TinyAfTsm").summary();
    assertEquals(List.of(16, 64, 128, 256, 512), summary.stages().subList(0, 5).stream().map(ModelSummary.Stage::channels).toList());
  }

  /**
   * At initialisation navigation keeps every frame (keep bias 10 vs skip 1, as in the official code)
   * when its inputs are 0, as they are for zero clips in inference (BN with fresh statistics maps 0 to
   * 0), so the inference build must report exactly the compile-time cost at RT = 1: the runtime's FLOPs
   * counter and the Sizer agree.
   */
  @ParameterizedTest
  @ValueSource(strings = {"TinyAfTsm", "TinyAfMobileNetV3", "TinyAfMobileNetV3Small"})
  void inferenceAtInitialisationSpendsTheAllSelectedCost(String declaration) throws Exception {
    VideoModel model = model(declaration);
    double upper = loaded.loadClass("tiny." + declaration + "Network").getField("UPPER_GFLOPS_PER_CLIP").getDouble(null);
    int t = model.frames();
    int s = model.inputSize();
    try (TfTest tf = TfTest.create()) {
      Placeholder<TFloat32> clips = tf.placeholder(1, t, s, s, 3);
      ModelOutputs out = model.build(tf.ctx(Mode.INFERENCE), clips, tf.tf().constant(0.01f));
      float[] gflops = tf.eval(Map.of(clips, new float[t * s * s * 3]), out.dynamicGflops());
      // float32 sums of per-stage GFLOPs: 1e-4 relative
      assertEquals(upper, gflops[0], upper * 1e-4);
    }
  }
}
