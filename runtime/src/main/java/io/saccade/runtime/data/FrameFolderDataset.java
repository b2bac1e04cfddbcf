package io.saccade.runtime.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Videos stored as folders of frames (Something-Something V1/V2, Jester, Mini-Kinetics as the TSN/TSM
 * tooling extracts them), described by a list file ({@link VideoList}: {@code path num_frames label}
 * per line) and optionally a label map ({@link LabelMap}).
 *
 * <pre>{@code
 * FrameFolderDataset train = FrameFolderDataset.builder()
 *     .root(Path.of("/data/sthv2/frames"))                    // video folders live here
 *     .list(Path.of("/data/sthv2/train_videofolder.txt"))
 *     .labels(LabelMap.read(Path.of("/data/sthv2/labels.json")))
 *     .template("{:06d}.jpg")                                  // SSv2; SSv1 is {:05d}.jpg
 *     .frames(8).size(112)
 *     .build();
 * Clip c = train.load(0, Sampling.train(seed));               // [8, 112, 112, 3]
 * }</pre>
 *
 * <p>A clip is made in four steps: {@link SegmentSampler} picks {@code T} frame indices (0-based)
 * from {@code num_frames}; frame {@code i} is the file {@code root/path/template(i + firstFrame)}
 * (1-based numbering by default); {@link FrameDecoder} decodes it (each distinct index once); the
 * {@link ClipAugmenter} crops every frame with one box, resamples, normalises. A missing or corrupt
 * frame raises {@link BadSampleException} naming the frame's path and the list line
 * ({@code frames/v7/00003.jpg: missing frame (no such file) [train.txt:7]}); bad list lines are in
 * {@link #rejected()}. Frames are not checked when the dataset is opened (lists have 10⁵ videos).
 *
 * <p>Template syntax: Python's {@code {:05d}} / {@code {}} or C's {@code %05d} / {@code %d}, with any
 * text around it ({@code img_{:05d}.jpg}).
 */
public final class FrameFolderDataset extends ListedDataset {

  private final FrameTemplate template;
  private final int firstFrame;

  private FrameFolderDataset(Builder b, VideoList list) {
    super(b, list);
    this.template = b.template;
    this.firstFrame = b.firstFrame;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The frame file name template, as given (e.g. {@code {:05d}.jpg}). */
  public String template() {
    return template.text;
  }

  /** The number of the first frame file (1 by default). */
  public int firstFrame() {
    return firstFrame;
  }

  /** The file of 0-based frame {@code frameIndex} of video {@code index}. */
  public Path framePath(int index, int frameIndex) {
    return file(index).resolve(template.format(frameIndex + firstFrame));
  }

  /** The 0-based frame indices {@code sampling} picks from video {@code index}. */
  public int[] frameIndices(int index, Sampling sampling) {
    return SegmentSampler.indices(entry(index).numFrames(), frameSets, sampling);
  }

  @Override
  public Clip load(int index, Sampling sampling) throws BadSampleException {
    int[] picked = frameIndices(index, sampling);
    List<RgbImage> images = new ArrayList<>(picked.length);
    Map<Integer, RgbImage> decoded = new HashMap<>();
    for (int i : picked) {
      RgbImage image = decoded.get(i);
      if (image == null) {
        try {
          image = FrameDecoder.decode(framePath(index, i));
        } catch (BadSampleException x) {
          VideoList.Entry e = entry(index);
          throw new BadSampleException(x.file(), 0, x.reason() + " [" + e.source() + ":" + e.line() + "]", x);
        }
        decoded.put(i, image);
      }
      images.add(image);
    }
    return clip(index, images, sampling);
  }

  /** A frame-file name pattern: prefix, zero-padded number of a given width, suffix. */
  static final class FrameTemplate {
    private static final Pattern PYTHON = Pattern.compile("\\{(?::0?(\\d*)d)?\\}");
    private static final Pattern PRINTF = Pattern.compile("%0?(\\d*)d");

    private final String text;
    private final String prefix;
    private final int width;
    private final String suffix;

    private FrameTemplate(String text, String prefix, int width, String suffix) {
      this.text = text;
      this.prefix = prefix;
      this.width = width;
      this.suffix = suffix;
    }

    static FrameTemplate parse(String template) {
      Matcher m = PYTHON.matcher(template);
      if (!m.find()) {
        m = PRINTF.matcher(template);
        if (!m.find()) {
          throw new IllegalArgumentException(
              "frame template '" + template + "' has no number placeholder such as {:05d} or %05d");
        }
      }
      String digits = m.group(1);
      int width = digits == null || digits.isEmpty() ? 0 : Integer.parseInt(digits);
      return new FrameTemplate(template, template.substring(0, m.start()), width, template.substring(m.end()));
    }

    String format(int number) {
      String n = Integer.toString(number);
      StringBuilder b = new StringBuilder(prefix);
      for (int i = n.length(); i < width; i++) {
        b.append('0');
      }
      return b.append(n).append(suffix).toString();
    }
  }

  /** Settings of a {@link FrameFolderDataset}. */
  public static final class Builder extends ListedDatasetBuilder<Builder> {
    private FrameTemplate template = FrameTemplate.parse("{:05d}.jpg");
    private int firstFrame = 1;

    private Builder() {}

    /** Frame file name, default {@code {:05d}.jpg} (Something-Something V1); V2 uses {@code {:06d}.jpg}. */
    public Builder template(String template) {
      this.template = FrameTemplate.parse(Objects.requireNonNull(template, "template"));
      return this;
    }

    /** The number of the first frame file, default 1. */
    public Builder firstFrame(int firstFrame) {
      if (firstFrame < 0) {
        throw new IllegalArgumentException("firstFrame must be >= 0, got " + firstFrame);
      }
      this.firstFrame = firstFrame;
      return this;
    }

    /**
     * Reads the list (and validates the settings). Bad lines are logged and rejected, not thrown.
     *
     * @throws IOException if the list file cannot be read
     */
    @Override
    public FrameFolderDataset build() throws IOException {
      validate();
      VideoList parsed = VideoList.read(list, labels, classes);
      return new FrameFolderDataset(this, parsed);
    }
  }
}
