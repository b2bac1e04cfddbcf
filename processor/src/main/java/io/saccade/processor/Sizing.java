package io.saccade.processor;

import java.util.List;

/**
 * What the {@link Sizer} computed: one row per stage of the network, in build order.
 *
 * <pre>{@code
 * Sizing s = new Sizer().size(plan);
 * s.gflopsPerClip();     // 32.7 for TSN ResNet-50, 8 frames, 224 px
 * }</pre>
 */
record Sizing(List<Row> rows) {

  Sizing {
    rows = List.copyOf(rows);
  }

  /**
   * One stage.
   *
   * @param name {@code stem}, {@code stage1}, ..., {@code head} (AdaFocusV2: {@code global},
   *     {@code policy}, {@code local}, {@code classifier})
   * @param height output height of its feature map
   * @param width output width
   * @param channels output channels
   * @param parameters trainable scalars: conv/linear weights and biases, BN γ and β (moving statistics excluded)
   * @param gflopsPerClip multiply-adds per clip / 10⁹, at the declared target ratios
   * @param adaptive whether its cost depends on the frames navigation selects (AFNet stages)
   */
  record Row(String name, int height, int width, int channels, long parameters, double gflopsPerClip, boolean adaptive) {}

  /** Total trainable parameters (exact: an overflow throws {@link ArithmeticException}). */
  long parameters() {
    return rows.stream().mapToLong(Row::parameters).reduce(0, Math::addExact);
  }

  /** Total GFLOPs per clip. */
  double gflopsPerClip() {
    return rows.stream().mapToDouble(Row::gflopsPerClip).sum();
  }

  /** GFLOPs per clip of the rows whose cost does not depend on navigation. */
  double fixedGflopsPerClip() {
    return rows.stream().filter(r -> !r.adaptive()).mapToDouble(Row::gflopsPerClip).sum();
  }

  /** The row called {@code name}. */
  Row row(String name) {
    return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(name));
  }
}
