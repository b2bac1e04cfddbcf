package io.saccade.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class ClipBatchTest {

  @Test
  void stacksClipsAndBecomesTensors() {
    SyntheticMotionDataset d = SyntheticMotionDataset.builder().size(16).frames(3).keyFrames(2).classes(4).clips(8).build();
    ClipBatch b = ClipBatch.of(List.of(d.sample(1), d.sample(6)));
    assertArrayEquals(new long[] {2, 3, 16, 16, 3}, b.shape());
    assertArrayEquals(new int[] {1, 2}, b.labels());
    assertArrayEquals(d.sample(6).data(), b.clip(1).data());
    try (TFloat32 x = b.toTensor(); TInt32 y = b.labelsTensor(); TFloat32 hot = b.oneHotLabels(4)) {
      assertArrayEquals(new long[] {2, 3, 16, 16, 3}, x.shape().asArray());
      assertEquals(d.sample(6).get(2, 5, 7, 1), x.getFloat(1, 2, 5, 7, 1));
      assertEquals(d.sample(1).get(0, 0, 0, 0), x.getFloat(0, 0, 0, 0, 0));
      assertEquals(2, y.getInt(1));
      assertEquals(1f, hot.getFloat(1, 2));
      assertEquals(0f, hot.getFloat(1, 1));
    }
  }
}
