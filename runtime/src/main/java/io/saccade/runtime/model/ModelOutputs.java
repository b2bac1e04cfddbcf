package io.saccade.runtime.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What a built network returns.
 *
 * @param clipLogits {@code [N, classes]}: the clip prediction the loss and the metrics use
 * @param frameLogits {@code [N, T, classes]} per-frame logits, or {@code null} when the network has none
 * @param selections one entry per navigation layer, in forward order (empty for dense networks)
 * @param dynamicGflops {@code [N]}: the GFLOPs this build actually spends on each clip
 * @param auxiliaryLogits extra heads trained with cross-entropy next to {@code clipLogits}
 *     (AdaFocusV2's global and local heads), by name; each {@code [N, classes]}
 * @param endpoints intermediate feature maps by stage name ({@code stem}, {@code stage1}, …), each
 *     {@code [N·T, H, W, C]}: for feature extraction and for comparing with a reference implementation
 */
public record ModelOutputs(
    Operand<TFloat32> clipLogits,
    Operand<TFloat32> frameLogits,
    List<Selection> selections,
    Operand<TFloat32> dynamicGflops,
    Map<String, Operand<TFloat32>> auxiliaryLogits,
    Map<String, Operand<TFloat32>> endpoints) {

  public ModelOutputs {
    Objects.requireNonNull(clipLogits, "clipLogits");
    Objects.requireNonNull(dynamicGflops, "dynamicGflops");
    selections = List.copyOf(selections);
    auxiliaryLogits = Map.copyOf(auxiliaryLogits);
    endpoints = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(endpoints));
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
