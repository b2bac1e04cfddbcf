package io.saccade.runtime.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Turns the decoded frames of one clip into network input: one crop box and one flip decision for the
 * whole clip (so motion stays consistent across frames), resampled to {@code size × size},
 * normalised, laid out {@code [T, size, size, 3]}.
 *
 * <pre>{@code
 * ClipAugmenter aug = ClipAugmenter.builder(112).build();          // no flip: Something-Something
 * float[] x = aug.apply(frames, Sampling.train(seed));              // multi-scale random crop
 * float[] y = aug.apply(frames, Sampling.eval());                   // centre crop
 * }</pre>
 *
 * <h2>Crops (in pixels of the decoded frame, {@code W × H}, {@code base = min(W, H)})</h2>
 * <ul>
 *   <li><b>Training, multi-scale crop</b> (as TSN, TSM and AFNet): candidate sides
 *       {@code floor(base · s)} for each scale {@code s} (default {@code 1, .875, .75, .66}); a crop of
 *       width {@code side[a]} and height {@code side[b]} with {@code |a − b| ≤ maxDistort} (default 1),
 *       the pair drawn uniformly. Its top-left corner is one of 13 grid positions
 *       {@code (p·⌊(W−w)/4⌋, q·⌊(H−h)/4⌋)} for (p, q) in the four corners, the centre (2, 2), the
 *       four edge midpoints and (1,1), (3,1), (1,3), (3,3), drawn uniformly (or anywhere, uniformly, with
 *       {@link Builder#fixedCropPositions(boolean) fixedCropPositions(false)}). Then a horizontal flip
 *       with probability ½ if {@link Builder#flip(boolean) flip} is on (off by default: it would turn
 *       "pushing left" into "pushing right").
 *   <li><b>Evaluation, one crop:</b> the centred square of side {@code round(base · 224/256)} — the same
 *       pixels as "resize the shorter side to {@code size·256/224}, then centre-crop {@code size}".
 *   <li><b>Evaluation, crop {@code k} of {@code c > 1}:</b> squares of side {@code base} spread evenly
 *       along the longer side (left, centre, right for {@code c = 3}), centred across it.
 * </ul>
 * The crop is resampled to {@code size × size}: bilinear (half-pixel centres) when enlarging, area
 * averaging when shrinking (no aliasing on large frames). Values are divided by 255 and normalised
 * ({@link Normalization#IMAGENET} by default).
 */
public final class ClipAugmenter {

  /** The 13 TSN "more fixed crop" positions, in quarters of the free space (p, q). */
  private static final int[][] GRID = {
    {0, 0}, {4, 0}, {0, 4}, {4, 4}, {2, 2},
    {0, 2}, {4, 2}, {2, 4}, {2, 0},
    {1, 1}, {3, 1}, {1, 3}, {3, 3}
  };

  /** Ratio of the centre crop to the shorter side in single-crop evaluation (224 of 256). */
  public static final double EVAL_CROP_FRACTION = 224.0 / 256.0;

  /**
   * A crop region of a frame, as fractions of its width and height (so one box fits every frame of
   * a clip, even if a frame is decoded at a different size), and whether to mirror it.
   *
   * @param x left edge / frame width, in [0, 1)
   * @param y top edge / frame height
   * @param width crop width / frame width, in (0, 1]
   * @param height crop height / frame height
   * @param flip mirror left-right
   */
  public record CropBox(double x, double y, double width, double height, boolean flip) {

    /** The box {@code (px, py, pw, ph)} in pixels of a {@code frameWidth × frameHeight} frame. */
    public static CropBox ofPixels(int px, int py, int pw, int ph, int frameWidth, int frameHeight, boolean flip) {
      return new CropBox(
          (double) px / frameWidth, (double) py / frameHeight, (double) pw / frameWidth, (double) ph / frameHeight, flip);
    }
  }

  private final int size;
  private final double[] scales;
  private final int maxDistort;
  private final boolean fixedCropPositions;
  private final boolean flip;
  private final Normalization normalization;

  private ClipAugmenter(Builder b) {
    this.size = b.size;
    this.scales = b.scales.clone();
    this.maxDistort = b.maxDistort;
    this.fixedCropPositions = b.fixedCropPositions;
    this.flip = b.flip;
    this.normalization = b.normalization;
  }

  /** A builder for output frames of {@code size × size} pixels. */
  public static Builder builder(int size) {
    return new Builder(size);
  }

  /** Output side in pixels. */
  public int size() {
    return size;
  }

  public boolean flip() {
    return flip;
  }

  public Normalization normalization() {
    return normalization;
  }

  /** Crops, resamples and normalises {@code frames} into a new {@code [T, size, size, 3]} array. */
  public float[] apply(List<RgbImage> frames, Sampling sampling) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a clip needs at least 1 frame, got 0");
    }
    RgbImage first = frames.get(0);
    CropBox box = cropBox(first.width(), first.height(), sampling);
    float[] out = new float[frames.size() * size * size * 3];
    render(frames, box, out, 0);
    return out;
  }

  /**
   * {@link #apply(List, Sampling)} for a clip made of frame sets one after the other ({@code sets} sums to
   * {@code frames.size()}; an AdaFocusV2's glance frames then its focus frames): in training each set gets a
   * crop and flip of its own, as the official loader transforms each set in its own call (set 0's is the
   * one {@link #apply(List, Sampling)} draws); in evaluation every set gets the same centre crop.
   */
  public float[] apply(List<RgbImage> frames, List<Integer> sets, Sampling sampling) {
    if (sets.size() <= 1 || !sampling.training()) {
      return apply(frames, sampling);
    }
    if (sets.stream().mapToInt(Integer::intValue).sum() != frames.size()) {
      throw new IllegalArgumentException("frame sets " + sets + " do not add up to the clip's " + frames.size() + " frames");
    }
    float[] out = new float[frames.size() * size * size * 3];
    int start = 0;
    for (int set = 0; set < sets.size(); set++) {
      List<RgbImage> part = frames.subList(start, start + sets.get(set));
      RgbImage first = part.get(0);
      Sampling own = set == 0 ? sampling : Sampling.train(Seeds.mix(sampling.seed(), 0x5E7L, set));
      render(part, cropBox(first.width(), first.height(), own), out, start * size * size * 3);
      start += sets.get(set);
    }
    return out;
  }

  /** The crop box {@code sampling} asks for on a {@code width × height} frame (random in training). */
  public CropBox cropBox(int width, int height, Sampling sampling) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("frame must be at least 1x1, got " + width + "x" + height);
    }
    return sampling.training()
        ? trainCrop(width, height, new SplittableRandom(Seeds.mix(sampling.seed(), 0xC809L)))
        : evalCrop(width, height, sampling.crop(), sampling.crops());
  }

  /** Multi-scale crop at a grid (or random) position, plus the flip coin. */
  public CropBox trainCrop(int width, int height, SplittableRandom rng) {
    int base = Math.min(width, height);
    int[] sides = new int[scales.length];
    for (int i = 0; i < scales.length; i++) {
      sides[i] = Math.max(1, (int) (base * scales[i]));
    }
    List<int[]> pairs = new ArrayList<>();
    for (int a = 0; a < sides.length; a++) {
      for (int b = 0; b < sides.length; b++) {
        if (Math.abs(a - b) <= maxDistort) {
          pairs.add(new int[] {sides[a], sides[b]});
        }
      }
    }
    int[] pair = pairs.get(rng.nextInt(pairs.size()));
    int w = pair[0];
    int h = pair[1];
    int x;
    int y;
    if (fixedCropPositions) {
      int[] pq = GRID[rng.nextInt(GRID.length)];
      x = pq[0] * ((width - w) / 4);
      y = pq[1] * ((height - h) / 4);
    } else {
      x = rng.nextInt(width - w + 1);
      y = rng.nextInt(height - h + 1);
    }
    boolean mirror = flip && rng.nextBoolean();
    return CropBox.ofPixels(x, y, w, h, width, height, mirror);
  }

  /** Evaluation crop {@code crop} of {@code crops} (see the class comment); never flipped. */
  public CropBox evalCrop(int width, int height, int crop, int crops) {
    if (crops < 1 || crop < 0 || crop >= crops) {
      throw new IllegalArgumentException("crop must be in [0, crops) with crops >= 1, got " + crop + " of " + crops);
    }
    int base = Math.min(width, height);
    if (crops == 1) {
      int side = Math.max(1, (int) Math.round(base * EVAL_CROP_FRACTION));
      return CropBox.ofPixels((width - side) / 2, (height - side) / 2, side, side, width, height, false);
    }
    boolean wide = width >= height;
    int free = (wide ? width : height) - base;
    int along = (int) Math.round((double) crop * free / (crops - 1));
    int across = ((wide ? height : width) - base) / 2;
    return wide
        ? CropBox.ofPixels(along, across, base, base, width, height, false)
        : CropBox.ofPixels(across, along, base, base, width, height, false);
  }

  /** Resamples {@code box} of every frame into {@code out}, starting at {@code offset}. */
  public void render(List<RgbImage> frames, CropBox box, float[] out, int offset) {
    Objects.requireNonNull(box, "box");
    int plane = size * size * 3;
    if (offset < 0 || offset + (long) frames.size() * plane > out.length) {
      throw new IllegalArgumentException(
          "out has " + out.length + " values, need " + (offset + (long) frames.size() * plane));
    }
    float[] scale = new float[3];
    float[] shift = new float[3];
    for (int c = 0; c < 3; c++) {
      // normalise((v / 255)) folded into one multiply-add per value
      scale[c] = normalization.apply(1f, c) - normalization.apply(0f, c);
      scale[c] /= 255f;
      shift[c] = normalization.apply(0f, c);
    }
    Taps xs = null;
    Taps ys = null;
    int lastW = -1;
    int lastH = -1;
    for (int t = 0; t < frames.size(); t++) {
      RgbImage f = frames.get(t);
      if (f.width() != lastW || f.height() != lastH) {
        xs = Taps.of(box.x() * f.width(), box.width() * f.width(), f.width(), size, box.flip());
        ys = Taps.of(box.y() * f.height(), box.height() * f.height(), f.height(), size, false);
        lastW = f.width();
        lastH = f.height();
      }
      resample(f, xs, ys, out, offset + t * plane, scale, shift);
    }
  }

  private void resample(RgbImage f, Taps xs, Taps ys, float[] out, int offset, float[] scale, float[] shift) {
    byte[] src = f.rgb();
    int w = f.width();
    int rowLo = ys.lowest();
    int rowHi = ys.highest();
    // Horizontal pass over only the source rows the vertical taps touch.
    float[] rows = new float[(rowHi - rowLo + 1) * size * 3];
    for (int r = rowLo; r <= rowHi; r++) {
      int rowBase = r * w * 3;
      int dst = (r - rowLo) * size * 3;
      for (int ox = 0; ox < size; ox++) {
        float red = 0f;
        float green = 0f;
        float blue = 0f;
        float[] wt = xs.weights[ox];
        int p = rowBase + xs.first[ox] * 3;
        for (float k : wt) {
          red += k * (src[p] & 0xFF);
          green += k * (src[p + 1] & 0xFF);
          blue += k * (src[p + 2] & 0xFF);
          p += 3;
        }
        rows[dst + ox * 3] = red;
        rows[dst + ox * 3 + 1] = green;
        rows[dst + ox * 3 + 2] = blue;
      }
    }
    for (int oy = 0; oy < size; oy++) {
      float[] wt = ys.weights[oy];
      int firstRow = ys.first[oy] - rowLo;
      int dst = offset + oy * size * 3;
      for (int i = 0; i < size * 3; i++) {
        float v = 0f;
        for (int k = 0; k < wt.length; k++) {
          v += wt[k] * rows[(firstRow + k) * size * 3 + i];
        }
        int c = i % 3;
        out[dst + i] = v * scale[c] + shift[c];
      }
    }
  }

  /** Per output pixel, the first source index and the weights of consecutive source pixels. */
  static final class Taps {
    final int[] first;
    final float[][] weights;

    private Taps(int[] first, float[][] weights) {
      this.first = first;
      this.weights = weights;
    }

    int lowest() {
      int lo = Integer.MAX_VALUE;
      for (int f : first) {
        lo = Math.min(lo, f);
      }
      return lo;
    }

    int highest() {
      int hi = Integer.MIN_VALUE;
      for (int i = 0; i < first.length; i++) {
        hi = Math.max(hi, first[i] + weights[i].length - 1);
      }
      return hi;
    }

    /**
     * Taps mapping {@code out} output pixels onto source interval {@code [start, start + length)} of a
     * {@code src}-pixel axis; reversed order when {@code flip}.
     */
    static Taps of(double start, double length, int src, int out, boolean flip) {
      int[] first = new int[out];
      float[][] weights = new float[out][];
      double f = length / out;
      for (int o = 0; o < out; o++) {
        int i = flip ? out - 1 - o : o;
        if (f <= 1.0) {
          double s = Math.min(src - 1, Math.max(0.0, start + (i + 0.5) * f - 0.5));
          int x0 = (int) Math.floor(s);
          double w1 = s - x0;
          if (x0 + 1 < src && w1 > 0) {
            first[o] = x0;
            weights[o] = new float[] {(float) (1 - w1), (float) w1};
          } else {
            first[o] = x0;
            weights[o] = new float[] {1f};
          }
        } else {
          double a = start + i * f;
          double b = a + f;
          int lo = Math.max(0, (int) Math.floor(a));
          int hi = Math.min(src - 1, (int) Math.ceil(b) - 1);
          float[] w = new float[hi - lo + 1];
          double total = 0;
          for (int p = lo; p <= hi; p++) {
            double overlap = Math.min(b, p + 1) - Math.max(a, p);
            w[p - lo] = (float) Math.max(0, overlap);
            total += Math.max(0, overlap);
          }
          for (int k = 0; k < w.length; k++) {
            w[k] /= (float) total;
          }
          first[o] = lo;
          weights[o] = w;
        }
      }
      return new Taps(first, weights);
    }
  }

  /** Settings of a {@link ClipAugmenter}. */
  public static final class Builder {
    private final int size;
    private double[] scales = {1.0, 0.875, 0.75, 0.66};
    private int maxDistort = 1;
    private boolean fixedCropPositions = true;
    private boolean flip = false;
    private Normalization normalization = Normalization.IMAGENET;

    private Builder(int size) {
      if (size < 1 || size > 4096) {
        throw new IllegalArgumentException("size must be in [1, 4096] pixels, got " + size);
      }
      this.size = size;
    }

    /** Crop sides as fractions of the shorter frame side, each in (0, 1]; default 1, .875, .75, .66. */
    public Builder scales(double... scales) {
      if (scales.length == 0) {
        throw new IllegalArgumentException("scales needs at least one value");
      }
      for (double s : scales) {
        if (!(s > 0 && s <= 1)) {
          throw new IllegalArgumentException("every scale must be in (0, 1], got " + s + " in " + Arrays.toString(scales));
        }
      }
      this.scales = scales.clone();
      return this;
    }

    /** How many scale steps width and height may differ by (default 1; 0 = square crops). */
    public Builder maxDistort(int maxDistort) {
      if (maxDistort < 0) {
        throw new IllegalArgumentException("maxDistort must be >= 0, got " + maxDistort);
      }
      this.maxDistort = maxDistort;
      return this;
    }

    /** Crop corners on TSN's 13-position grid (default) or anywhere. */
    public Builder fixedCropPositions(boolean fixed) {
      this.fixedCropPositions = fixed;
      return this;
    }

    /** Random horizontal flip in training (default off: direction-sensitive labels forbid it). */
    public Builder flip(boolean flip) {
      this.flip = flip;
      return this;
    }

    /** Normalisation of the {@code [0, 1]} values (default ImageNet). */
    public Builder normalization(Normalization normalization) {
      this.normalization = Objects.requireNonNull(normalization, "normalization");
      return this;
    }

    public ClipAugmenter build() {
      return new ClipAugmenter(this);
    }
  }
}
