package io.saccade.runtime.data;

import io.saccade.runtime.io.Json;
import io.saccade.runtime.model.VideoModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The embedded default dataset: short clips generated deterministically in code from a seed (no
 * files, no download) in which the label can be read only from a few consecutive <em>key frames</em>
 * and only from their <em>order</em>. A network that finds the key frames and compares them wins; one
 * that averages all frames blindly cannot tell a motion from its reverse.
 *
 * <pre>{@code
 * SyntheticMotionDataset train = SyntheticMotionDataset.builder()
 *     .frames(8).size(32).classes(8).clips(2048).seed(1).build();
 * SyntheticMotionDataset val = train.toBuilder().split(Split.VALIDATION).clips(512).build();
 * Clip c = train.sample(5);                            // [8, 32, 32, 3], ImageNet-normalised
 * String name = train.classNames().get(c.label());     // e.g. "cross_right"
 * }</pre>
 *
 * <h2>Generative process of clip {@code i}</h2>
 * All randomness comes from one generator seeded with {@code mix(seed, split, i)}, so a clip depends
 * only on (seed, split, index) and is identical on every call, thread and machine.
 * <ol>
 *   <li><b>Label.</b> {@code label = i mod K}, so every range of {@code K} consecutive indices holds each
 *       class once (balanced splits). With {@code K > 4}, {@code label = glyph·4 + direction}: glyph
 *       {@code label / 4} from {@link Glyph} (square, cross, ring, triangle, then generated patterns
 *       {@code shape4}, {@code shape5}, … as far as K needs) and direction {@code label mod 4} from
 *       {@link Direction} (left, right, up, down). With {@code K ≤ 4} only the direction matters (the first
 *       K directions) and the glyph is one of the four named ones, drawn at random.
 *   <li><b>Motion plan.</b> Glyph size {@code s = max(4, round(S/4))} pixels for an {@code S × S}
 *       frame, step {@code d = max(1, round(S/8))} pixels per frame, {@code k} key frames (default 3).
 *       The key run starts at frame {@code f0} uniform in {@code [0, T − k]}. Along the motion axis the
 *       glyph's smallest top-left coordinate {@code lo} is uniform in {@code [1, S − 1 − s − (k−1)·d]};
 *       across it the coordinate is uniform in {@code [1, S − 1 − s]}. In key frame {@code f0 + j} the
 *       glyph sits at {@code lo + j·d} for a positive direction (right, down) and at
 *       {@code lo + (k−1−j)·d} for a negative one (left, up).
 *   <li><b>Background</b> (one per clip, static): per-channel base colour uniform in {@code [0.2, 0.45]}
 *       plus two tinted sinusoidal gratings (random orientation, wavelength {@code S/4…S}, phase,
 *       amplitude {@code 0.08…0.15}), clamped to {@code [0, 0.75]}.
 *   <li><b>Every frame</b>: the background plus Gaussian pixel noise ({@code σ = 0.03}) and
 *       {@code 2…5 · max(1, S²/1024)} distractor blobs (squares or discs of side
 *       {@code 1…max(2, S/12)}, each channel uniform in {@code [0.05, 0.75]}) at random places, drawn
 *       independently per frame.
 *   <li><b>Key frames</b> also get the glyph, in near-white ({@code 0.9…1.0} per channel, brighter than
 *       anything else in the clip), drawn over the clutter. With {@link Builder#decoyRate(double)
 *       decoyRate(p)} (default 0), each other frame shows, with probability {@code p}, a still decoy
 *       glyph of random shape at a random place, drawn the same way.
 *   <li>Values in {@code [0, 1]} are then normalised ({@link Normalization#IMAGENET} unless set
 *       otherwise).
 * </ol>
 *
 * <h2>Properties (checked by the tests)</h2>
 * <ul>
 *   <li>Frames outside the key run do not depend on the label at all.
 *   <li>Playing a clip of class (glyph, direction) backwards gives a clip distributed exactly as one of
 *       class (glyph, opposite direction): {@code lo}, the cross coordinate and the clutter are drawn
 *       the same way for both directions. Hence any function of the <em>unordered</em> set of frames
 *       (averaging per-frame features, TSN without temporal modelling) cannot beat 50 % accuracy: each
 *       class is indistinguishable from its reverse.
 *   <li>A model that compares the glyph's position across consecutive key frames (temporal shift,
 *       temporal convolution, frame selection) can reach 100 %.
 * </ul>
 *
 * <p>{@link Sampling} is ignored: clips have no random augmentation beyond their own generation.
 */
public final class SyntheticMotionDataset implements VideoDataset {

  /**
   * A shape the moving object can take: the four named ones ({@link #SQUARE}, {@link #CROSS}, {@link #RING},
   * {@link #TRIANGLE}), then as many more as a class count needs ({@code shape4}, {@code shape5}, …),
   * each a fixed left-right symmetric 5×5 pattern, distinct from every other, scaled to the glyph size.
   */
  public static final class Glyph {
    public static final Glyph SQUARE = new Glyph(0);
    public static final Glyph CROSS = new Glyph(1);
    public static final Glyph RING = new Glyph(2);
    public static final Glyph TRIANGLE = new Glyph(3);
    private static final Glyph[] NAMED = {SQUARE, CROSS, RING, TRIANGLE};
    private static final List<Long> PATTERNS = new ArrayList<>();
    private static final SplittableRandom PATTERN_SOURCE = new SplittableRandom(0x5ACCADEL);

    private final int index;
    private final long pattern;

    private Glyph(int index) {
      this.index = index;
      this.pattern = index < 4 ? 0 : pattern(index);
    }

    /** Glyph number {@code index}: 0–3 the named shapes, then the generated patterns. */
    public static Glyph of(int index) {
      if (index < 0) {
        throw new IllegalArgumentException("glyph index must be >= 0, got " + index);
      }
      return index < NAMED.length ? NAMED[index] : new Glyph(index);
    }

    /** The four named glyphs. */
    public static List<Glyph> named() {
      return List.of(NAMED);
    }

    /** This glyph's number: 0–3 for the named ones. */
    public int index() {
      return index;
    }

    /** Lower-case name used in class names: {@code square}, …, then {@code shape4}, {@code shape5}, …. */
    public String label() {
      return switch (index) {
        case 0 -> "square";
        case 1 -> "cross";
        case 2 -> "ring";
        case 3 -> "triangle";
        default -> "shape" + index;
      };
    }

    // A generated glyph's 5×5 pattern (bit y·5 + x): drawn from a fixed generator, mirrored left-right,
    // at least 9 cells set, different from every pattern before it; the same on every machine.
    private static long pattern(int index) {
      synchronized (PATTERNS) {
        while (PATTERNS.size() <= index - 4) {
          long bits = 0;
          for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 3; x++) {
              if (PATTERN_SOURCE.nextBoolean()) {
                bits |= 1L << (y * 5 + x) | 1L << (y * 5 + 4 - x);
              }
            }
          }
          if (Long.bitCount(bits) >= 9 && !PATTERNS.contains(bits)) {
            PATTERNS.add(bits);
          }
        }
        return PATTERNS.get(index - 4);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Glyph g && g.index == index;
    }

    @Override
    public int hashCode() {
      return index;
    }

    @Override
    public String toString() {
      return label();
    }
  }

  /** Directions of motion in image coordinates (x to the right, y down). */
  public enum Direction {
    LEFT(-1, 0),
    RIGHT(1, 0),
    UP(0, -1),
    DOWN(0, 1);

    private final int dx;
    private final int dy;

    Direction(int dx, int dy) {
      this.dx = dx;
      this.dy = dy;
    }

    /** Pixels per step along x: -1, 0 or 1. */
    public int dx() {
      return dx;
    }

    /** Pixels per step along y: -1, 0 or 1. */
    public int dy() {
      return dy;
    }

    /** The reverse direction: what the clip shows when played backwards. */
    public Direction opposite() {
      return switch (this) {
        case LEFT -> RIGHT;
        case RIGHT -> LEFT;
        case UP -> DOWN;
        case DOWN -> UP;
      };
    }

    /** Lower-case name used in class names. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Where the signal of one clip is (its ground truth), e.g. to check which frames a network selects.
   *
   * @param label the class index
   * @param glyph the moving shape
   * @param direction its direction
   * @param firstKeyFrame index of the first key frame
   * @param keyFrames number of consecutive key frames
   * @param x glyph's left column in the first key frame, pixels
   * @param y glyph's top row in the first key frame, pixels
   * @param glyphSize glyph side, pixels
   * @param step displacement per key frame, pixels
   */
  public record Motion(
      int label,
      Glyph glyph,
      Direction direction,
      int firstKeyFrame,
      int keyFrames,
      int x,
      int y,
      int glyphSize,
      int step) {

    /** Whether frame {@code t} carries the glyph. */
    public boolean isKeyFrame(int t) {
      return t >= firstKeyFrame && t < firstKeyFrame + keyFrames;
    }

    /** Glyph's left column in key frame {@code j} (0-based within the key run). */
    public int xAt(int j) {
      return x + j * step * direction.dx();
    }

    /** Glyph's top row in key frame {@code j} (0-based within the key run). */
    public int yAt(int j) {
      return y + j * step * direction.dy();
    }
  }

  /** The most classes the embedded dataset draws: 4 directions of 1,024 glyphs. */
  public static final int MAX_CLASSES = 4096;

  private static final int MARGIN = 1;
  private static final float NOISE = 0.03f;
  private static final float BACKGROUND_MAX = 0.75f;

  private final int frames; // of the rendered video
  private final List<Integer> frameSets;
  private final int clipFrames;
  private final int size;
  private final int classes;
  private final int keyFrames;
  private final int clips;
  private final long seed;
  private final Split split;
  private final Normalization normalization;
  private final double decoyRate;
  private final int glyphSize;
  private final int step;
  private final List<String> classNames;

  private SyntheticMotionDataset(Builder b) {
    this.frames = b.frames;
    this.frameSets = b.frameSets != null ? List.copyOf(b.frameSets) : List.of(b.frames);
    this.clipFrames = frameSets.stream().mapToInt(Integer::intValue).sum();
    this.size = b.size;
    this.classes = b.classes;
    this.keyFrames = b.keyFrames();
    this.clips = b.clips;
    this.seed = b.seed;
    this.split = b.split;
    this.normalization = b.normalization;
    this.decoyRate = b.decoyRate;
    this.glyphSize = glyphSize(size);
    this.step = step(size);
    List<String> names = new ArrayList<>();
    for (int label = 0; label < classes; label++) {
      Direction d = Direction.values()[label % 4];
      names.add(classes <= 4 ? d.label() : Glyph.of(label / 4).label() + "_" + d.label());
    }
    this.classNames = List.copyOf(names);
  }

  /** Starts a builder with the defaults: 8 frames of 32×32, 8 classes, 3 key frames, 1024 clips, seed 1. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this dataset's settings, e.g. to make the validation split of the same seed. */
  public Builder toBuilder() {
    return new Builder()
        .frames(frames)
        .frameSets(frameSets.size() > 1 ? frameSets : null)
        .size(size)
        .classes(classes)
        .keyFrames(keyFrames)
        .clips(clips)
        .seed(seed)
        .split(split)
        .normalization(normalization)
        .decoyRate(decoyRate);
  }

  private static int glyphSize(int size) {
    return Math.max(4, Math.round(size / 4f));
  }

  private static int step(int size) {
    return Math.max(1, Math.round(size / 8f));
  }

  @Override
  public int size() {
    return clips;
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public int frames() {
    return clipFrames;
  }

  @Override
  public List<Integer> frameSets() {
    return frameSets;
  }

  @Override
  public int height() {
    return size;
  }

  @Override
  public int width() {
    return size;
  }

  /** Number of key frames per clip. */
  public int keyFrames() {
    return keyFrames;
  }

  public long seed() {
    return seed;
  }

  public Split split() {
    return split;
  }

  public Normalization normalization() {
    return normalization;
  }

  /** Probability of a still decoy glyph in a frame outside the key run. */
  public double decoyRate() {
    return decoyRate;
  }

  @Override
  public int label(int index) {
    Objects.checkIndex(index, clips);
    return index % classes;
  }

  @Override
  public Clip load(int index, Sampling sampling) {
    return sample(index);
  }

  @Override
  public String describe(int index) {
    Motion m = motion(index);
    return id(index) + " (" + classNames.get(m.label()) + ", key frames " + m.firstKeyFrame() + "-"
        + (m.firstKeyFrame() + m.keyFrames() - 1) + ")";
  }

  /**
   * Writes this split as a frame-folder dataset, the layout {@link FrameFolderDataset} reads: one folder
   * per clip ({@code <split>_<index>/00001.jpg}, …, JPEG quality 95, values before normalisation), a list
   * file {@code <split>.txt} of {@code folder frames label} lines, and {@code labels.json} (class name to
   * index). Use it to see the format, or to check that a data pipeline reads back what the embedded
   * generator made.
   *
   * <pre>{@code
   * Path list = SyntheticMotionDataset.builder().classes(10).clips(256).build().writeFrameFolders(Path.of("data"));
   * FrameFolderDataset train = FrameFolderDataset.builder().root(Path.of("data")).list(list)
   *     .labels(LabelMap.read(Path.of("data/labels.json"))).frames(8).size(32).build();
   * }</pre>
   *
   * @return the list file
   */
  public Path writeFrameFolders(Path root) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      return write(root, "", (clip, dir) -> {
        Files.createDirectories(dir);
        for (int t = 0; t < frames; t++) {
          BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
          for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
              image.setRGB(x, y, rgb(clip, t, x, y));
            }
          }
          try (OutputStream file = Files.newOutputStream(dir.resolve(String.format(Locale.ROOT, "%05d.jpg", t + 1)));
              ImageOutputStream out = ImageIO.createImageOutputStream(file)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
          }
        }
      });
    } finally {
      writer.dispose();
    }
  }

  /**
   * Writes this split as video files, the layout {@link VideoFileDataset} reads: one MPEG-4 file per clip
   * ({@code <split>_<index>.mp4}, near-lossless, 25 frames/s; the frame size must be even), a list file
   * {@code <split>.txt} of {@code file frames label} lines and {@code labels.json}.
   *
   * @return the list file
   */
  public Path writeVideos(Path root) throws IOException {
    if (size % 2 != 0) {
      throw new IllegalArgumentException("video frames need an even size (YUV 4:2:0), got " + size);
    }
    return write(root, ".mp4", (clip, file) -> VideoFileEncoder.write(file, "mpeg4", size, size, frames, (t, x, y) -> rgb(clip, t, x, y)));
  }

  private interface ClipWriter {
    void write(Clip raw, Path target) throws IOException;
  }

  // Every clip before normalisation through {@code writer}, then the list file and the label names.
  private Path write(Path root, String suffix, ClipWriter writer) throws IOException {
    Files.createDirectories(root);
    SyntheticMotionDataset raw = toBuilder().normalization(Normalization.NONE).build();
    String name = split.name().toLowerCase(Locale.ROOT);
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < clips; i++) {
      Clip clip = raw.video(i);
      String entry = name + "_" + String.format(Locale.ROOT, "%06d", i) + suffix;
      writer.write(clip, root.resolve(entry));
      list.append(entry).append(' ').append(frames).append(' ').append(clip.label()).append('\n');
    }
    Map<String, Object> labels = new LinkedHashMap<>();
    for (int c = 0; c < classNames.size(); c++) {
      labels.put(classNames.get(c), c);
    }
    Files.writeString(root.resolve("labels.json"), Json.write(labels), StandardCharsets.UTF_8);
    Path listFile = root.resolve(name + ".txt");
    Files.writeString(listFile, list, StandardCharsets.UTF_8);
    return listFile;
  }

  private int rgb(Clip raw, int t, int x, int y) {
    int o = t * size * size * 3 + (y * size + x) * 3;
    float[] f = raw.data();
    return byteOf(f[o]) << 16 | byteOf(f[o + 1]) << 8 | byteOf(f[o + 2]);
  }

  private static int byteOf(float v) {
    return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
  }

  private String id(int index) {
    return "synthetic/" + split.name().toLowerCase(Locale.ROOT) + "/" + index;
  }

  /** The ground truth of clip {@code index}: which frames carry the glyph, and where. */
  public Motion motion(int index) {
    return plan(index, random(index));
  }

  private SplittableRandom random(int index) {
    Objects.checkIndex(index, clips);
    return new SplittableRandom(Seeds.mix(seed, split.ordinal() + 1L, index));
  }

  // Draws the motion first, so motion(i) and sample(i) agree by construction.
  private Motion plan(int index, SplittableRandom rng) {
    int label = index % classes;
    Direction direction = Direction.values()[label % 4];
    Glyph glyph = classes <= 4 ? Glyph.of(rng.nextInt(4)) : Glyph.of(label / 4);
    int first = rng.nextInt(frames - keyFrames + 1);
    int span = glyphSize + (keyFrames - 1) * step;
    int lo = MARGIN + rng.nextInt(size - 2 * MARGIN - span + 1);
    int across = MARGIN + rng.nextInt(size - 2 * MARGIN - glyphSize + 1);
    int along = (direction.dx() + direction.dy()) > 0 ? lo : lo + (keyFrames - 1) * step;
    boolean horizontal = direction.dx() != 0;
    return new Motion(
        label,
        glyph,
        direction,
        first,
        keyFrames,
        horizontal ? along : across,
        horizontal ? across : along,
        glyphSize,
        step);
  }

  /**
   * Clip {@code index}, generated afresh (identical on every call): the rendered video, or with several
   * {@link Builder#frameSets frame sets} each set's segment centres of it, one set after the other.
   */
  public Clip sample(int index) {
    Clip video = video(index);
    if (frameSets.size() == 1) {
      return video;
    }
    int plane = size * size * 3;
    int[] picked = SegmentSampler.indices(frames, frameSets, Sampling.eval());
    float[] out = new float[picked.length * plane];
    for (int i = 0; i < picked.length; i++) {
      System.arraycopy(video.data(), picked[i] * plane, out, i * plane, plane);
    }
    return new Clip(out, picked.length, size, size, video.label(), video.id());
  }

  /** The video of clip {@code index}: {@code frames} rendered frames. */
  private Clip video(int index) {
    SplittableRandom rng = random(index);
    Motion motion = plan(index, rng);
    int plane = size * size * 3;
    float[] background = background(rng);
    float[] out = new float[frames * plane];
    int blobsPerFrame = Math.max(1, size * size / 1024);
    int maxBlob = Math.max(2, size / 12);
    for (int t = 0; t < frames; t++) {
      int base = t * plane;
      for (int i = 0; i < plane; i++) {
        out[base + i] = background[i] + NOISE * (float) rng.nextGaussian();
      }
      int blobs = (2 + rng.nextInt(4)) * blobsPerFrame;
      for (int b = 0; b < blobs; b++) {
        int side = 1 + rng.nextInt(maxBlob);
        int bx = rng.nextInt(size - side + 1);
        int by = rng.nextInt(size - side + 1);
        boolean disc = rng.nextBoolean();
        float r = 0.05f + 0.7f * rng.nextFloat();
        float g = 0.05f + 0.7f * rng.nextFloat();
        float bl = 0.05f + 0.7f * rng.nextFloat();
        drawBlob(out, base, bx, by, side, disc, r, g, bl);
      }
      if (motion.isKeyFrame(t)) {
        int j = t - motion.firstKeyFrame();
        drawGlyph(out, base, motion.glyph(), motion.xAt(j), motion.yAt(j), rng);
      } else if (decoyRate > 0 && rng.nextDouble() < decoyRate) {
        Glyph decoy = Glyph.of(rng.nextInt(4));
        int dx = MARGIN + rng.nextInt(size - 2 * MARGIN - glyphSize + 1);
        int dy = MARGIN + rng.nextInt(size - 2 * MARGIN - glyphSize + 1);
        drawGlyph(out, base, decoy, dx, dy, rng);
      }
    }
    for (int i = 0; i < out.length; i++) {
      float v = Math.min(1f, Math.max(0f, out[i]));
      out[i] = normalization.apply(v, i % 3);
    }
    return new Clip(out, frames, size, size, motion.label(), id(index));
  }

  private float[] background(SplittableRandom rng) {
    float[] base = new float[3];
    for (int c = 0; c < 3; c++) {
      base[c] = 0.2f + 0.25f * rng.nextFloat();
    }
    double[][] gratings = new double[2][];
    for (int g = 0; g < 2; g++) {
      double angle = Math.PI * rng.nextDouble();
      double wavelength = size / 4.0 + rng.nextDouble() * (size - size / 4.0);
      double phase = 2 * Math.PI * rng.nextDouble();
      double amplitude = 0.08 + 0.07 * rng.nextDouble();
      gratings[g] = new double[] {
        Math.cos(angle) * 2 * Math.PI / wavelength,
        Math.sin(angle) * 2 * Math.PI / wavelength,
        phase,
        amplitude * (0.5 + 0.5 * rng.nextDouble()),
        amplitude * (0.5 + 0.5 * rng.nextDouble()),
        amplitude * (0.5 + 0.5 * rng.nextDouble())
      };
    }
    float[] bg = new float[size * size * 3];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        for (int c = 0; c < 3; c++) {
          double v = base[c];
          for (double[] g : gratings) {
            v += g[3 + c] * Math.sin(g[0] * x + g[1] * y + g[2]);
          }
          bg[(y * size + x) * 3 + c] = (float) Math.min(BACKGROUND_MAX, Math.max(0.0, v));
        }
      }
    }
    return bg;
  }

  private void drawBlob(float[] out, int base, int bx, int by, int side, boolean disc, float r, float g, float b) {
    double c = (side - 1) / 2.0;
    double r2 = (side / 2.0) * (side / 2.0);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        if (disc && (x - c) * (x - c) + (y - c) * (y - c) > r2) {
          continue;
        }
        int o = base + ((by + y) * size + bx + x) * 3;
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
      }
    }
  }

  private void drawGlyph(float[] out, int base, Glyph glyph, int gx, int gy, SplittableRandom rng) {
    int s = glyphSize;
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        if (!inside(glyph, s, x, y)) {
          continue;
        }
        int o = base + ((gy + y) * size + gx + x) * 3;
        for (int c = 0; c < 3; c++) {
          out[o + c] = 1f - 0.1f * rng.nextFloat();
        }
      }
    }
  }

  /** Whether pixel (x, y) of an {@code s × s} box belongs to {@code glyph}. */
  static boolean inside(Glyph glyph, int s, int x, int y) {
    double c = (s - 1) / 2.0;
    double dx = x - c;
    double dy = y - c;
    return switch (glyph.index()) {
      case 0 -> true;
      case 1 -> {
        double half = Math.max(1.0, s / 6.0);
        yield Math.abs(dx) <= half || Math.abs(dy) <= half;
      }
      case 2 -> {
        double r = Math.sqrt(dx * dx + dy * dy);
        double outer = s / 2.0;
        yield r <= outer && r >= outer - Math.max(1.5, s / 5.0);
      }
      case 3 -> Math.abs(dx) <= (y + 1.0) / s * (s / 2.0);
      default -> {
        // Look the left half up and mirror it, so the drawn glyph is symmetric left-right at any size.
        int mx = Math.min(x, s - 1 - x);
        int cx = Math.min(2, mx * 5 / s);
        int cy = Math.min(4, y * 5 / s);
        yield (glyph.pattern >>> (cy * 5 + cx) & 1L) != 0;
      }
    };
  }

  /**
   * Settings of a {@link SyntheticMotionDataset}; every value is checked in {@link #build()}.
   */
  public static final class Builder {
    private int frames = 8;
    private List<Integer> frameSets;
    private int size = 32;
    private int classes = 8;
    private Integer keyFrames;
    private int clips = 1024;
    private long seed = 1L;
    private Split split = Split.TRAIN;
    private Normalization normalization = Normalization.IMAGENET;
    private double decoyRate;

    private Builder() {}

    /** T, frames per clip (default 8; ≥ keyFrames, ≤ 256). */
    public Builder frames(int frames) {
      this.frames = frames;
      return this;
    }

    /** S, frame height and width in pixels (default 32; 16…1024). */
    public Builder size(int size) {
      this.size = size;
      return this;
    }

    /**
     * K, number of classes, at least 2; default 8. Up to 4, the classes are directions (left, right, up,
     * down) of a glyph drawn at random; above 4, {@code label = glyph·4 + direction} over as many glyphs as
     * needed ({@link Glyph}).
     */
    public Builder classes(int classes) {
      this.classes = classes;
      return this;
    }

    /** k, consecutive frames that show the moving glyph (default 3, or 2 for 2-frame clips; 2…frames). */
    public Builder keyFrames(int keyFrames) {
      this.keyFrames = keyFrames;
      return this;
    }

    private int keyFrames() {
      return keyFrames != null ? keyFrames : Math.min(3, Math.max(2, frames));
    }

    /**
     * The clip length, frame size and class count {@code model} declares: {@code frames}, {@code size},
     * {@code classes}; for a model whose clip is several {@link VideoModel#frameSets() frame sets} (an
     * AdaFocusV2's glance and focus frames), a video of the first set's length and those sets.
     */
    public Builder forModel(VideoModel model) {
      List<Integer> sets = model.frameSets();
      return frames(sets.get(0)).frameSets(sets.size() > 1 ? sets : null).size(model.inputSize()).classes(model.classes());
    }

    /**
     * Clips made of several sets of frames sampled from each rendered video of {@link #frames} frames, one
     * after the other, each set's segment centres over the whole video (as
     * {@link SegmentSampler#indices(int, List, Sampling)} in evaluation): {@code frames(8).frameSets(List.of(8, 12))}
     * gives 20-frame clips, the 8 frames then 12 frames spread over the same 8 (some twice). {@code null}
     * (the default): the video itself.
     */
    public Builder frameSets(List<Integer> sets) {
      if (sets != null && (sets.isEmpty() || sets.stream().anyMatch(n -> n == null || n < 1))) {
        throw new IllegalArgumentException("frame sets must be one or more counts >= 1, got " + sets);
      }
      this.frameSets = sets == null ? null : List.copyOf(sets);
      return this;
    }

    /** Number of clips in this split (default 1024). */
    public Builder clips(int clips) {
      this.clips = clips;
      return this;
    }

    /** The seed every clip derives from (default 1). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Which random stream: train, validation or test (default train). */
    public Builder split(Split split) {
      this.split = Objects.requireNonNull(split, "split");
      return this;
    }

    /** Normalisation of the {@code [0, 1]} pixel values (default ImageNet). */
    public Builder normalization(Normalization normalization) {
      this.normalization = Objects.requireNonNull(normalization, "normalization");
      return this;
    }

    /**
     * Probability that a frame outside the key run shows a still decoy glyph (random shape and place,
     * same colour as the real one), default 0. Decoys make finding the key frames harder: only the run
     * of consecutive frames with a moving glyph carries the label.
     */
    public Builder decoyRate(double decoyRate) {
      if (!(decoyRate >= 0 && decoyRate <= 1)) {
        throw new IllegalArgumentException("decoyRate must be in [0, 1], got " + decoyRate);
      }
      this.decoyRate = decoyRate;
      return this;
    }

    /** The dataset; throws {@link IllegalArgumentException} naming the bad value and its limit. */
    public SyntheticMotionDataset build() {
      if (size < 16 || size > 1024) {
        throw new IllegalArgumentException("size must be in [16, 1024] pixels, got " + size);
      }
      if (classes < 2 || classes > MAX_CLASSES) {
        throw new IllegalArgumentException("classes must be in [2, " + MAX_CLASSES + "], got " + classes);
      }
      int keyFrames = keyFrames();
      if (frames < 2) {
        throw new IllegalArgumentException("frames must be >= 2 (motion needs two frames), got " + frames);
      }
      if (keyFrames < 2) {
        throw new IllegalArgumentException("keyFrames must be >= 2 (motion needs two frames), got " + keyFrames);
      }
      if (frames < keyFrames || frames > 256) {
        throw new IllegalArgumentException(
            "frames must be in [keyFrames = " + keyFrames + ", 256], got " + frames);
      }
      int span = glyphSize(size) + (keyFrames - 1) * step(size);
      if (span > size - 2 * MARGIN) {
        int maxKey = (size - 2 * MARGIN - glyphSize(size)) / step(size) + 1;
        throw new IllegalArgumentException(
            "keyFrames " + keyFrames + " do not fit a " + size + "-pixel frame: at most " + maxKey);
      }
      if (clips < 1) {
        throw new IllegalArgumentException("clips must be >= 1, got " + clips);
      }
      return new SyntheticMotionDataset(this);
    }
  }
}
