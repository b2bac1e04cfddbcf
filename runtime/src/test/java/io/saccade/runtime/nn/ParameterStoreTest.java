package io.saccade.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.testing.TfTest;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class ParameterStoreTest {

  @Test
  void sameNameReturnsTheSameVariableAcrossBuilds() {
    try (TfTest t = TfTest.create()) {
      BuildContext train = t.ctx(Mode.TRAINING).child("stage1").child("conv1");
      BuildContext infer = t.ctx(Mode.INFERENCE).child("stage1").child("conv1");
      Parameter a = train.parameter("kernel", Parameter.Role.WEIGHT, Shape.of(3, 3, 4, 8), Initializer.normal(1f));
      Parameter b = infer.parameter("kernel", Parameter.Role.WEIGHT, Shape.of(3, 3, 4, 8), Initializer.normal(1f));
      assertSame(a, b);
      assertEquals("stage1/conv1/kernel", a.name());
      assertEquals("params/stage1/conv1/kernel", a.variable().op().name());
      assertEquals(1, t.store().all().size());
    }
  }

  @Test
  void initialValuesDependOnSeedAndNameOnly() {
    float[] first;
    try (TfTest t = TfTest.create(5)) {
      t.ctx(Mode.TRAINING).parameter("other", Parameter.Role.WEIGHT, Shape.of(4), Initializer.normal(1f));
      first = t.eval(t.ctx(Mode.TRAINING).parameter("w", Parameter.Role.WEIGHT, Shape.of(16), Initializer.normal(1f)).variable());
    }
    try (TfTest t = TfTest.create(5)) {
      float[] again = t.eval(t.ctx(Mode.TRAINING).parameter("w", Parameter.Role.WEIGHT, Shape.of(16), Initializer.normal(1f)).variable());
      assertArrayEquals(first, again);
    }
    try (TfTest t = TfTest.create(6)) {
      float[] other = t.eval(t.ctx(Mode.TRAINING).parameter("w", Parameter.Role.WEIGHT, Shape.of(16), Initializer.normal(1f)).variable());
      assertTrue(first[0] != other[0]);
    }
  }

  @Test
  void constantAndLearningRateMultiplier() {
    try (TfTest t = TfTest.create()) {
      Parameter bias =
          t.ctx(Mode.TRAINING).withLearningRateMultiplier(10f).child("nav").parameter(
              "bias", Parameter.Role.BIAS, Shape.of(3), Initializer.constant(2.5f));
      assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f}, t.eval(bias.variable()));
      assertEquals(10f, bias.learningRateMultiplier());
      assertEquals(false, bias.weightDecay());
      assertTrue(bias.trainable());
    }
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    try (TfTest t = TfTest.create()) {
      t.ctx(Mode.TRAINING).parameter("w", Parameter.Role.WEIGHT, Shape.of(2, 3), Initializer.zeros());
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> t.ctx(Mode.TRAINING).parameter("w", Parameter.Role.WEIGHT, Shape.of(3, 2), Initializer.zeros()));
      assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
    }
  }

  @Test
  void gradientHarnessAgreesWithSquare() {
    try (TfTest t = TfTest.create()) {
      double err =
          t.gradientError(
              in -> t.tf().math.square(in.get(0)),
              java.util.List.of(TfTest.randomFloats(1, 6, 1f)),
              java.util.List.of(new long[] {2, 3}),
              1e-2f,
              6);
      assertTrue(err < 1e-3, "relative error " + err);
    }
  }
}
