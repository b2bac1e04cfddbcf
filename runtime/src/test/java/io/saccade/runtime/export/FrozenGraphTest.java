package io.saccade.runtime.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.blocks.AfStage;
import io.saccade.runtime.blocks.AfStageSpec;
import io.saccade.runtime.blocks.Navigation;
import io.saccade.runtime.blocks.NavigationSpec;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.testing.TfTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

class FrozenGraphTest {

  @Test
  void frozenAfStageGivesTheSameOutputsWithoutVariablesAndIgnoresLaterChanges() {
    try (TfTest t = TfTest.create()) {
      var x = t.placeholder(8, 8, 8, 16);
      AfStageSpec spec = new AfStageSpec(3, 16, 32, 2, 2, 2, 4, true, NavigationSpec.official(0.5f));
      AfStage.Result skip = AfStage.build(t.ctx(Mode.INFERENCE).child("stage1"), x, spec, t.tf().constant(1f));
      Navigation.setDecisions(t.session(), t.tf(), t.store(), new boolean[] {true, false, false, true}, 9f);
      var r = t.session().runner();
      int seed = 1;
      for (Parameter p : t.store().all()) {
        if (p.role() == Parameter.Role.BN_OFFSET) {
          r.addTarget(t.tf().assign(p.variable(), t.tf().constant(p.shape(), DataBuffers.of(TfTest.randomFloats(seed++, (int) p.size(), 0.5f)))));
        }
      }
      r.run();
      float[] input = TfTest.randomFloats(3, 8 * 8 * 8 * 16, 1f);
      float[] expected = t.eval(Map.of(x, input), skip.output());
      try (FrozenGraph frozen = FrozenGraph.freeze(t.session(), t.graph(), List.of(skip.output()), null)) {
        assertTrue(frozen.variablesFrozen() > 20, "frozen " + frozen.variablesFrozen());
        frozen.graph().operations().forEachRemaining(
            op -> assertFalse(((GraphOperation) op).type().startsWith("Variable"), "variable left: " + op.name()));
        // Changing a variable afterwards does not reach the frozen copy.
        Navigation.setDecisions(t.session(), t.tf(), t.store(), new boolean[] {true, true, true, true}, 9f);
        try (TFloat32 in = TFloat32.tensorOf(x.shape(), DataBuffers.of(input));
            Result res = frozen.session().runner().feed(frozen.output(x), in).fetch(frozen.output(skip.output())).run()) {
          float[] actual = TfTest.toFloats(res.get(0));
          assertEquals(expected.length, actual.length);
          for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5f * (1 + Math.abs(expected[i])), "[" + i + "]");
          }
        }
      }
    }
  }
}
