package io.saccade.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.testing.TfTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * <p>Named {@code *IT} so the default build (surefire) skips it until the runtime's blocks are in;
 * run it with {@code mvn -pl processor -am test -Dtest=GeneratedGraphIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class GeneratedGraphIT {

  @ParameterizedTest
  @ValueSource(strings = {"TinyTsn", "TinyTsm", "TinyAfTsm", "TinyAfOverrides"})
  void buildsRunsAndHasAGradientForEveryTrainable(String declaration) throws Exception {
    Compilation c = Fixtures.compile("tiny/" + declaration + ".java");
    assertThat(c).succeededWithoutWarnings();
    VideoModel model = (VideoModel) new GeneratedClasses(c).instance("tiny." + declaration + "Network");
    int t = model.frames();
    int s = model.inputSize();
    int batch = 2;
    try (TfTest tf = TfTest.create()) {
      Ops ops = tf.tf();
      Placeholder<TFloat32> clips = tf.placeholder(batch, t, s, s, 3);
      ModelOutputs out = model.build(tf.ctx(Mode.TRAINING), clips, ops.constant(1f));

      // parameters: the compile-time count equals the graph's, in total and per stage
      ModelSummary summary = model.summary();
      assertEquals(summary.parameters(), tf.store().trainableSize(), "trainable parameters of " + declaration);
      for (ModelSummary.Stage stage : summary.stages()) {
        long built = tf.store().trainables().stream()
            .filter(p -> p.name().startsWith(stage.name() + "/"))
            .mapToLong(Parameter::size)
            .sum();
        assertEquals(stage.parameters(), built, declaration + " " + stage.name());
      }

      // loss touching every output a trainer uses: logits and the ratio terms of every navigation layer
      Operand<TFloat32> loss = ops.reduceSum(ops.math.square(out.clipLogits()), ops.constant(new int[] {0, 1}));
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
        fetches.add(grads.dy(i));
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
        for (float v : values.get(2 + i)) {
          assertTrue(Float.isFinite(v), "gradient of " + trainables.get(i).name());
        }
      }
      if (out.selections().isEmpty()) {
        // dense networks spend exactly their analytic cost
        assertEquals(summary.gflopsPerClip(), gflops[0], summary.gflopsPerClip() * 1e-4);
      }
    }
  }

  /**
   * At initialisation navigation keeps every frame (keep bias 10 vs skip 1, as in the official code), so
   * a deterministic inference build must report exactly the compile-time cost at RT = 1: the runtime's
   * FLOPs counter and the Sizer agree.
   */
  @Test
  void inferenceAtInitialisationSpendsTheAllSelectedCost() throws Exception {
    Compilation c = Fixtures.compile("tiny/TinyAfTsm.java");
    GeneratedClasses loaded = new GeneratedClasses(c);
    VideoModel model = (VideoModel) loaded.instance("tiny.TinyAfTsmNetwork");
    double upper = loaded.loadClass("tiny.TinyAfTsmNetwork").getField("UPPER_GFLOPS_PER_CLIP").getDouble(null);
    int t = model.frames();
    int s = model.inputSize();
    try (TfTest tf = TfTest.create()) {
      Placeholder<TFloat32> clips = tf.placeholder(1, t, s, s, 3);
      ModelOutputs out = model.build(tf.ctx(Mode.INFERENCE), clips, tf.tf().constant(0.01f));
      float[] gflops = tf.eval(Map.of(clips, TfTest.randomFloats(5, t * s * s * 3, 1f)), out.dynamicGflops());
      // float32 sums of per-stage GFLOPs: 1e-4 relative
      assertEquals(upper, gflops[0], upper * 1e-4);
    }
  }
}
