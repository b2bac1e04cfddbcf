package io.saccade.cli;

import io.saccade.runtime.data.BadSampleException;
import io.saccade.runtime.data.Sampling;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.export.VideoClassifier;
import io.saccade.runtime.weights.Npy;
import io.saccade.runtime.weights.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code saccade predict}: classify a video file, a frame folder or an embedded clip with an exported
 * model, through {@link VideoClassifier} (which applies the export's own pre-processing).
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = "Classify a video file or a video's frame folder with an exported SavedModel: top-k classes and the frames looked at.")
final class PredictCommand implements Callable<Integer> {

  @Option(names = {"-m", "--model"}, required = true, description = "Model folder written by 'saccade export' (its newest version is used), or one version folder.")
  Path model;

  @Option(names = "--video", description = "A video file (mp4, webm, avi, mkv, ...), decoded with FFmpeg.")
  Path video;

  @Option(names = "--frames", description = "Instead of --video: folder of a video's frames (JPEG/PNG/BMP, ordered by the number in their names).")
  Path frames;

  @Option(names = "--embedded", description = "Instead of --video: index of a clip of the embedded validation set.")
  Integer embedded;

  @Option(
      names = "--clip",
      description = "Instead of --video: a clip already pre-processed as network input, a .npy array [frames, size, size, 3]"
          + " of floats (numpy: np.save(\"clip.npy\", x.astype(np.float32))).")
  Path clip;

  @Option(names = {"-k", "--top"}, defaultValue = "5", description = "How many classes to print (default ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() throws Exception {
    checkInput(); // before the (slow) model load
    try (VideoClassifier classifier = VideoClassifier.open(model)) {
      VideoClassifier.Prediction p;
      try {
        p = embedded != null ? embedded(classifier)
            : clip != null ? classifier.classify(npyClip(classifier), top)
            : classifier.classify(video != null ? video : frames, top);
      } catch (BadSampleException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      for (VideoClassifier.Scored s : p.top()) {
        System.out.printf(Locale.ROOT, "%-28s %.4f%n", s.label(), s.probability());
      }
      System.out.println("frames sampled: " + Arrays.toString(p.frameNumbers()));
      int[][] kept = p.keptFrames();
      for (int l = 0; l < kept.length; l++) {
        System.out.println("frames kept by navigation " + l + ": " + Arrays.toString(kept[l]));
      }
      System.out.printf(Locale.ROOT, "PREDICT label=%s p=%.4f gflops=%.4f%n", p.top().get(0).label(), p.top().get(0).probability(), p.gflops());
    }
    return 0;
  }

  /** {@code --clip FILE.npy} as network input, its shape and dtype checked against the model's. */
  private float[] npyClip(VideoClassifier c) throws IOException {
    NpyArray a = Npy.read(clip);
    long[] expected = {c.frames(), c.inputSize(), c.inputSize(), 3};
    boolean floating = a.dtype() == NpyArray.DType.FLOAT32 || a.dtype() == NpyArray.DType.FLOAT16
        || a.dtype() == NpyArray.DType.FLOAT64 || a.dtype() == NpyArray.DType.BFLOAT16;
    if (!Arrays.equals(a.shape(), expected) || !floating) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "--clip %s: the model expects a float32 array of shape %s (frames, height, width, channels), pre-processed as"
              + " its export says; the file holds %s of shape %s",
          clip, Arrays.toString(expected), a.dtype(), Arrays.toString(a.shape())));
    }
    return a.floats();
  }

  private VideoClassifier.Prediction embedded(VideoClassifier c) throws BadSampleException {
    return c.classify(
        SyntheticMotionDataset.builder()
            .frames(c.preprocessing().frameSets().get(0))
            .frameSets(c.preprocessing().frameSets().size() > 1 ? c.preprocessing().frameSets() : null)
            .size(c.inputSize())
            .classes(c.classes())
            .normalization(c.preprocessing().normalization())
            .clips(Math.max(embedded + 1, 1))
            .seed(1)
            .split(Split.VALIDATION)
            .build()
            .load(embedded, Sampling.eval()),
        top);
  }

  private void checkInput() throws IOException {
    if ((video != null ? 1 : 0) + (frames != null ? 1 : 0) + (embedded != null ? 1 : 0) + (clip != null ? 1 : 0) != 1) {
      throw new IllegalArgumentException("give exactly one of --video FILE, --frames DIR, --clip FILE.npy or --embedded INDEX");
    }
    if (clip != null && !Files.isRegularFile(clip)) {
      throw new NoSuchFileException(clip.toString(), null, "--clip is not a file");
    }
    if (embedded != null && embedded < 0) {
      throw new IllegalArgumentException("--embedded must be a clip index >= 0, got " + embedded);
    }
    if (top < 1) {
      throw new IllegalArgumentException("--top must be >= 1, got " + top);
    }
    if (video != null && !Files.isRegularFile(video)) {
      throw new NoSuchFileException(video.toString(), null, "--video is not a file");
    }
    if (frames != null && !Files.isDirectory(frames)) {
      throw new NoSuchFileException(frames.toString(), null, "--frames is not a folder");
    }
    if (!Files.exists(model)) {
      throw new NoSuchFileException(model.toString(), null, "-m names no exported model folder");
    }
  }
}
