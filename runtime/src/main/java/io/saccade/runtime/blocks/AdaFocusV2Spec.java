package io.saccade.runtime.blocks;

import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.Interpolation;
import io.saccade.dsl.PatchPolicy;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link AdaFocusV2#build} needs besides the two encoders: the sizes the processor checked at
 * compile time.
 *
 * <pre>{@code
 * // Mini-Kinetics, MobileNetV2 → ResNet-50, patch 128, conditional exit
 * static final AdaFocusV2Spec SPEC = new AdaFocusV2Spec(16, 200, 224, 224, 128, true, Interpolation.BILINEAR,
 *     64, 2048, 4096, 0.2f, Optional.of(FrameOrder.COARSE_TO_FINE), 27.0);
 * // Something-Something, one patch per clip, the local CNN on 12 frames sampled apart from the glance's 8
 * static final AdaFocusV2Spec SSV1 = new AdaFocusV2Spec(8, 12, 174, 224, 224, 128, false, Interpolation.BILINEAR,
 *     64, 1024, 4096, 0.5f, Optional.empty(), 18.5);
 * }</pre>
 *
 * @param frames frames per clip T the global CNN glances at (the recurrent variant's steps)
 * @param focusFrames Tf, frames per clip the local CNN sees: T recurrent; per clip, when it differs from T the
 *     input clip holds {@code T + Tf} frames, the glance's T then the focus network's Tf (the official
 *     Something-Something/Jester code samples int(1.5·T) focus frames apart from the glance's); Tf = T runs
 *     both CNNs on the same T frames
 * @param classes number of classes
 * @param inputSize side in pixels of the input frames, which the patches are cropped from
 * @param globalInputSize side in pixels of the frames the global CNN sees, at most {@code inputSize};
 *     smaller frames are resized bilinearly with aligned corners (the official ResNet-50 glance at 96)
 * @param patchSize side in pixels of the square patch, at most {@code inputSize}
 * @param recurrent true: a GRU policy gives one patch per frame and a per-step classifier with a running
 *     max over time (ActivityNet, FCVID, Mini-Kinetics); false: one patch per clip from all frames' maps
 *     and TSN-averaged global + local logits (Something-Something, Jester)
 * @param interpolation how the patch is sampled; {@link Interpolation#NEAREST} copies pixels at
 *     inference and is trained straight-through (nearest forward, bilinear gradient) so the policy learns
 * @param policyChannels channels of the policy's 1×1 conv on the global feature map (official 64)
 * @param policyHidden recurrent: the width of the policy's features and of its GRU (official 2048,
 *     {@link PatchPolicy#OFFICIAL_RECURRENT_HIDDEN}); non-recurrent: the first of its two hidden layers, the
 *     second being half as wide (official 1024 → 512, {@link PatchPolicy#OFFICIAL_CLIP_HIDDEN})
 * @param hidden width of the recurrent classifier's hidden layer (official 4096,
 *     {@link io.saccade.dsl.Classifier#OFFICIAL_HIDDEN}); unused when not recurrent
 * @param dropout dropout rate before every linear head, in [0, 1) (official 0.2 recurrent, 0.5 otherwise)
 * @param exitOrder with a value, the order frames are processed in and the per-step exit scores exposed
 *     ({@link io.saccade.runtime.model.ModelOutputs#exitScores}); recurrent only
 * @param gflopsPerClip the compile-time cost of one clip, what {@code dynamicGflops} reports
 */
public record AdaFocusV2Spec(
    int frames,
    int focusFrames,
    int classes,
    int inputSize,
    int globalInputSize,
    int patchSize,
    boolean recurrent,
    Interpolation interpolation,
    int policyChannels,
    int policyHidden,
    int hidden,
    float dropout,
    Optional<FrameOrder> exitOrder,
    double gflopsPerClip) {

  public AdaFocusV2Spec {
    Objects.requireNonNull(interpolation, "interpolation");
    Objects.requireNonNull(exitOrder, "exitOrder (use Optional.empty() for no conditional exit)");
    positive("frames", frames);
    positive("focusFrames", focusFrames);
    if (recurrent && focusFrames != frames) {
      throw new IllegalArgumentException(
          "the recurrent policy gives one patch per glance frame: focusFrames must be frames = " + frames + ", got " + focusFrames);
    }
    positive("classes", classes);
    positive("inputSize", inputSize);
    positive("policyChannels", policyChannels);
    positive("hidden", hidden);
    if (globalInputSize < 1 || globalInputSize > inputSize) {
      throw new IllegalArgumentException(
          "globalInputSize must be in [1, inputSize = " + inputSize + "], got " + globalInputSize);
    }
    if (patchSize < 1 || patchSize > inputSize) {
      throw new IllegalArgumentException("patchSize must be in [1, inputSize = " + inputSize + "], got " + patchSize);
    }
    if (policyHidden < (recurrent ? 1 : 2)) {
      throw new IllegalArgumentException(
          "policyHidden must be >= " + (recurrent ? 1 : 2) + (recurrent ? "" : " (its second layer is half as wide)")
              + ", got " + policyHidden);
    }
    if (!(dropout >= 0f && dropout < 1f)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    if (exitOrder.isPresent() && !recurrent) {
      throw new IllegalArgumentException(
          "a conditional exit (" + exitOrder.get() + ") needs the recurrent policy: the non-recurrent variant"
              + " predicts once per clip");
    }
    if (!(gflopsPerClip >= 0) || Double.isInfinite(gflopsPerClip)) {
      throw new IllegalArgumentException("gflopsPerClip must be finite and >= 0, got " + gflopsPerClip);
    }
  }

  /** A spec whose local CNN sees the glance's own T frames ({@code focusFrames = frames}). */
  public AdaFocusV2Spec(
      int frames,
      int classes,
      int inputSize,
      int globalInputSize,
      int patchSize,
      boolean recurrent,
      Interpolation interpolation,
      int policyChannels,
      int policyHidden,
      int hidden,
      float dropout,
      Optional<FrameOrder> exitOrder,
      double gflopsPerClip) {
    this(frames, frames, classes, inputSize, globalInputSize, patchSize, recurrent, interpolation, policyChannels, policyHidden,
        hidden, dropout, exitOrder, gflopsPerClip);
  }

  /** Whether the focus frames are a set of their own, after the glance's T in the input clip. */
  public boolean separateFocusFrames() {
    return focusFrames != frames;
  }

  /** Frames of an input clip: T, or T + Tf with {@link #separateFocusFrames()}. */
  public int clipFrames() {
    return separateFocusFrames() ? frames + focusFrames : frames;
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
  }
}
