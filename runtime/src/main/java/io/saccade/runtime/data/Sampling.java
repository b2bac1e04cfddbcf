package io.saccade.runtime.data;

/**
 * How to draw one clip from a video: training (random segment offsets, random crop and flip, from a
 * seed) or evaluation (deterministic; view {@code clip} of {@code clips} temporal clips and view
 * {@code crop} of {@code crops} spatial crops, for multi-clip/multi-crop testing).
 *
 * <pre>{@code
 * dataset.load(i, Sampling.train(42L));        // reproducible random augmentation
 * dataset.load(i, Sampling.eval());            // 1 clip, centre crop
 * dataset.load(i, Sampling.eval(1, 2, 0, 3));  // second of 2 clips, left-most of 3 crops
 * }</pre>
 *
 * <p>Datasets that have nothing random (the synthetic one) treat both modes alike.
 */
public final class Sampling {

  private static final Sampling EVAL = new Sampling(false, 0L, 0, 1, 0, 1);

  private final boolean training;
  private final long seed;
  private final int clip;
  private final int clips;
  private final int crop;
  private final int crops;

  private Sampling(boolean training, long seed, int clip, int clips, int crop, int crops) {
    this.training = training;
    this.seed = seed;
    this.clip = clip;
    this.clips = clips;
    this.crop = crop;
    this.crops = crops;
  }

  /** Training: all random choices for this sample derive from {@code seed}. */
  public static Sampling train(long seed) {
    return new Sampling(true, seed, 0, 1, 0, 1);
  }

  /** Evaluation with one clip (segment centres) and one centre crop. */
  public static Sampling eval() {
    return EVAL;
  }

  /**
   * Evaluation view {@code clip} of {@code clips} (temporal offsets spread within each segment) and
   * {@code crop} of {@code crops} (spatial crops spread along the longer side).
   */
  public static Sampling eval(int clip, int clips, int crop, int crops) {
    if (clips < 1 || clip < 0 || clip >= clips) {
      throw new IllegalArgumentException("clip must be in [0, clips) with clips >= 1, got " + clip + " of " + clips);
    }
    if (crops < 1 || crop < 0 || crop >= crops) {
      throw new IllegalArgumentException("crop must be in [0, crops) with crops >= 1, got " + crop + " of " + crops);
    }
    return new Sampling(false, 0L, clip, clips, crop, crops);
  }

  public boolean training() {
    return training;
  }

  /** The seed of a training sample (0 in evaluation). */
  public long seed() {
    return seed;
  }

  /** Temporal view index in evaluation, in {@code [0, clips)}. */
  public int clip() {
    return clip;
  }

  public int clips() {
    return clips;
  }

  /** Spatial view index in evaluation, in {@code [0, crops)}. */
  public int crop() {
    return crop;
  }

  public int crops() {
    return crops;
  }

  @Override
  public String toString() {
    return training
        ? "train(seed=" + seed + ")"
        : "eval(clip " + clip + "/" + clips + ", crop " + crop + "/" + crops + ")";
  }
}
