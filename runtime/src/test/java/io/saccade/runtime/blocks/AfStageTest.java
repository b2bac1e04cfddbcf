package io.saccade.runtime.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.testing.TfTest;
import io.saccade.runtime.train.SgdMomentum;
import io.saccade.runtime.train.TrainOp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class AfStageTest {

  private static final int FRAMES = 4;
  private static final int CLIPS = 2;

  private static AfStageSpec spec(boolean tsm) {
    return new AfStageSpec(3, 16, 32, 2, 2, 2, FRAMES, tsm, NavigationSpec.official(0.5f));
  }


  @Test
  void skippingFramesGivesTheMaskedResultWhileComputingFewerFrames() {
    for (boolean tsm : new boolean[] {false, true}) {
      try (TfTest t = TfTest.create()) {
        var x = t.placeholder(CLIPS * FRAMES, 8, 8, 16);
        var tau = t.tf().constant(1f);
        AfStage.Result skip = AfStage.build(t.ctx(Mode.INFERENCE).child("stage1"), x, spec(tsm), tau);
        int params = t.store().all().size();
        AfStage.Result masked =
            AfStage.build(AfOptions.withFrameSkipping(t.ctx(Mode.INFERENCE), false).child("stage1"), x, spec(tsm), tau);
        assertEquals(params, t.store().all().size(), "both builds share every parameter");
        FocalPaths.steer(t, new boolean[] {true, false, false, true});
        float[] input = TfTest.randomFloats(3, CLIPS * FRAMES * 8 * 8 * 16, 1f);
        List<float[]> out =
            t.evalAll(
                Map.of(x, input),
                List.of(skip.output(), masked.output(), skip.computedFocalFrames(), masked.computedFocalFrames(),
                    skip.selections().get(0).mask(), skip.gflops(), masked.gflops()));
        float[] a = out.get(0);
        float[] b = out.get(1);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
          worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
        }
        assertTrue(worst < 1e-4, "gather/scatter differs from the masked form by " + worst);
        assertArrayEquals(new float[] {1, 0, 0, 1, 1, 0, 0, 1}, out.get(4));
        // Two focal blocks, 2 of 4 frames kept in each of 2 clips: 8 frames computed instead of 16.
        assertEquals(8f, out.get(2)[0]);
        assertEquals(16f, out.get(3)[0]);
        // Same decisions, same dynamic cost: the counter reports what the skipping path spends.
        assertArrayEquals(out.get(5), out.get(6), 1e-6f);
      }
    }
  }

  @Test
  void spatialMasksTrainAndKeepBothInferencePathsEqual() {
    AfStageSpec spatial = new AfStageSpec(3, 16, 32, 2, 2, 2, FRAMES, true, new NavigationSpec(0.5f, true, 0.5f));
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      var x = t.placeholder(CLIPS * FRAMES, 8, 8, 16);
      AfStage.Result train = AfStage.build(t.ctx(Mode.TRAINING).child("stage1"), x, spatial, tf.constant(1f));
      assertEquals(4, train.selections().size(), "a frame mask and a spatial mask per navigation module");
      assertTrue(train.selections().get(1).spatial());
      Operand<TFloat32> loss = tf.math.mean(tf.math.square(train.output()), tf.constant(new int[] {0, 1, 2, 3}));
      for (var sel : train.selections()) {
        loss = tf.math.add(loss, tf.math.mean(sel.mask(), tf.constant(new int[] {0, 1})));
      }
      SgdMomentum.builder().build().minimize(tf, loss, t.store(), tf.constant(0.01f));
      AfStage.Result skip = AfStage.build(t.ctx(Mode.INFERENCE).child("stage1"), x, spatial, tf.constant(1f));
      AfStage.Result masked =
          AfStage.build(AfOptions.withFrameSkipping(t.ctx(Mode.INFERENCE), false).child("stage1"), x, spatial, tf.constant(1f));
      FocalPaths.steer(t, new boolean[] {false, true, true, false});
      float[] input = TfTest.randomFloats(7, CLIPS * FRAMES * 8 * 8 * 16, 1f);
      List<float[]> out = t.evalAll(Map.of(x, input), List.of(skip.output(), masked.output(), skip.gflops(), masked.gflops()));
      for (int i = 0; i < out.get(0).length; i++) {
        assertEquals(out.get(1)[i], out.get(0)[i], 1e-4f * (1 + Math.abs(out.get(1)[i])));
      }
      assertArrayEquals(out.get(3), out.get(2), 1e-6f);
    }
  }

  @Test
  void everyParameterTrainsAndOneStepLowersTheLoss() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      var x = t.placeholder(CLIPS * FRAMES, 8, 8, 16);
      AfStage.Result train = AfStage.build(t.ctx(Mode.TRAINING).child("stage1"), x, spec(true), tf.constant(1f));
      Operand<TFloat32> mask = train.selections().get(0).mask();
      // A loss that needs the focal branch, the fusion and the navigation (through the straight-through mask).
      Operand<TFloat32> loss =
          tf.math.add(
              tf.math.mean(tf.math.square(train.output()), tf.constant(new int[] {0, 1, 2, 3})),
              tf.math.mean(mask, tf.constant(new int[] {0, 1})));
      // minimize() names any parameter without a gradient path, so building it proves they all have one.
      TrainOp step = SgdMomentum.builder().momentum(0.9f).build().minimize(tf, loss, t.store(), tf.constant(0.05f));
      float[] input = TfTest.randomFloats(5, CLIPS * FRAMES * 8 * 8 * 16, 1f);
      float before = t.eval(Map.of(x, input), loss)[0];
      try (TFloat32 in = TFloat32.tensorOf(x.shape(), DataBuffers.of(input))) {
        t.session().runner().feed(x, in).addTarget(step).run();
      }
      float after = t.eval(Map.of(x, input), loss)[0];
      assertTrue(after < before, "loss " + before + " → " + after);
    }
  }


  @Test
  void skippingPathEqualsTheMaskedFormWithEveryOrNoFrameKeptAndAtTinySizes() {
    // 8×8 (f(0) expanded from 3×3), 2×2 and 1×1 frames (f(0) computed at full size).
    for (int size : new int[] {8, 2, 1}) {
      try (TfTest t = TfTest.create()) {
        var x = t.placeholder(CLIPS * FRAMES, size, size, 16);
        var tau = t.tf().constant(1f);
        AfStage.Result skip = AfStage.build(t.ctx(Mode.INFERENCE).child("stage1"), x, spec(true), tau);
        AfStage.Result masked =
            AfStage.build(AfOptions.withFrameSkipping(t.ctx(Mode.INFERENCE), false).child("stage1"), x, spec(true), tau);
        t.randomizeBatchNorms(100);
        float[] input = TfTest.randomFloats(size, CLIPS * FRAMES * size * size * 16, 1f);
        boolean[][] keeps = {{true, true, true, true}, {false, false, false, false}, {false, true, false, false}};
        float[] computed = {16, 2, 4}; // 2 blocks × (every frame of 2 clips, one dummy row, one frame per clip)
        FocalPaths.assertSkippingEqualsMasked(t, x, input, skip, masked, keeps, computed, size);
      }
    }
  }

  @Test
  void borderIndexMapsEveryPositionToCornerEdgeOrInterior() {
    assertArrayEquals(new int[] {0, 1, 1, 1, 2}, AfStage.borderIndex(5, 3));
    assertArrayEquals(new int[] {0, 2}, AfStage.borderIndex(2, 3));
    assertArrayEquals(new int[] {0, 1}, AfStage.borderIndex(2, 2));
    assertArrayEquals(new int[] {0}, AfStage.borderIndex(1, 1));
  }
}
