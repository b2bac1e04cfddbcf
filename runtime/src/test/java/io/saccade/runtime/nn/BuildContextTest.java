package io.saccade.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.blocks.AfOptions;
import io.saccade.runtime.testing.TfTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The layer context is generic: a family's options travel as typed extensions that children inherit. */
class BuildContextTest {

  /** An extension of some other family of blocks, unknown to the layer context. */
  record Budget(int frames) {}

  @Test
  void anExtensionIsInheritedByChildrenAndSurvivesTheOtherWithMethods() {
    try (TfTest t = TfTest.create()) {
      BuildContext root = t.ctx(Mode.INFERENCE);
      assertEquals(Optional.empty(), root.extension(Budget.class));
      BuildContext carrying = root.with(Budget.class, new Budget(4));
      BuildContext below = carrying.child("stage1").withLearningRateMultiplier(0.5f).withMode(Mode.TRAINING)
          .withNoiseKey("random").child("block0");
      assertEquals(Optional.of(new Budget(4)), below.extension(Budget.class));
      assertEquals("stage1/block0", below.path());
      assertEquals(0.5f, below.learningRateMultiplier());
      assertTrue(below.training());
      assertEquals(Optional.empty(), root.extension(Budget.class), "the parent is unchanged");
      assertEquals(Optional.of(new Budget(2)), below.with(Budget.class, new Budget(2)).extension(Budget.class), "replaced below");
    }
  }

  @Test
  void afnetOptionsAreOneExtensionAmongOthers() {
    try (TfTest t = TfTest.create()) {
      BuildContext root = t.ctx(Mode.INFERENCE);
      assertEquals(AfOptions.DEFAULT, AfOptions.of(root));
      assertEquals(9f, AfOptions.of(root).keepMargin(9f), "declared margin without an override");
      BuildContext masked = AfOptions.withFrameSkipping(root.with(Budget.class, new Budget(3)), false);
      BuildContext both = AfOptions.withKeepMargin(masked, 2f).child("stage1");
      assertFalse(AfOptions.of(both).skipFrames(), "the margin override keeps the skipping setting");
      assertEquals(2f, AfOptions.of(both).keepMargin(9f));
      assertEquals(Optional.of(new Budget(3)), both.extension(Budget.class), "other extensions untouched");
      assertThrows(IllegalArgumentException.class, () -> AfOptions.withKeepMargin(root, 0f));
    }
  }
}
