package io.saccade.runtime.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.testing.TfTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadsTest {

  @Test
  void tsnAveragesFrameLogitsAndTrainsTheClassifierFasterAsTheOfficialRecipe() {
    try (TfTest t = TfTest.create()) {
      var features = t.placeholder(2 * 3, 2, 2, 4); // 2 clips × 3 frames
      Heads.Logits logits = Heads.tsn(t.ctx(Mode.INFERENCE).child("head"), features, 3, 5, 0.5f);
      assertEquals(5f, t.store().get("head/fc/weight").learningRateMultiplier());
      assertEquals(10f, t.store().get("head/fc/bias").learningRateMultiplier());
      assertEquals(true, t.store().get("head/fc/weight").weightDecay());
      assertEquals(false, t.store().get("head/fc/bias").weightDecay());
      float[] x = TfTest.randomFloats(2, 6 * 2 * 2 * 4, 1f);
      List<float[]> out = t.evalAll(Map.of(features, x), List.of(logits.frameLogits(), logits.clipLogits()));
      assertArrayEquals(new long[] {2, 3, 5}, logits.frameLogits().shape().asArray());
      for (int clip = 0; clip < 2; clip++) {
        for (int k = 0; k < 5; k++) {
          float mean = 0;
          for (int f = 0; f < 3; f++) {
            mean += out.get(0)[(clip * 3 + f) * 5 + k] / 3f;
          }
          assertEquals(mean, out.get(1)[clip * 5 + k], 1e-6f);
        }
      }
    }
  }
}
