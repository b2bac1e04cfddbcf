package io.saccade.runtime.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Videos stored as files (MP4, WebM, AVI, MKV, ...) decoded on the fly with FFmpeg
 * ({@link VideoFileDecoder}), described by a list file ({@link VideoList#readVideoFiles}:
 * {@code relative/path.mp4 [num_frames] label} per line) and optionally a label map. No frame
 * extraction needed.
 *
 * <pre>{@code
 * VideoFileDataset train = VideoFileDataset.builder()
 *     .root(Path.of("/data/kinetics/videos"))          // the list's paths are relative to this
 *     .list(Path.of("/data/kinetics/train.txt"))       // "abseiling/xyz.mp4 0" or "abseiling/xyz.mp4 300 0"
 *     .labels(LabelMap.read(Path.of("/data/kinetics/labels.csv")))
 *     .frames(8).size(224)
 *     .build();
 * Clip c = train.load(0, Sampling.train(seed));        // [8, 224, 224, 3]
 * }</pre>
 *
 * <p>A clip is made as {@link FrameFolderDataset} makes one: {@link SegmentSampler} picks {@code T}
 * 0-based frame indices from the video's frame count, the decoder decodes the file from its start up to
 * the last of them (frame {@code i} is the {@code i}-th picture decoded), and the {@link ClipAugmenter}
 * crops, resamples and normalises.
 *
 * <p><b>Frame count.</b> Sampling needs the count {@code n} before decoding. It is, in this order: the
 * count this dataset learned from the file earlier; the list's {@code num_frames} when the line gives
 * it; else {@link VideoFileDecoder#countFrames} (the container's count, or a packet count for
 * WebM/MKV), cached per file, so each file is counted once per dataset.
 *
 * <p><b>When the list's count disagrees with the file.</b> The file wins, as soon as it shows it:
 * <ul>
 *   <li>the file has <em>fewer</em> frames (its stream ends before a sampled frame): the true count is
 *       cached, a WARN naming the file, the list line and both counts is logged once, and the clip is
 *       sampled again from the true count — the video is not skipped;
 *   <li>the file has <em>more</em> frames than the list says (seen from the container's count): a WARN
 *       once, and the container's count is used from then on.
 * </ul>
 *
 * <p><b>Bad videos.</b> A missing, unreadable or corrupt file, one cut to less than half its declared
 * length, and one with fewer than {@link Builder#minFrames(int) minFrames} frames raise
 * {@link BadSampleException}, whose message names the file and the list line
 * ({@code /data/v/a.mp4: not a readable video (...) [train.txt:17]}); {@link ClipLoader} logs, counts and
 * skips it. Bad list lines are in {@link #rejected()}. Files are not opened when the dataset is built.
 *
 * <p>Thread-safe: every load opens its own decoder; the count cache is a concurrent map.
 */
public final class VideoFileDataset extends ListedDataset {

  private static final Logger LOG = LoggerFactory.getLogger(VideoFileDataset.class);

  private final int minFrames;
  private final Map<Path, Integer> counts = new ConcurrentHashMap<>();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private VideoFileDataset(Builder b, VideoList list) {
    super(b, list);
    this.minFrames = b.minFrames;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The frame count sampling uses for video {@code index} (see the class comment); may open the file
   * to count, once.
   */
  public int frameCount(int index) throws BadSampleException {
    VideoList.Entry e = entry(index);
    Path file = file(index);
    Integer known = counts.get(file);
    if (known != null) {
      return known;
    }
    if (e.hasFrameCount()) {
      return e.numFrames();
    }
    int n;
    try {
      n = VideoFileDecoder.countFrames(file);
    } catch (BadSampleException x) {
      throw located(x, e);
    }
    counts.putIfAbsent(file, n);
    return n;
  }

  /** The 0-based frame indices {@code sampling} picks from video {@code index}. */
  public int[] frameIndices(int index, Sampling sampling) throws BadSampleException {
    int n = frameCount(index);
    if (n < minFrames) {
      throw tooShort(index, n);
    }
    return SegmentSampler.indices(n, frameSets, sampling);
  }

  @Override
  public Clip load(int index, Sampling sampling) throws BadSampleException {
    VideoList.Entry e = entry(index);
    Path file = file(index);
    int[] picked = frameIndices(index, sampling);
    VideoFileDecoder.Frames decoded = decode(e, file, picked);
    long declared = decoded.info().containerFrames();
    if (e.hasFrameCount() && declared > e.numFrames() && !counts.containsKey(file)) {
      counts.put(file, (int) Math.min(Integer.MAX_VALUE, declared));
      warnOnce(file, e, "more", "the list says " + e.numFrames() + " frames, the container declares " + declared
          + "; sampling from " + declared + " from now on");
    }
    if (decoded.endOfStream()) {
      int expected = frameCount(index);
      int actual = decoded.decodedFrames();
      counts.put(file, actual);
      warnOnce(file, e, "fewer", (e.hasFrameCount() && expected == e.numFrames() ? "the list says " : "expected ")
          + expected + " frames, the file decodes to " + actual + "; sampling from " + actual);
      if (actual < minFrames) {
        throw tooShort(index, actual);
      }
      picked = SegmentSampler.indices(actual, frameSets, sampling);
      if (!hasAll(decoded, picked)) {
        decoded = decode(e, file, picked);
        if (decoded.endOfStream()) {
          throw new BadSampleException(file.toString(), 0, "the video decodes to " + actual + " frames, then to "
              + decoded.decodedFrames() + " [" + e.source() + ":" + e.line() + "]");
        }
      }
    }
    List<RgbImage> images = new ArrayList<>(picked.length);
    for (int i : picked) {
      images.add(decoded.get(i));
    }
    return clip(index, images, sampling);
  }

  private static boolean hasAll(VideoFileDecoder.Frames decoded, int[] picked) {
    for (int i : picked) {
      if (decoded.get(i) == null) {
        return false;
      }
    }
    return true;
  }

  private static VideoFileDecoder.Frames decode(VideoList.Entry e, Path file, int[] picked) throws BadSampleException {
    try {
      return VideoFileDecoder.decode(file, picked);
    } catch (BadSampleException x) {
      throw located(x, e);
    }
  }

  private void warnOnce(Path file, VideoList.Entry e, String kind, String what) {
    if (warned.add(kind + ":" + file)) {
      LOG.warn("{} ({}:{}): {}", file, e.source(), e.line(), what);
    }
  }

  private BadSampleException tooShort(int index, int n) {
    VideoList.Entry e = entry(index);
    return new BadSampleException(file(index).toString(), 0,
        "too short: " + n + " frame" + (n == 1 ? "" : "s") + ", at least " + minFrames + " needed [" + e.source() + ":"
            + e.line() + "]");
  }

  /** The decoder's exception with the list line added to the message. */
  private static BadSampleException located(BadSampleException x, VideoList.Entry e) {
    return new BadSampleException(x.file(), 0, x.reason() + " [" + e.source() + ":" + e.line() + "]", x);
  }

  /** Settings of a {@link VideoFileDataset}. */
  public static final class Builder extends ListedDatasetBuilder<Builder> {
    private int minFrames = 1;

    private Builder() {}

    /**
     * Videos with fewer frames are bad samples (default 1: only an empty video is). Shorter videos
     * than T still give full clips: sampling repeats frames.
     */
    public Builder minFrames(int minFrames) {
      if (minFrames < 1) {
        throw new IllegalArgumentException("minFrames must be >= 1, got " + minFrames);
      }
      this.minFrames = minFrames;
      return this;
    }

    /**
     * Reads the list (and validates the settings). Bad lines are logged and rejected, not thrown;
     * video files are not opened yet.
     *
     * @throws IOException if the list file cannot be read
     */
    @Override
    public VideoFileDataset build() throws IOException {
      validate();
      VideoList parsed = VideoList.readVideoFiles(list, labels, classes);
      return new VideoFileDataset(this, parsed);
    }
  }
}
