package io.saccade.runtime.blocks;

import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.testing.TfTest;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ScratchFlopsTest {
  @Test
  void flops() {
    int T = 12, S = 224;
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      var input = t.placeholder(T, S, S, 3);
      BuildContext ctx = t.ctx(Mode.INFERENCE);
      Operand<TFloat32> x = ResNet.stem(ctx.child("stem"), input);
      double constant = T * ResNet.stemFlops(S);
      Operand<TFloat32> g = tf.constant(0f);
      int[][] cfg = {{3, 64, 256, 2}, {4, 256, 512, 2}, {6, 512, 1024, 1}};
      for (int s = 0; s < 3; s++) {
        AfStage.Result r = AfStage.build(ctx.child("stage" + (s + 1)), x,
            new AfStageSpec(cfg[s][0], cfg[s][1], cfg[s][2], 2, 2, cfg[s][3], T, true, NavigationSpec.official(0.5f)), tf.constant(1f));
        x = r.output();
        g = tf.math.add(g, r.gflops());
      }
      int size = (int) x.shape().get(1);
      int in = 1024;
      for (int b = 0; b < 3; b++) {
        BottleneckSpec spec = BottleneckSpec.of(512, 2048).withShortcut(BottleneckSpec.Shortcut.AVG_POOL_CONV).withStride(b == 0 ? 2 : 1);
        constant += T * ResNet.bottleneckFlops(in, size, spec);
        size = ResNet.outputSize(size, spec.stride()); in = 2048;
      }
      constant += T * Heads.tsnFlops(2048, size, size, 174);
      float[] stagesG = t.evalAll(Map.of(input, new float[T * S * S * 3]), List.of(g)).get(0);
      System.out.println("AF stages GFLOPs " + Arrays.toString(stagesG) + " + constant " + constant / 1e9 + " = " + (stagesG[0] + constant / 1e9));
    }
  }
}
