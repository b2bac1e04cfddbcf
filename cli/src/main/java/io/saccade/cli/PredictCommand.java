package io.saccade.cli;

import io.saccade.runtime.data.BadSampleException;
import io.saccade.runtime.data.Clip;
import io.saccade.runtime.data.FrameFolderDataset;
import io.saccade.runtime.data.ListedDatasetBuilder;
import io.saccade.runtime.data.Sampling;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoFileDataset;
import io.saccade.runtime.export.VideoClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code saccade predict}: classify a video file, a frame folder or an embedded clip with an exported model. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = "Classify a video file or a video's frame folder with an exported SavedModel: top-k classes and the frames looked at.")
final class PredictCommand implements Callable<Integer> {

  @Option(names = {"-m", "--model"}, required = true, description = "SavedModel folder written by 'saccade export'.")
  Path model;

  @Option(names = "--video", description = "A video file (mp4, webm, avi, mkv, ...), decoded with FFmpeg.")
  Path video;

  @Option(names = "--frames", description = "Instead of --video: folder of a video's frames (JPEG/PNG, sorted by name).")
  Path frames;

  @Option(names = "--template", defaultValue = "{:05d}.jpg", description = "Frame file name template (default ${DEFAULT-VALUE}).")
  String template;

  @Option(names = "--embedded", description = "Instead of --video: index of a clip of the embedded validation set.")
  Integer embedded;

  @Option(names = {"-k", "--top"}, defaultValue = "5", description = "How many classes to print (default ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() throws Exception {
    checkInput(); // before the (slow) model load
    try (VideoClassifier classifier = VideoClassifier.load(model)) {
      Clip clip;
      try {
        clip = load(classifier);
      } catch (BadSampleException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      VideoClassifier.Prediction p = classifier.classify(clip.data(), top);
      for (VideoClassifier.Scored s : p.top()) {
        System.out.printf(Locale.ROOT, "%-28s %.4f%n", s.label(), s.probability());
      }
      for (int l = 0; l < p.selectedFrames().length; l++) {
        System.out.println("frames kept by navigation " + l + ": " + Arrays.toString(kept(p.selectedFrames()[l])));
      }
      System.out.printf(Locale.ROOT, "PREDICT label=%s p=%.4f gflops=%.4f%n", p.top().get(0).label(), p.top().get(0).probability(), p.gflops());
    }
    return 0;
  }

  private void checkInput() throws IOException {
    if ((video != null ? 1 : 0) + (frames != null ? 1 : 0) + (embedded != null ? 1 : 0) != 1) {
      throw new IllegalArgumentException("give exactly one of --video FILE, --frames DIR or --embedded INDEX");
    }
    if (video != null && !Files.isRegularFile(video)) {
      throw new NoSuchFileException(video.toString(), null, "--video is not a file");
    }
    if (frames != null && !Files.isDirectory(frames)) {
      throw new NoSuchFileException(frames.toString(), null, "--frames is not a folder");
    }
  }

  private static int[] kept(float[] mask) {
    return java.util.stream.IntStream.range(0, mask.length).filter(t -> mask[t] > 0.5f).toArray();
  }

  private Clip load(VideoClassifier c) throws IOException, BadSampleException {
    if (video != null) {
      return loadListed(video.getFileName() + " 0", VideoFileDataset.builder(), video, c);
    }
    if (embedded != null) {
      return SyntheticMotionDataset.builder()
          .frames(c.frames())
          .size(c.inputSize())
          .classes(c.classes())
          .clips(Math.max(embedded + 1, 1))
          .seed(1)
          .split(Split.VALIDATION)
          .build()
          .load(embedded, Sampling.eval());
    }
    long count;
    try (Stream<Path> files = Files.list(frames)) {
      count = files.filter(Files::isRegularFile).count();
    }
    if (count == 0) {
      throw new IllegalArgumentException(frames + " holds no frame files");
    }
    return loadListed(frames.getFileName() + " " + count + " 0", FrameFolderDataset.builder().template(template), frames, c);
  }

  /**
   * Loads the one video {@code entry} names through a one-line list, so sampling and preprocessing are
   * exactly the evaluation's; {@code input}'s folder is the root.
   */
  private static <B extends ListedDatasetBuilder<B>> Clip loadListed(String entry, B builder, Path input, VideoClassifier c)
      throws IOException, BadSampleException {
    Path list = Files.createTempFile("saccade-predict", ".txt");
    try {
      Files.writeString(list, entry + "\n");
      builder.root(input.toAbsolutePath().getParent()).list(list).frames(c.frames()).size(c.inputSize()).classes(c.classes());
      return builder.build().load(0, Sampling.eval());
    } finally {
      Files.deleteIfExists(list);
    }
  }
}
