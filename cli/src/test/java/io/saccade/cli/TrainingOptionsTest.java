package io.saccade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.train.RatioCurriculum;
import org.junit.jupiter.api.Test;

class TrainingOptionsTest {

  @Test
  void aRatioCurriculumIsTwoEpochs() {
    RatioCurriculum c = TrainingOptions.curriculum("3:6");
    assertEquals(new RatioCurriculum(0, 3, 6), c);
    assertEquals(1.0, c.at(2), 0, "every frame kept before BEGIN");
    assertEquals(0.0, c.at(6), 0, "the target ratio from END");
  }

  @Test
  void aMalformedCurriculumNamesTheOptionAndTheText() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingOptions.curriculum("3-6"));
    assertTrue(e.getMessage().contains("--ratio-curriculum") && e.getMessage().contains("'3-6'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TrainingOptions.curriculum("6:3"));
    assertTrue(e.getMessage().startsWith("--ratio-curriculum 6:3: need 0 <= beginEpoch <= endEpoch"), e.getMessage());
  }

  @Test
  void anEncoderStartNamesItsFile() {
    Exception e = assertThrows(Exception.class, () -> TrainingOptions.initialWeights("global=/no/such/mobilenet_v2.npz"));
    assertTrue(e.getMessage().contains("/no/such/mobilenet_v2.npz"), e.getMessage());
  }
}
