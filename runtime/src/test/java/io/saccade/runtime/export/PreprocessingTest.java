package io.saccade.runtime.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.saccade.runtime.data.SegmentSampler;
import io.saccade.runtime.data.SyntheticMotionDataset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

  /** An AdaFocusV2's glance and focus frames: recorded with the run and the export, sampled set after set. */
  @Test
  void frameSetsAreRecordedAndSampledSetAfterSet() {
    Preprocessing p = Preprocessing.of(SyntheticMotionDataset.builder().frames(8).frameSets(List.of(8, 12)).build());
    assertEquals(20, p.frames());
    assertEquals(List.of(8, 12), p.frameSets());
    Map<String, Object> json = p.toJson();
    assertEquals(List.of(8, 12), json.get("frame_sets"));
    assertEquals(p, Preprocessing.fromJson(io.saccade.runtime.io.Json.parse(io.saccade.runtime.io.Json.write(json))));
    int[] picked = p.frameIndices(120);
    assertArrayEquals(SegmentSampler.evalIndices(120, 8, 0, 1), Arrays.copyOf(picked, 8));
    assertArrayEquals(SegmentSampler.evalIndices(120, 12, 0, 1), Arrays.copyOfRange(picked, 8, 20));
    // one set: the JSON of earlier versions, read back the same
    Preprocessing one = Preprocessing.assumed(8, 224);
    assertFalse(one.toJson().containsKey("frame_sets"));
    assertEquals(List.of(8), Preprocessing.fromJson(io.saccade.runtime.io.Json.parse(io.saccade.runtime.io.Json.write(one.toJson()))).frameSets());
    assertEquals(List.of(8, 12), Preprocessing.assumed(List.of(8, 12), 224).frameSets());
    assertThrows(IllegalArgumentException.class, () -> new Preprocessing(Preprocessing.UNKNOWN, 20, 224, List.of(0.5, 0.5, 0.5),
        List.of(0.2, 0.2, 0.2), null, 0, List.of(8, 8)));
  }
}
