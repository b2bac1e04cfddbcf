package io.saccade.runtime.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.saccade.runtime.testing.TfTest;
import java.util.List;
import java.util.Map;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Checks shared by the AF stage tests: steering navigation, and the frame-skipping path against the masked one. */
final class FocalPaths {

  private FocalPaths() {}

  /** Sets every navigation module's 2T bias so frame t is kept when keep[t] (by 9 logits), else dropped. */
  static void steer(TfTest t, boolean[] keep) {
    Navigation.setDecisions(t.session(), t.tf(), t.store(), keep, 9f);
  }

  /**
   * For each decision pattern {@code keeps[k]}: the skipping build's output equals the masked build's (to 1e-4
   * relative) and it computes {@code computed[k]} focal frames.
   */
  static void assertSkippingEqualsMasked(TfTest t, Placeholder<TFloat32> x, float[] input, AfStage.Result skip,
      AfStage.Result masked, boolean[][] keeps, float[] computed, int size) {
    for (int k = 0; k < keeps.length; k++) {
      steer(t, keeps[k]);
      List<float[]> out = t.evalAll(Map.of(x, input), List.of(skip.output(), masked.output(), skip.computedFocalFrames()));
      for (int i = 0; i < out.get(0).length; i++) {
        assertEquals(out.get(1)[i], out.get(0)[i], 1e-4f * (1 + Math.abs(out.get(1)[i])), size + "px, keep " + k + " [" + i + "]");
      }
      assertEquals(computed[k], out.get(2)[0], size + "px, keep " + k);
    }
  }
}
