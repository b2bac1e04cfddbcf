package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SchedulesTest {

  private static final double EXACT = 1e-12;

  @Test
  void afnetStepDecayDividesByTenAtEpochs25And45() {
    LearningRateSchedule lr = LearningRateSchedule.afnet(100);
    assertEquals(0.01, lr.at(0), EXACT);
    assertEquals(0.01, lr.at(2499), EXACT);
    assertEquals(0.001, lr.at(2500), EXACT);
    assertEquals(0.001, lr.at(4499), EXACT);
    assertEquals(0.0001, lr.at(4500), EXACT);
    assertEquals(0.0001, lr.at(5499), EXACT);
    assertThrows(IllegalArgumentException.class, () -> lr.at(-1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(0.1, 0.1, 50, 20));
    assertTrue(e.getMessage().contains("[50, 20]"), e.getMessage());
  }

  @Test
  void warmupThenCosineToFloor() {
    LearningRateSchedule lr = LearningRateSchedule.warmupCosine(0.1, 10, 110, 0.01);
    assertEquals(0.01, lr.at(0), EXACT); // 0.1·1/10
    assertEquals(0.05, lr.at(4), EXACT); // 0.1·5/10
    assertEquals(0.1, lr.at(9), EXACT);
    assertEquals(0.1, lr.at(10), EXACT); // cosine starts at the base
    assertEquals(0.01 + 0.09 * 0.5, lr.at(60), EXACT); // half way: cos(π/2) = 0
    assertEquals(0.01 + 0.09 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), lr.at(35), EXACT);
    assertEquals(0.01, lr.at(110), EXACT);
    assertEquals(0.01, lr.at(10_000), EXACT);
    // Official AFNet 'cos' (per epoch): 0.5·lr·(1 + cos(π·epoch/epochs)).
    LearningRateSchedule cos = LearningRateSchedule.cosine(0.01, 55);
    assertEquals(0.5 * 0.01 * (1 + Math.cos(Math.PI * 20 / 55)), cos.at(20), EXACT);
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupCosine(0.1, 10, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupCosine(0.1, 0, 10, 0.2));
    assertEquals(0.3, LearningRateSchedule.constant(0.3).at(12345), EXACT);
  }

  @Test
  void afnetTemperatureAnnealsExponentiallyThenHoldsT1() {
    // 100 iterations per epoch: anneal over 5000 iterations from 1 to 0.01.
    TemperatureSchedule tau = TemperatureSchedule.afnet(100);
    assertEquals(1.0, tau.at(0), EXACT);
    assertEquals(0.1, tau.at(2500), EXACT); // half way in the exponent: (0.01)^(1/2)
    assertEquals(Math.pow(0.01, 1234.0 / 5000), tau.at(1234), EXACT);
    // The official code: alpha = (t1/t0)^(1/T_total); temp = alpha^T_cur · t0, epoch 7, iteration 42.
    double alpha = Math.pow(0.01 / 1.0, 1.0 / (50 * 100));
    assertEquals(Math.pow(alpha, 7 * 100 + 42) * 1.0, tau.at(742), 1e-12);
    assertEquals(0.01, tau.at(5000), EXACT);
    assertEquals(0.01, tau.at(5499), EXACT);
    // Default of the official argparse (t0 = 5) with a custom length.
    TemperatureSchedule five = TemperatureSchedule.exponential(5.0, 0.01, 1000);
    assertEquals(5.0 * Math.pow(0.002, 0.3), five.at(300), EXACT);
  }

  @Test
  void temperatureRejectsRisingOrNonPositiveValuesNamingThem() {
    IllegalArgumentException rising =
        assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.exponential(0.5, 1.0, 100));
    assertTrue(rising.getMessage().contains("t0 = 0.5") && rising.getMessage().contains("t1 = 1.0"), rising.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.exponential(1.0, 0.0, 100));
    assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.exponential(1.0, 0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> TemperatureSchedule.constant(-1));
    assertEquals(0.5, TemperatureSchedule.exponential(0.5, 0.5, 10).at(3), EXACT);
  }

  @Test
  void afnetRatioCurriculum() {
    RatioCurriculum rt = RatioCurriculum.afnet(0.4);
    assertEquals(1.0, rt.at(0), EXACT);
    assertEquals(1.0, rt.at(9), EXACT);
    assertEquals(0.4 + 0.6 * 2 / 3, rt.at(10), EXACT); // 0.8
    assertEquals(0.8, rt.at(14), 1e-15);
    assertEquals(0.6, rt.at(15), 1e-15);
    assertEquals(0.6, rt.at(19), 1e-15);
    assertEquals(0.4, rt.at(20), EXACT);
    assertEquals(0.4, rt.at(54), EXACT);
    // Configurable epochs, with the official integer midpoint: 5 + (10 − 5)/2 = 7.
    RatioCurriculum custom = new RatioCurriculum(0.25, 5, 10);
    assertEquals(0.75, custom.at(6), EXACT);
    assertEquals(0.5, custom.at(7), EXACT);
    assertEquals(0.25, custom.at(10), EXACT);
    assertThrows(IllegalArgumentException.class, () -> RatioCurriculum.afnet(1.5));
    assertThrows(IllegalArgumentException.class, () -> new RatioCurriculum(0.5, 20, 10));
    assertThrows(IllegalArgumentException.class, () -> rt.at(-1));
  }
}
