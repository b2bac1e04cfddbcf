package io.saccade.runtime.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What a built network returns.
 *
 * <p>The training loss is {@code Σ w_name · CE(name)} over the clip logits (name {@link #CLIP}) and every
 * auxiliary head, each weight {@link #lossWeight(String)} (1 unless {@link #lossWeights} says otherwise;
 * a weight of 0 drops the term). A rank-3 auxiliary {@code [N, T, classes]} is supervised per frame: its
 * cross-entropy is the mean over the T frames of each clip (the clip's label on every frame).
 *
 * <pre>{@code
 * // AFNet: clip logits only
 * return new ModelOutputs(logits.clipLogits(), logits.frameLogits(), selections, gflops, Map.of(), endpoints);
 * // AdaFocusV2: per-step heads of two passes, averaged
 * return new ModelOutputs(last, steps, List.of(), gflops, Map.of("steps", steps, "random/steps", randomSteps), Map.of())
 *     .withLossWeights(Map.of(ModelOutputs.CLIP, 0f, "steps", 0.5f, "random/steps", 0.5f));
 * }</pre>
 *
 * @param clipLogits {@code [N, classes]}: the clip prediction the loss and the metrics use
 * @param frameLogits {@code [N, T, classes]} per-frame logits, or {@code null} when the network has none
 * @param selections one entry per navigation layer, in forward order (empty for dense networks)
 * @param dynamicGflops {@code [N]}: the GFLOPs this build actually spends on each clip
 * @param auxiliaryLogits extra heads trained with cross-entropy next to {@code clipLogits}
 *     (AdaFocusV2's global and local heads), by name; each {@code [N, classes]}, or {@code [N, T, classes]}
 *     for per-frame supervision
 * @param endpoints intermediate tensors by name, mostly feature maps by stage name ({@code stem},
 *     {@code stage1}, …, each {@code [N·T, H, W, C]}): for feature extraction, visualisation and comparing
 *     with a reference implementation
 * @param lossWeights cross-entropy weight by name ({@link #CLIP} or an auxiliary's name); missing names
 *     weigh 1
 * @param exitScores {@code [N, T]} early-exit confidence after each processed frame (AdaFocusV2's
 *     conditional exit: the largest raw logit of step t), or {@code null} when the network has no early exit
 */
public record ModelOutputs(
    Operand<TFloat32> clipLogits,
    Operand<TFloat32> frameLogits,
    List<Selection> selections,
    Operand<TFloat32> dynamicGflops,
    Map<String, Operand<TFloat32>> auxiliaryLogits,
    Map<String, Operand<TFloat32>> endpoints,
    Map<String, Float> lossWeights,
    Operand<TFloat32> exitScores) {

  /** The name {@link #lossWeights} gives the clip logits' cross-entropy. */
  public static final String CLIP = "clip";

  public ModelOutputs {
    Objects.requireNonNull(clipLogits, "clipLogits");
    Objects.requireNonNull(dynamicGflops, "dynamicGflops");
    selections = List.copyOf(selections);
    // Insertion order kept: the loss adds the terms in this order, so runs are reproducible to the bit.
    auxiliaryLogits = Collections.unmodifiableMap(new LinkedHashMap<>(auxiliaryLogits));
    endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    lossWeights = Collections.unmodifiableMap(new LinkedHashMap<>(lossWeights));
    if (auxiliaryLogits.containsKey(CLIP)) {
      throw new IllegalArgumentException("an auxiliary head may not be called '" + CLIP + "' (the clip logits' name)");
    }
    for (Map.Entry<String, Float> e : lossWeights.entrySet()) {
      if (!e.getKey().equals(CLIP) && !auxiliaryLogits.containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "loss weight for '" + e.getKey() + "', which is neither '" + CLIP + "' nor an auxiliary head "
                + auxiliaryLogits.keySet());
      }
      float w = e.getValue();
      if (!(w >= 0f) || Float.isInfinite(w)) {
        throw new IllegalArgumentException("loss weight of '" + e.getKey() + "' must be finite and >= 0, got " + w);
      }
    }
  }

  /** Outputs with every loss weight 1 and no early exit. */
  public ModelOutputs(
      Operand<TFloat32> clipLogits,
      Operand<TFloat32> frameLogits,
      List<Selection> selections,
      Operand<TFloat32> dynamicGflops,
      Map<String, Operand<TFloat32>> auxiliaryLogits,
      Map<String, Operand<TFloat32>> endpoints) {
    this(clipLogits, frameLogits, selections, dynamicGflops, auxiliaryLogits, endpoints, Map.of(), null);
  }

  /** Outputs without named endpoints. */
  public ModelOutputs(
      Operand<TFloat32> clipLogits,
      Operand<TFloat32> frameLogits,
      List<Selection> selections,
      Operand<TFloat32> dynamicGflops,
      Map<String, Operand<TFloat32>> auxiliaryLogits) {
    this(clipLogits, frameLogits, selections, dynamicGflops, auxiliaryLogits, Map.of());
  }

  /** These outputs with the given cross-entropy weights (see {@link #lossWeights}). */
  public ModelOutputs withLossWeights(Map<String, Float> weights) {
    return new ModelOutputs(
        clipLogits, frameLogits, selections, dynamicGflops, auxiliaryLogits, endpoints, weights, exitScores);
  }

  /** These outputs with early-exit scores {@code [N, T]} (see {@link #exitScores}). */
  public ModelOutputs withExitScores(Operand<TFloat32> scores) {
    return new ModelOutputs(
        clipLogits, frameLogits, selections, dynamicGflops, auxiliaryLogits, endpoints, lossWeights,
        Objects.requireNonNull(scores, "scores"));
  }

  /** The cross-entropy weight of {@link #CLIP} or of an auxiliary head: 1 unless set. */
  public float lossWeight(String name) {
    return lossWeights.getOrDefault(Objects.requireNonNull(name, "name"), 1f);
  }

  /**
   * One navigation layer's decision.
   *
   * @param name the layer's path, e.g. {@code stage1/nav0}
   * @param mask {@code [N, T]} with 1 where a frame (or a spatial cell, for spatial masks) was computed;
   *     straight-through in training, so it carries gradients
   * @param targetRatio the declared target ratio RT (or RS) that the ratio loss pulls the mean towards
   * @param spatial whether this is a spatial mask ({@code [N, T, h, w]}) rather than a frame mask
   */
  public record Selection(String name, Operand<TFloat32> mask, float targetRatio, boolean spatial) {
    public Selection {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(mask, "mask");
      if (!(targetRatio > 0f && targetRatio <= 1f)) {
        throw new IllegalArgumentException("targetRatio of " + name + " must be in (0, 1], got " + targetRatio);
      }
    }
  }
}
