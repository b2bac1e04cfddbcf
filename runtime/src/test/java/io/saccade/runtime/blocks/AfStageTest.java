package io.saccade.runtime.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.testing.TfTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class AfStageTest {

  private static final int FRAMES = 4;

  private static AfStageSpec spec(boolean tsm) {
    return new AfStageSpec(3, 16, 32, 2, 2, 2, FRAMES, tsm, NavigationSpec.official(0.5f));
  }

  @Test
  void buildsInBothModesWithSharedParameters() {
    try (TfTest t = TfTest.create()) {
      var x = t.placeholder(2 * FRAMES, 8, 8, 16);
      var tau = t.tf().constant(1f);
      AfStage.Result train = AfStage.build(t.ctx(Mode.TRAINING).child("stage1"), x, spec(true), tau);
      int params = t.store().all().size();
      AfStage.Result infer = AfStage.build(t.ctx(Mode.INFERENCE).child("stage1"), x, spec(true), tau);
      assertEquals(params, t.store().all().size(), "the inference build must reuse every parameter");
      assertArrayEquals(new long[] {8, 4, 4, 32}, infer.output().shape().asArray());
      assertEquals(2, infer.selections().size());
      float[] input = TfTest.randomFloats(3, 2 * FRAMES * 8 * 8 * 16, 1f);
      List<float[]> out =
          t.evalAll(Map.of(x, input), List.of(train.output(), infer.output(), infer.gflops(), infer.computedFocalFrames()));
      assertEquals(2 * FRAMES * 4 * 4 * 32, out.get(0).length);
      // Every frame starts selected (bias 1 vs 10), so inference computes all frames of both focal blocks.
      assertEquals(2 * 2 * FRAMES, out.get(3)[0]);
    }
  }
}
