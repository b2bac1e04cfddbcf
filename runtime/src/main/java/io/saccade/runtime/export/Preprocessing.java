package io.saccade.runtime.export;

import io.saccade.runtime.data.ClipAugmenter;
import io.saccade.runtime.data.FrameFolderDataset;
import io.saccade.runtime.data.ListedDataset;
import io.saccade.runtime.data.Normalization;
import io.saccade.runtime.data.RgbImage;
import io.saccade.runtime.data.Sampling;
import io.saccade.runtime.data.SegmentSampler;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.data.VideoFileDataset;
import io.saccade.runtime.io.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a video becomes the network's input, as it was in training: recorded in a run's metadata and
 * every checkpoint, and written into an export's {@code assets.extra/saccade.json}, so whoever serves the
 * model (a {@link VideoClassifier}, or any TensorFlow Serving client) never has to repeat it.
 *
 * <p>Evaluation pipeline, in order: TSN sampling of {@code frames} segment centres
 * ({@code floor((2i + 1)·n / 2T)} of a video's {@code n} frames, 0-based; with several {@code frameSets},
 * each set's centres over the whole video, one set after the other), a centred square crop of
 * {@code cropFraction} (224/256) of the shorter side, resampled to {@code inputSize × inputSize} (bilinear
 * when enlarging, area averaging when shrinking), RGB values divided by 255 and normalised per channel
 * {@code (v − mean) / std}, laid out {@code [N, T, H, W, 3]} (channels R, G, B).
 *
 * <pre>{@code
 * Preprocessing p = Preprocessing.of(trainData);          // e.g. frame folders, 8 frames, 224 px, ImageNet
 * int[] picked = p.frameIndices(120);                     // which of 120 frames make the clip
 * float[] clip = p.clip(decodedFrames);                   // [T, 224, 224, 3], normalised
 * }</pre>
 *
 * @param source where training clips came from: {@value #VIDEO_FILES}, {@value #FRAME_FOLDERS},
 *     {@value #EMBEDDED} or {@value #UNKNOWN} (a custom dataset: ImageNet normalisation assumed)
 * @param frames T, frames per clip
 * @param inputSize H = W, pixels
 * @param mean per-channel mean (R, G, B) of values in {@code [0, 1]}
 * @param std per-channel standard deviation (R, G, B)
 * @param template frame-file name template of frame folders (e.g. {@code {:05d}.jpg}), null otherwise
 * @param firstFrame the number of the first frame file of frame folders (1 for Something-Something)
 * @param frameSets how the {@code frames} are sampled: consecutive sets summing to {@code frames}, each spread
 *     over the whole video ({@code [frames]} usually; an AdaFocusV2's glance then focus frames, e.g. {@code [8, 12]})
 */
public record Preprocessing(
    String source,
    int frames,
    int inputSize,
    List<Double> mean,
    List<Double> std,
    String template,
    int firstFrame,
    List<Integer> frameSets) {

  /** Training clips were decoded from video files with FFmpeg. */
  public static final String VIDEO_FILES = "video-files";
  /** Training clips were read from folders of frame images. */
  public static final String FRAME_FOLDERS = "frame-folders";
  /** Training clips came from the embedded synthetic dataset. */
  public static final String EMBEDDED = "embedded";
  /** A dataset Saccade does not know; ImageNet normalisation is assumed. */
  public static final String UNKNOWN = "unknown";

  /** The sampling rule's name in the JSON form. */
  public static final String SAMPLING = "tsn-segment-centres";
  /** The crop rule's name in the JSON form. */
  public static final String CROP = "centre-square";
  /** The resampling rule's name in the JSON form. */
  public static final String RESIZE = "bilinear-up-area-down";

  public Preprocessing {
    Objects.requireNonNull(source, "source");
    if (frames < 1 || inputSize < 1) {
      throw new IllegalArgumentException("frames and inputSize must be >= 1, got " + frames + " and " + inputSize);
    }
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    if (mean.size() != 3 || std.size() != 3) {
      throw new IllegalArgumentException("mean and std need 3 channels (RGB), got " + mean + " and " + std);
    }
    frameSets = frameSets == null ? List.of(frames) : List.copyOf(frameSets);
    if (frameSets.isEmpty() || frameSets.stream().anyMatch(n -> n < 1)
        || frameSets.stream().mapToLong(Integer::longValue).sum() != frames) {
      throw new IllegalArgumentException("frameSets must be counts >= 1 summing to frames = " + frames + ", got " + frameSets);
    }
  }

  /** Pre-processing whose clip is one set of {@code frames} segment centres. */
  public Preprocessing(
      String source, int frames, int inputSize, List<Double> mean, List<Double> std, String template, int firstFrame) {
    this(source, frames, inputSize, mean, std, template, firstFrame, null);
  }

  /** What {@code data}'s clips went through (its augmenter's size and normalisation, its sampling). */
  public static Preprocessing of(VideoDataset data) {
    Objects.requireNonNull(data, "data");
    if (data instanceof ListedDataset listed) {
      Normalization n = listed.augmenter().normalization();
      if (listed instanceof FrameFolderDataset folders) {
        return new Preprocessing(
            FRAME_FOLDERS, data.frames(), data.height(), doubles(n.mean()), doubles(n.std()), folders.template(),
            folders.firstFrame(), data.frameSets());
      }
      String source = listed instanceof VideoFileDataset ? VIDEO_FILES : UNKNOWN;
      return new Preprocessing(source, data.frames(), data.height(), doubles(n.mean()), doubles(n.std()), null, 0, data.frameSets());
    }
    if (data instanceof SyntheticMotionDataset synthetic) {
      Normalization n = synthetic.normalization();
      return new Preprocessing(EMBEDDED, data.frames(), data.height(), doubles(n.mean()), doubles(n.std()), null, 0, data.frameSets());
    }
    return assumed(data.frameSets(), data.height());
  }

  /** The library's defaults (ImageNet normalisation) for a model whose training data is not known. */
  public static Preprocessing assumed(int frames, int inputSize) {
    return assumed(List.of(frames), inputSize);
  }

  /**
   * The library's defaults for a model whose clip is {@code frameSets} (its
   * {@link io.saccade.runtime.model.VideoModel#frameSets()}) and whose training data is not known.
   */
  public static Preprocessing assumed(List<Integer> frameSets, int inputSize) {
    Normalization n = Normalization.IMAGENET;
    int frames = frameSets.stream().mapToInt(Integer::intValue).sum();
    return new Preprocessing(UNKNOWN, frames, inputSize, doubles(n.mean()), doubles(n.std()), null, 0, frameSets);
  }

  /** The normalisation as the data package's type. */
  public Normalization normalization() {
    float[] m = new float[3];
    float[] s = new float[3];
    for (int c = 0; c < 3; c++) {
      m[c] = mean.get(c).floatValue();
      s[c] = std.get(c).floatValue();
    }
    return Normalization.of(m, s);
  }

  /** The 0-based indices of the frames a clip takes from a video of {@code numFrames} frames, set after set. */
  public int[] frameIndices(int numFrames) {
    return SegmentSampler.indices(numFrames, frameSets, Sampling.eval());
  }

  /**
   * The network input {@code [T, inputSize, inputSize, 3]} made of {@code images}, the decoded frames
   * {@link #frameIndices} picked, in order.
   *
   * @throws IllegalArgumentException if there are not exactly {@code frames} images
   */
  public float[] clip(List<RgbImage> images) {
    if (images.size() != frames) {
      throw new IllegalArgumentException("a clip needs " + frames + " frames, got " + images.size());
    }
    return ClipAugmenter.builder(inputSize).normalization(normalization()).build().apply(images, Sampling.eval());
  }

  /** The JSON object written into run metadata, checkpoints and exports. */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("source", source);
    out.put("frames", frames);
    if (frameSets.size() > 1) {
      out.put("frame_sets", frameSets);
    }
    out.put("input_size", inputSize);
    out.put("sampling", SAMPLING);
    out.put("crop", CROP);
    out.put("crop_fraction", ClipAugmenter.EVAL_CROP_FRACTION);
    out.put("resize", RESIZE);
    out.put("value_scale", 1.0 / 255.0);
    out.put("mean", mean);
    out.put("std", std);
    out.put("channel_order", "RGB");
    out.put("layout", "NTHWC");
    if (template != null) {
      out.put("template", template);
      out.put("first_frame", firstFrame);
    }
    return out;
  }

  /** Reads {@link #toJson()}'s form back. */
  public static Preprocessing fromJson(Object json) {
    Map<String, Object> o = Json.object(json, "the preprocessing settings");
    String sampling = Json.string(o.get("sampling"), "\"sampling\"");
    if (!SAMPLING.equals(sampling)) {
      throw new IllegalArgumentException("unknown sampling \"" + sampling + "\" (this version knows " + SAMPLING + ")");
    }
    List<Double> mean = reals(o.get("mean"), "\"mean\"");
    List<Double> std = reals(o.get("std"), "\"std\"");
    String template = o.get("template") == null ? null : Json.string(o.get("template"), "\"template\"");
    int first = o.get("first_frame") == null ? 0 : (int) Json.integer(o.get("first_frame"), "\"first_frame\"");
    List<Integer> sets = null;
    if (o.get("frame_sets") != null) {
      sets = new ArrayList<>();
      for (Object v : Json.array(o.get("frame_sets"), "\"frame_sets\"")) {
        sets.add((int) Json.integer(v, "\"frame_sets\""));
      }
    }
    return new Preprocessing(
        Json.string(o.get("source"), "\"source\""),
        (int) Json.integer(o.get("frames"), "\"frames\""),
        (int) Json.integer(o.get("input_size"), "\"input_size\""),
        mean,
        std,
        template,
        first,
        sets);
  }

  private static List<Double> reals(Object json, String what) {
    List<Double> out = new ArrayList<>();
    for (Object v : Json.array(json, what)) {
      out.add(Json.real(v, what));
    }
    return out;
  }

  private static List<Double> doubles(float[] values) {
    List<Double> out = new ArrayList<>();
    for (float v : values) {
      out.add(Double.parseDouble(Float.toString(v))); // 0.485, not 0.48500001430511475
    }
    return out;
  }
}
