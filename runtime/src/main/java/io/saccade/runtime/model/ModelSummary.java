package io.saccade.runtime.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A network's print-out known at compile time: one row per stage with its output shape, parameter count
 * and analytic cost, plus totals. FLOPs are multiply-adds (the convention of the papers), in GFLOPs.
 *
 * <pre>{@code
 * ModelSummary s = ModelSummary.builder("TsnResNet50", 8, 224)
 *     .stage("stem", 56, 56, 64, 9_408, 0.118)
 *     .build();
 * System.out.println(s.table());
 * }</pre>
 */
public final class ModelSummary {

  /**
   * One stage.
   *
   * @param name e.g. {@code stage1}
   * @param height output height in pixels of the feature map
   * @param width output width
   * @param channels output channels
   * @param parameters number of scalars in its parameters (BN moving statistics excluded)
   * @param gflopsPerClip analytic cost per clip at the declared target ratios
   */
  public record Stage(String name, int height, int width, int channels, long parameters, double gflopsPerClip) {
    public Stage {
      Objects.requireNonNull(name, "name");
    }
  }

  private final String network;
  private final int frames;
  private final int inputSize;
  private final List<Stage> stages;

  private ModelSummary(String network, int frames, int inputSize, List<Stage> stages) {
    this.network = network;
    this.frames = frames;
    this.inputSize = inputSize;
    this.stages = List.copyOf(stages);
  }

  /** Starts a summary of {@code network} at {@code frames} × {@code inputSize}². */
  public static Builder builder(String network, int frames, int inputSize) {
    return new Builder(network, frames, inputSize);
  }

  public String network() {
    return network;
  }

  public int frames() {
    return frames;
  }

  public int inputSize() {
    return inputSize;
  }

  public List<Stage> stages() {
    return stages;
  }

  /** Total trainable parameters. */
  public long parameters() {
    return stages.stream().mapToLong(Stage::parameters).sum();
  }

  /** Total analytic GFLOPs per clip at the declared target ratios. */
  public double gflopsPerClip() {
    return stages.stream().mapToDouble(Stage::gflopsPerClip).sum();
  }

  /** The stage called {@code name}. */
  public Stage stage(String name) {
    return stages.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stage " + name + " in " + network));
  }

  /** A fixed-width table like a model print-out. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s  (%d frames, %d×%d input)%n", network, frames, inputSize, inputSize));
    sb.append(String.format(Locale.ROOT, "%-14s %-16s %14s %14s%n", "stage", "output (HxWxC)", "params", "GFLOPs/clip"));
    for (Stage s : stages) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-14s %-16s %,14d %14.3f%n",
              s.name(),
              s.height() + "x" + s.width() + "x" + s.channels(),
              s.parameters(),
              s.gflopsPerClip()));
    }
    sb.append(String.format(Locale.ROOT, "%-14s %-16s %,14d %14.3f%n", "total", "", parameters(), gflopsPerClip()));
    return sb.toString();
  }

  @Override
  public String toString() {
    return table();
  }

  /** Collects stages in order. */
  public static final class Builder {
    private final String network;
    private final int frames;
    private final int inputSize;
    private final List<Stage> stages = new ArrayList<>();

    private Builder(String network, int frames, int inputSize) {
      this.network = Objects.requireNonNull(network, "network");
      this.frames = frames;
      this.inputSize = inputSize;
    }

    /** Adds a stage row. */
    public Builder stage(String name, int height, int width, int channels, long parameters, double gflopsPerClip) {
      stages.add(new Stage(name, height, width, channels, parameters, gflopsPerClip));
      return this;
    }

    public ModelSummary build() {
      return new ModelSummary(network, frames, inputSize, stages);
    }
  }
}
