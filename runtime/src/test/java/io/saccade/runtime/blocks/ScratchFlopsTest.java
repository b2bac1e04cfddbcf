package io.saccade.runtime.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.saccade.architecture.Cost;
import io.saccade.architecture.CostModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.testing.TfTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * AF-ResNet-50's stages 1-3 on 12 frames of 224²: at initialisation inference keeps every frame of a zero
 * clip, so the stages' dynamic GFLOPs equal the shared cost model's at RT = 1 (what the processor's
 * Sizer computes for them).
 */
class ScratchFlopsTest {
  @Test
  void afStagesSpendTheCostModelsAllKeptCost() {
    int T = 12, S = 224;
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      var input = t.placeholder(T, S, S, 3);
      BuildContext ctx = t.ctx(Mode.INFERENCE);
      Operand<TFloat32> x = ResNet.stem(ctx.child("stem"), input);
      Operand<TFloat32> g = tf.constant(0f);
      Cost expected = new Cost();
      int size = ResNet.outputSize(ResNet.outputSize(S, 2), 2);
      int[][] cfg = {{3, 64, 256, 2}, {4, 256, 512, 2}, {6, 512, 1024, 1}};
      for (int s = 0; s < 3; s++) {
        AfStageSpec spec = new AfStageSpec(cfg[s][0], cfg[s][1], cfg[s][2], 2, 2, cfg[s][3], T, true, NavigationSpec.official(0.5f));
        AfStage.Result r = AfStage.build(ctx.child("stage" + (s + 1)), x, spec, tf.constant(1f));
        x = r.output();
        g = tf.math.add(g, r.gflops());
        size = CostModel.afStage(expected, spec.layout(), size, T, T, false, false);
      }
      float[] stages = t.evalAll(Map.of(input, new float[T * S * S * 3]), List.of(g)).get(0);
      assertEquals(expected.gflops(), stages[0], expected.gflops() * 1e-5);
    }
  }
}
