package io.saccade.runtime.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A list file as the video-recognition community writes them (TSN, TSM, AFNet): one video per line,
 * {@code relative/path num_frames label}, whitespace separated.
 *
 * <pre>{@code
 * # something-something-v2 train list
 * 78687 37 44
 * 42326 48 101
 * }</pre>
 *
 * <ul>
 *   <li>Blank lines and lines starting with {@code #} are ignored.
 *   <li>The last two fields are {@code num_frames} (an integer ≥ 1) and the label; everything before
 *       them is the path, so paths may contain spaces.
 *   <li>The label is a non-negative integer, or, when a {@link LabelMap} is given, also a class name
 *       without spaces. It must be below the number of classes when that is known.
 * </ul>
 * A line that breaks these rules is not fatal: it is logged at WARN as {@code file:line: reason},
 * kept in {@link #rejected()}, and the video is left out.
 *
 * <p><b>Lists of video files</b> ({@link #readVideoFiles}, for {@link VideoFileDataset}) may leave the
 * frame count out: {@code relative/path.mp4 label} or {@code relative/path.mp4 num_frames label}. The
 * second-to-last field is taken as {@code num_frames} when it is an integer (a video path ends in an
 * extension, so it never is), and the entry's {@link Entry#numFrames()} is 0 when the count is absent.
 *
 * <pre>{@code
 * VideoList list = VideoList.read(Path.of("train_videofolder.txt"), labels);
 * list.entries().size();   // good lines
 * list.rejected();         // BadSampleException per bad line, with file and line
 * }</pre>
 */
public final class VideoList {

  private static final Logger LOG = LoggerFactory.getLogger(VideoList.class);

  /**
   * One good line.
   *
   * @param path the video's path as written, relative to the dataset root
   * @param numFrames frames in the video (≥ 1), or 0 when a video-file list does not give the count
   * @param label class index (≥ 0)
   * @param source the list file
   * @param line 1-based line in {@code source}
   */
  public record Entry(String path, int numFrames, int label, String source, int line) {
    public Entry {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(source, "source");
      if (numFrames < 0) {
        throw new IllegalArgumentException("numFrames must be >= 0 (0 = not given), got " + numFrames);
      }
      if (label < 0) {
        throw new IllegalArgumentException("label must be >= 0, got " + label);
      }
    }

    /** Whether the line gave {@code num_frames} (always, except in video-file lists). */
    public boolean hasFrameCount() {
      return numFrames > 0;
    }
  }

  private final List<Entry> entries;
  private final List<BadSampleException> rejected;

  private VideoList(List<Entry> entries, List<BadSampleException> rejected) {
    this.entries = List.copyOf(entries);
    this.rejected = List.copyOf(rejected);
  }

  /**
   * Reads {@code file}. {@code labels} may be null; then labels must be integers, and any integer is
   * accepted unless {@code classes > 0} bounds it.
   *
   * @param classes number of classes when known without a label map, else 0
   * @throws IOException if the file cannot be read at all (bad lines are rejected, not thrown)
   */
  public static VideoList read(Path file, LabelMap labels, int classes) throws IOException {
    return read(file, labels, classes, false);
  }

  /** {@link #read(Path, LabelMap, int)} without a class bound. */
  public static VideoList read(Path file, LabelMap labels) throws IOException {
    return read(file, labels, 0);
  }

  /**
   * Reads a list of video files, where {@code num_frames} is optional ({@code path [num_frames] label});
   * otherwise as {@link #read(Path, LabelMap, int)}.
   */
  public static VideoList readVideoFiles(Path file, LabelMap labels, int classes) throws IOException {
    return read(file, labels, classes, true);
  }

  private static VideoList read(Path file, LabelMap labels, int classes, boolean countOptional) throws IOException {
    return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8), labels, classes, countOptional);
  }

  /** Parses {@code lines}; {@code source} names the file in messages. */
  public static VideoList parse(String source, List<String> lines, LabelMap labels, int classes) {
    return parse(source, lines, labels, classes, false);
  }

  /** {@link #parse(String, List, LabelMap, int)} for a list of video files: {@code num_frames} may be left out. */
  public static VideoList parseVideoFiles(String source, List<String> lines, LabelMap labels, int classes) {
    return parse(source, lines, labels, classes, true);
  }

  private static VideoList parse(String source, List<String> lines, LabelMap labels, int classes, boolean countOptional) {
    int bound = labels != null ? labels.size() : classes;
    List<Entry> entries = new ArrayList<>();
    List<BadSampleException> rejected = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1).strip();
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        entries.add(parseLine(source, i + 1, line, labels, bound, countOptional));
      } catch (BadSampleException e) {
        LOG.warn("skipping list line {}", e.getMessage());
        rejected.add(e);
      }
    }
    return new VideoList(entries, rejected);
  }

  private static Entry parseLine(String source, int n, String line, LabelMap labels, int bound, boolean countOptional)
      throws BadSampleException {
    String[] tokens = line.split("\\s+");
    String labelToken = tokens[tokens.length - 1];
    String framesToken = tokens.length >= 3 ? tokens[tokens.length - 2] : null;
    boolean hasCount = !countOptional || (framesToken != null && framesToken.chars().allMatch(Character::isDigit));
    if (tokens.length < (hasCount ? 3 : 2)) {
      throw new BadSampleException(source, n,
          (countOptional ? "expected 'path [num_frames] label', got " : "expected 'path num_frames label', got ")
              + tokens.length + " field" + (tokens.length == 1 ? "" : "s") + ": '" + line + "'");
    }
    int labelAt = line.length() - labelToken.length();
    if (!hasCount) {
      String path = line.substring(0, labelAt).strip();
      return new Entry(path, 0, label(source, n, labelToken, labels, bound, path), source, n);
    }
    int framesAt = line.lastIndexOf(framesToken, labelAt - 1);
    String path = line.substring(0, framesAt).strip();
    int numFrames = LabelMap.parseNonNegative(framesToken);
    if (numFrames < 1) {
      throw new BadSampleException(source, n,
          "num_frames must be an integer >= 1, got '" + framesToken + "' (video " + path + ")");
    }
    return new Entry(path, numFrames, label(source, n, labelToken, labels, bound, path), source, n);
  }

  private static int label(String source, int n, String labelToken, LabelMap labels, int bound, String path)
      throws BadSampleException {
    int label = LabelMap.parseNonNegative(labelToken);
    if (label < 0) {
      int named = labels != null ? labels.indexOf(labelToken) : -1;
      if (named < 0) {
        throw new BadSampleException(source, n, labels == null
            ? "label must be a non-negative integer, got '" + labelToken + "' (video " + path + ")"
            : "unknown label '" + labelToken + "': not an index and not a class name (video " + path + ")");
      }
      label = named;
    }
    if (bound > 0 && label >= bound) {
      throw new BadSampleException(source, n,
          "unknown label " + label + ": there are " + bound + " classes (0.." + (bound - 1) + ") (video " + path + ")");
    }
    return label;
  }

  /** The good lines, in file order. */
  public List<Entry> entries() {
    return entries;
  }

  /** One exception per bad line, each naming the file and line. */
  public List<BadSampleException> rejected() {
    return rejected;
  }
}
