package io.saccade.runtime.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.nn.Initializer;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.testing.TfTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class WeightImportTest {

  /** A PyTorch-style source: conv [O=2, I=3, 1, 2], BN vectors, a linear [2, 4], a counter to ignore. */
  private static Map<String, NpyArray> source() {
    Map<String, NpyArray> s = new LinkedHashMap<>();
    float[] conv = new float[12];
    for (int i = 0; i < 12; i++) {
      conv[i] = i + 1;
    }
    s.put("conv1.weight", NpyArray.ofFloats(conv, 2, 3, 1, 2));
    s.put("bn1.weight", NpyArray.ofFloats(new float[] {1.5f, 2.5f}, 2));
    s.put("bn1.running_var", NpyArray.ofFloats(new float[] {0.25f, 4f}, 2));
    s.put("bn1.num_batches_tracked", NpyArray.ofLongs(new long[] {7}));
    s.put("fc.weight", NpyArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4));
    return s;
  }

  private static WeightMapping mapping() {
    return WeightMapping.builder()
        .ignore("num_batches_tracked$")
        .exact("conv1.weight", "stem/conv/kernel", Conversion.OIHW_TO_HWIO)
        .rule("bn1\\.(weight|running_var)", "stem/bn/$1", Conversion.IDENTITY)
        .function(key -> key.startsWith("fc.")
            ? Optional.of(new WeightMapping.Target("head/fc/" + key.substring(3), Conversion.PYTORCH))
            : Optional.empty())
        .build();
  }

  private static void network(TfTest t) {
    var ctx = t.ctx(Mode.INFERENCE);
    ctx.child("stem").child("conv").parameter("kernel", Parameter.Role.WEIGHT, Shape.of(1, 2, 3, 2), Initializer.zeros());
    ctx.child("stem").child("bn").parameter("weight", Parameter.Role.BN_SCALE, Shape.of(2), Initializer.ones());
    ctx.child("stem").child("bn").parameter("running_var", Parameter.Role.BN_MOVING_VARIANCE, Shape.of(2), Initializer.ones());
    ctx.child("head").child("fc").parameter("weight", Parameter.Role.WEIGHT, Shape.of(4, 2), Initializer.zeros());
  }

  @Test
  void loadsConvertedValuesInOneRun() {
    try (TfTest t = TfTest.create()) {
      network(t);
      // A run before the import: initialisers have run, the import must overwrite their values.
      assertArrayEquals(new float[] {1f, 1f}, t.eval(t.store().get("stem/bn/weight").variable()));
      ImportPlan plan = WeightImport.load(t.session(), t.store(), source(), mapping());
      assertEquals(List.of("bn1.num_batches_tracked"), plan.ignoredKeys());
      assertEquals("5 source tensors: 4 loaded (24 values), 1 ignored; 0 parameters keep their initial values", plan.summary());
      // HWIO [1, 2, 3, 2]: out[0][w][i][o] = conv[o][i][0][w] = 6o + 2i + w + 1.
      assertArrayEquals(new float[] {1, 7, 3, 9, 5, 11, 2, 8, 4, 10, 6, 12}, t.eval(t.store().get("stem/conv/kernel").variable()));
      assertArrayEquals(new float[] {1, 7, 3, 9, 5, 11, 2, 8, 4, 10, 6, 12}, plan.convertedValues(plan.assignments().get(0)));
      assertEquals("conv1.weight [2, 3, 1, 2] -(oihw->hwio)-> stem/conv/kernel [1, 2, 3, 2]", plan.assignments().get(0).toString());
      assertArrayEquals(new float[] {1.5f, 2.5f}, t.eval(t.store().get("stem/bn/weight").variable()));
      assertArrayEquals(new float[] {0.25f, 4f}, t.eval(t.store().get("stem/bn/running_var").variable()));
      assertArrayEquals(new float[] {1, 5, 2, 6, 3, 7, 4, 8}, t.eval(t.store().get("head/fc/weight").variable()));

      // A second import into the same graph and session replaces the values.
      Map<String, NpyArray> again = new LinkedHashMap<>(source());
      again.put("bn1.weight", NpyArray.ofFloats(new float[] {-1f, 65504f}, 2));
      WeightImport.load(t.session(), t.store(), again, mapping());
      assertArrayEquals(new float[] {-1f, 65504f}, t.eval(t.store().get("stem/bn/weight").variable()));
    }
  }

  @Test
  void importAsTheFirstRunIsNotUndoneByInitialisers() {
    try (TfTest t = TfTest.create()) {
      network(t);
      WeightImport.load(t.session(), t.store(), source(), mapping());
      assertArrayEquals(new float[] {1.5f, 2.5f}, t.eval(t.store().get("stem/bn/weight").variable()));
      // A parameter created after the import is initialised on the next run without touching the others.
      Parameter late = t.ctx(Mode.INFERENCE).parameter("late", Parameter.Role.BIAS, Shape.of(1), Initializer.constant(3f));
      assertArrayEquals(new float[] {3f}, t.eval(late.variable()));
      assertArrayEquals(new float[] {0.25f, 4f}, t.eval(t.store().get("stem/bn/running_var").variable()));
    }
  }

  @Test
  void reportsEveryProblemAtOnceAndLoadsNothing() {
    try (TfTest t = TfTest.create()) {
      network(t);
      t.ctx(Mode.INFERENCE).child("stem").child("bn").parameter("bias", Parameter.Role.BN_OFFSET, Shape.of(2), Initializer.zeros());
      Map<String, NpyArray> s = source();
      s.put("layer9.weird", NpyArray.ofFloats(new float[3], 3));                  // unexpected
      s.put("fc.weigth", NpyArray.ofFloats(new float[8], 2, 4));                  // unknown parameter (typo)
      s.put("bn1.weight", NpyArray.ofFloats(new float[3], 3));                    // wrong shape (keeps its place)
      s.put("conv1.weight", NpyArray.ofFloats(new float[2], 2));                  // conversion does not apply
      WeightMapping m = WeightMapping.builder()
          .exact("bn1.running_var", "stem/bn/weight", Conversion.IDENTITY)        // duplicate of bn1.weight's target
          .build();
      WeightMapping combined = WeightMapping.builder()
          .ignore("num_batches_tracked$")
          .function(key -> m.target(key))
          .exact("conv1.weight", "stem/conv/kernel", Conversion.OIHW_TO_HWIO)
          .rule("bn1\\.(weight)", "stem/bn/$1", Conversion.IDENTITY)
          .function(key -> key.startsWith("fc.")
              ? Optional.of(new WeightMapping.Target("head/fc/" + key.substring(3), Conversion.PYTORCH))
              : Optional.empty())
          .build();
      WeightImportException e = assertThrows(WeightImportException.class, () -> WeightImport.plan(s, t.store(), combined));
      assertEquals(
          String.join("\n",
              "weight import: 7 problems (7 source tensors, 5 parameters); nothing was loaded",
              "  unexpected: layer9.weird [3] float32: no mapping rule matches",
              "  unknown parameter: fc.weigth [2, 4] float32 maps to head/fc/weigth, which the network does not have;"
                  + " did you mean head/fc/weight?",
              "  duplicate: bn1.running_var [2] float32 and bn1.weight both map to stem/bn/weight",
              "  conversion: conv1.weight [2] float32 -> stem/conv/kernel [1, 2, 3, 2]: conversion oihw->hwio does not apply"
                  + " (permutation [2, 3, 1, 0] has 4 axes, the shape [2] has 1)",
              "  shape: bn1.weight [3] float32 -(identity)-> [3] does not fit stem/bn/weight [2]",
              "  missing: stem/bn/running_var [2]: no source key maps to it",
              "  missing: stem/bn/bias [2]: no source key maps to it"),
          e.getMessage());
      assertEquals(7, e.problems().size());
      assertEquals(WeightImportException.Kind.UNEXPECTED, e.problems().get(0).kind());
      assertEquals("layer9.weird", e.problems().get(0).sourceKey());
      // Nothing was written: the variables still hold their initial values.
      assertArrayEquals(new float[] {1f, 1f}, t.eval(t.store().get("stem/bn/weight").variable()));
    }
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    Map<String, NpyArray> s = Map.of("w", NpyArray.ofFloats(new float[6], 3, 2));
    WeightMapping m = WeightMapping.builder().exact("w", "fc/weight", Conversion.LINEAR_TO_IN_OUT).build();
    WeightImportException e = assertThrows(WeightImportException.class,
        () -> WeightImport.plan(s, Map.of("fc/weight", new long[] {3, 2}), m));
    assertEquals("shape: w [3, 2] float32 -(linear [out,in]->[in,out])-> [2, 3] does not fit fc/weight [3, 2]",
        e.problems().get(0).toString());
    // Depthwise kernels through the generic PyTorch conversion land in the wrong axes; the check catches it.
    Map<String, NpyArray> dw = Map.of("dw", NpyArray.ofFloats(new float[27], 3, 1, 3, 3));
    WeightMapping generic = WeightMapping.builder().exact("dw", "dw/kernel", Conversion.PYTORCH).build();
    assertEquals(WeightImportException.Kind.SHAPE, assertThrows(WeightImportException.class,
        () -> WeightImport.plan(dw, Map.of("dw/kernel", new long[] {3, 3, 3, 1}), generic)).problems().get(0).kind());
    WeightMapping depthwise = WeightMapping.builder().exact("dw", "dw/kernel", Conversion.DEPTHWISE_OIHW_TO_HWCM).build();
    assertEquals(1, WeightImport.plan(dw, Map.of("dw/kernel", new long[] {3, 3, 3, 1}), depthwise).assignments().size());
  }

  @Test
  void keepInitialLetsNewParametersStay() {
    try (TfTest t = TfTest.create()) {
      network(t);
      Map<String, NpyArray> s = source();
      s.remove("fc.weight");
      WeightMapping m = WeightMapping.builder()
          .ignore("num_batches_tracked$")
          .exact("conv1.weight", "stem/conv/kernel", Conversion.OIHW_TO_HWIO)
          .table(Map.of("bn1.weight", "stem/bn/weight", "bn1.running_var", "stem/bn/running_var"), Conversion.IDENTITY)
          .keepInitial("head/.*")
          .build();
      ImportPlan plan = WeightImport.load(t.session(), t.store(), s, m);
      assertEquals(List.of("head/fc/weight"), plan.keptInitial());
      assertArrayEquals(new float[8], t.eval(t.store().get("head/fc/weight").variable()));
      assertArrayEquals(new float[] {0.25f, 4f}, t.eval(t.store().get("stem/bn/running_var").variable()));
    }
  }

  @Test
  void mappingRulesApplyInOrder() {
    WeightMapping m = WeightMapping.builder()
        .ignore("^fc\\.")
        .rule("layer(\\d)\\.(\\d+)\\.conv(\\d)\\.weight", "stage$1/block$2/conv$3/kernel", Conversion.OIHW_TO_HWIO)
        .rule("fc\\.weight", "never", Conversion.IDENTITY)
        .build();
    assertEquals(Optional.of(new WeightMapping.Target("stage3/block12/conv2/kernel", Conversion.OIHW_TO_HWIO)),
        m.target("layer3.12.conv2.weight"));
    assertTrue(m.ignores("fc.weight"));
    assertEquals(Optional.empty(), m.target("fc.weight"));
    assertEquals(Optional.empty(), m.target("xlayer3.12.conv2.weight")); // rules match whole keys
    assertTrue(!m.ignores("xlayer3.12.conv2.weight"));
    assertThrows(IllegalArgumentException.class, () -> WeightMapping.builder().rule("(", "x", Conversion.IDENTITY));
  }
}
