package io.saccade.runtime.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.blocks.MobileNetInvertedResidualSpec.Excitation;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.testing.TfTest;
import io.saccade.runtime.train.SgdMomentum;
import io.saccade.runtime.train.TrainOp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class MobileNetAfStageTest {

  private static final int FRAMES = 4;
  private static final int CLIPS = 2;

  /** A small stage: 16 → 24 channels, an SE block and a hard-swish block, fusion strided 2. */
  private static MobileNetAfStageSpec small() {
    return new MobileNetAfStageSpec(
        16,
        List.of(
            MobileNetInvertedResidualSpec.of(32, 24, 3).withSqueezeExcitation(Excitation.BEFORE_ACTIVATION),
            MobileNetInvertedResidualSpec.of(48, 24, 5).withHardSwish()),
        MobileNetInvertedResidualSpec.of(48, 24, 3).withStride(2),
        2,
        FRAMES,
        true,
        NavigationSpec.official(0.5f));
  }


  @Test
  void skippingFramesGivesTheMaskedResultWhileComputingFewerFramesAndCountsTheOfficialFlops() {
    MobileNetAfStageSpec spec = MobileNetAfStageSpec.officialStage2(FRAMES, NavigationSpec.official(0.5f));
    try (TfTest t = TfTest.create()) {
      var x = t.placeholder(CLIPS * FRAMES, 12, 12, 24);
      var tau = t.tf().constant(1f);
      AfStage.Result skip = MobileNetAfStage.build(t.ctx(Mode.INFERENCE).child("stage2"), x, spec, tau);
      int params = t.store().all().size();
      AfStage.Result masked =
          MobileNetAfStage.build(AfOptions.withFrameSkipping(t.ctx(Mode.INFERENCE), false).child("stage2"), x, spec, tau);
      assertEquals(params, t.store().all().size(), "both builds share every parameter");
      assertArrayEquals(new long[] {CLIPS * FRAMES, 6, 6, 40}, skip.output().shape().asArray());
      assertEquals(2, skip.selections().size());
      FocalPaths.steer(t, new boolean[] {true, false, false, true});
      float[] input = TfTest.randomFloats(3, CLIPS * FRAMES * 12 * 12 * 24, 1f);
      List<float[]> out =
          t.evalAll(
              Map.of(x, input),
              List.of(skip.output(), masked.output(), skip.computedFocalFrames(), masked.computedFocalFrames(),
                  skip.selections().get(1).mask(), skip.gflops(), masked.gflops()));
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
      // The official counter, summed by hand per frame at 12×12 (T = 4): nav0 3520, ample0 422568,
      // focal0 shortcut 69120, nav1 1536, ample1 465240, attention 6000, fusion 983640 → ×4 = 7806496;
      // focal branches 604008 and 1147800 per kept frame, 2 kept per clip in each → 3503616.
      double expected = (7806496 + 3503616) / 1e9;
      assertEquals(expected, out.get(5)[0], 1e-6 * expected);
      assertArrayEquals(out.get(5), out.get(6), 1e-9f);
    }
  }

  @Test
  void everyParameterTrainsAndOneStepLowersTheLoss() {
    try (TfTest t = TfTest.create()) {
      Ops tf = t.tf();
      var x = t.placeholder(CLIPS * FRAMES, 8, 8, 16);
      AfStage.Result train = MobileNetAfStage.build(t.ctx(Mode.TRAINING).child("stage2"), x, small(), tf.constant(1f));
      // The fusion block's stride 2: 8 → 4 pixels.
      assertArrayEquals(new long[] {CLIPS * FRAMES, 4, 4, 24}, train.output().shape().asArray());
      Set<String> names = new TreeSet<>();
      t.store().all().forEach(p -> names.add(p.name()));
      for (String n :
          List.of("stage2/nav1/conv_gs/bias", "stage2/ample/block0/se/fc1/kernel", "stage2/focal/block1/expand/conv/kernel",
              "stage2/focal/block0/shortcut/conv/kernel", "stage2/fusion/attention/fc2/bias",
              "stage2/fusion/block/project/bn/gamma")) {
        assertTrue(names.contains(n), n + " in " + names);
      }
      Operand<TFloat32> loss =
          tf.math.add(
              tf.math.mean(tf.math.square(train.output()), tf.constant(new int[] {0, 1, 2, 3})),
              tf.math.add(
                  tf.math.mean(train.selections().get(0).mask(), tf.constant(new int[] {0, 1})),
                  tf.math.mean(train.selections().get(1).mask(), tf.constant(new int[] {0, 1}))));
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


  /** Squeeze-and-excite before the activation (3×3) and after it (5×5, hard-swish), as f(0) must pool both exactly. */
  private static MobileNetAfStageSpec withExcitation() {
    return new MobileNetAfStageSpec(
        16,
        List.of(
            MobileNetInvertedResidualSpec.of(32, 24, 3).withSqueezeExcitation(Excitation.BEFORE_ACTIVATION),
            MobileNetInvertedResidualSpec.of(48, 24, 5).withHardSwish().withSqueezeExcitation(Excitation.AFTER_ACTIVATION),
            MobileNetInvertedResidualSpec.of(48, 24, 5).withSqueezeExcitation(Excitation.BEFORE_ACTIVATION)),
        MobileNetInvertedResidualSpec.of(48, 24, 3).withStride(2),
        2,
        FRAMES,
        true,
        NavigationSpec.official(0.5f));
  }

  @Test
  void skippingPathEqualsTheMaskedFormWithEverySomeOrNoFrameKeptAtEverySize() {
    // 12×12 and 8×8: f(0) on 3×3 and 5×5 frames, expanded, squeeze-and-excite pooling weighted; 5×5: the
    // 3×3 blocks reduced, the 5×5 ones at full size; 2×2 and 1×1: f(0) at full size.
    for (int size : new int[] {12, 8, 5, 2, 1}) {
      try (TfTest t = TfTest.create()) {
        var x = t.placeholder(CLIPS * FRAMES, size, size, 16);
        var tau = t.tf().constant(1f);
        AfStage.Result skip = MobileNetAfStage.build(t.ctx(Mode.INFERENCE).child("stage2"), x, withExcitation(), tau);
        AfStage.Result masked =
            MobileNetAfStage.build(
                AfOptions.withFrameSkipping(t.ctx(Mode.INFERENCE), false).child("stage2"), x, withExcitation(), tau);
        t.randomizeBatchNorms(200);
        float[] input = TfTest.randomFloats(size, CLIPS * FRAMES * size * size * 16, 1f);
        boolean[][] keeps = {{true, true, true, true}, {false, false, false, false}, {false, true, false, true}};
        float[] computed = {24, 3, 12}; // 3 blocks × (every frame of 2 clips, one dummy row, two frames per clip)
        FocalPaths.assertSkippingEqualsMasked(t, x, input, skip, masked, keeps, computed, size);
      }
    }
  }

  @Test
  void zeroFrameBranchEqualsTheBranchOnAFullZeroFrame() {
    // The block alone, f(0) against the branch on a real zero frame, with SE before and after the activation.
    for (Excitation se : new Excitation[] {Excitation.BEFORE_ACTIVATION, Excitation.AFTER_ACTIVATION}) {
      for (int size : new int[] {14, 7, 4}) {
        try (TfTest t = TfTest.create()) {
          MobileNetInvertedResidualSpec block =
              MobileNetInvertedResidualSpec.of(48, 24, 5).withHardSwish().withSqueezeExcitation(se).withGroups(2);
          var x = t.placeholder(3, size, size, 16);
          var ctx = t.ctx(Mode.INFERENCE).child("block");
          Operand<TFloat32> reduced = MobileNetAfStage.zeroFrameBranch(ctx, x, block);
          Operand<TFloat32> full =
              MobileNetV3.branch(ctx, t.tf().zeros(t.tf().constant(new long[] {1, size, size, 16}), TFloat32.class), block);
          assertArrayEquals(new long[] {1, size, size, 24}, reduced.shape().asArray());
          t.randomizeBatchNorms(200);
          List<float[]> out =
              t.evalAll(Map.of(x, new float[3 * size * size * 16]), List.of(reduced, full));
          for (int i = 0; i < out.get(1).length; i++) {
            assertEquals(out.get(1)[i], out.get(0)[i], 1e-5f * (1 + Math.abs(out.get(1)[i])), se + " " + size + "px [" + i + "]");
          }
        }
      }
    }
  }

  @Test
  void poolWeightsCountThePositionsEachReducedPositionStandsFor() {
    assertArrayEquals(new int[] {0, 1, 2, 2, 2, 3, 4}, AfStage.borderIndex(7, 5));
    // 7×5 frame on a 5×3 map: rows 1,1,3,1,1 and columns 1,3,1 of 35 positions.
    float[] w = MobileNetAfStage.poolWeights(7, 5, 5, 3);
    assertEquals(15, w.length);
    assertEquals(1f / 35, w[0], 1e-7f);
    assertEquals(3f / 35, w[1], 1e-7f);
    assertEquals(9f / 35, w[2 * 3 + 1], 1e-7f);
    double sum = 0;
    for (float v : w) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-6);
  }

  @Test
  void theCounterGivesThePublishedGflopsOfAfMobileNetV3() {
    // AF-MobileNetV3, 12 frames at 224², 174 classes, every frame kept: the paper's 2.32 GFLOPs.
    int frames = 12;
    int s = MobileNetV3.stemOutputSize(224);
    long perFrame = MobileNetV3.stemFlops(224, MobileNetV3.STEM_CHANNELS);
    int c = MobileNetV3.STEM_CHANNELS;
    for (int stage : new int[] {0, 1}) {
      List<MobileNetInvertedResidualSpec> blocks = MobileNetV3.afDenseStage(stage, frames);
      perFrame += MobileNetV3.featuresFlops(c, s, blocks);
      s = MobileNetV3.outputSize(s, blocks);
      c = blocks.get(blocks.size() - 1).out();
    }
    long focal = 0;
    NavigationSpec nav = NavigationSpec.official(0.5f);
    for (MobileNetAfStageSpec spec :
        List.of(MobileNetAfStageSpec.officialStage2(frames, nav), MobileNetAfStageSpec.officialStage3(frames, nav))) {
      int littleSize = s;
      int little = spec.inChannels();
      int big = spec.inChannels();
      for (int i = 0; i < spec.blocks().size(); i++) {
        perFrame += MobileNetAfStage.navigationFlopsPerFrame(little, littleSize, frames, false);
        MobileNetInvertedResidualSpec ample = MobileNetAfStage.ampleSpec(spec, i);
        perFrame += MobileNetV3.invertedResidualFlops(little, littleSize, ample);
        little = ample.out();
        littleSize = ample.outputSize(littleSize);
        MobileNetInvertedResidualSpec f = MobileNetAfStage.focalSpec(spec, i);
        perFrame += MobileNetV3.shortcutFlops(big, s, f);
        focal += MobileNetV3.branchFlops(big, s, f);
        big = f.out();
      }
      perFrame += MobileNetAfStage.attentionFlops(big, s)
          + MobileNetV3.invertedResidualFlops(big, s, MobileNetAfStage.fusionSpec(spec));
      s = MobileNetAfStage.outputSize(s, spec);
      c = spec.out();
    }
    for (int stage : new int[] {4, 5}) {
      List<MobileNetInvertedResidualSpec> blocks = MobileNetV3.afDenseStage(stage, frames);
      perFrame += MobileNetV3.featuresFlops(c, s, blocks);
      s = MobileNetV3.outputSize(s, blocks);
      c = blocks.get(blocks.size() - 1).out();
    }
    perFrame += MobileNetV3.lastConvFlops(c, MobileNetV3.LARGE_LAST_CHANNELS, s)
        + MobileNetV3.classifierFlops(MobileNetV3.LARGE_LAST_CHANNELS, MobileNetV3.LARGE_HIDDEN, 174);
    double allKept = frames * (perFrame + focal) / 1e9;
    assertEquals(2.32, allKept, 0.005);
    // The paper also lists 2.19 and 2.15 G for smaller ratios; 40 % and 25 % of the frames kept give 2.18 and 2.15.
    assertEquals(2.18, frames * (perFrame + 0.4 * focal) / 1e9, 0.01);
    assertEquals(2.15, frames * (perFrame + 0.25 * focal) / 1e9, 0.01);
  }

  @Test
  void badSpecsAndInputsFailWhileBuilding() {
    var block = MobileNetInvertedResidualSpec.of(32, 16, 3);
    var nav = NavigationSpec.official(0.5f);
    assertThrows(IllegalArgumentException.class, () -> new MobileNetAfStageSpec(16, List.of(), block, 2, 4, true, nav));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MobileNetAfStageSpec(16, List.of(block.withStride(2)), block, 2, 4, true, nav));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MobileNetAfStageSpec(16, List.of(block), block, 2, 4, true, new NavigationSpec(0.5f, false, 0.5f)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MobileNetAfStageSpec(15, List.of(block), block, 2, 4, true, nav));
    try (TfTest t = TfTest.create()) {
      var x = t.placeholder(8, 8, 8, 24);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> MobileNetAfStage.build(t.ctx(Mode.INFERENCE).child("s"), x, small(), t.tf().constant(1f)));
      assertTrue(e.getMessage().contains("16"), e.getMessage());
    }
  }
}
