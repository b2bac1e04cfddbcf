package io.saccade.runtime.export;

import io.saccade.runtime.nn.Tensors;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Classifies clips with a SavedModel written by {@link SavedModelExporter}: top-k classes with their
 * probabilities, which frames each navigation layer looked at, and the GFLOPs it spent.
 *
 * <pre>{@code
 * try (VideoClassifier c = VideoClassifier.load(Path.of("exported/afnet"))) {
 *   VideoClassifier.Prediction p = c.classify(clip.data(), 5);
 *   System.out.println(p.top().get(0).label() + " " + p.top().get(0).probability());
 * }
 * }</pre>
 */
public final class VideoClassifier implements AutoCloseable {

  /**
   * One class and its probability.
   *
   * @param index class index
   * @param label class name (the index as text when the export had no names)
   * @param probability softmax probability
   */
  public record Scored(int index, String label, float probability) {}

  /**
   * What the network said about one clip.
   *
   * @param top the k most probable classes, most probable first
   * @param selectedFrames {@code [layers][frames]}: 1 where a navigation layer computed the frame (empty
   *     for dense networks)
   * @param gflops GFLOPs spent on the clip
   */
  public record Prediction(List<Scored> top, float[][] selectedFrames, float gflops) {}

  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final List<String> labels;
  private final int frames;
  private final int inputSize;
  private final int classes;
  private final String network;

  private VideoClassifier(SavedModelBundle bundle, List<String> labels, Properties meta) {
    this.bundle = bundle;
    this.function = bundle.function(org.tensorflow.Signature.DEFAULT_KEY);
    this.labels = labels;
    this.network = meta.getProperty("network", "unknown");
    this.frames = Integer.parseInt(meta.getProperty("frames"));
    this.inputSize = Integer.parseInt(meta.getProperty("inputSize"));
    this.classes = Integer.parseInt(meta.getProperty("classes"));
  }

  /**
   * Loads an exported model.
   *
   * @throws IOException naming the folder when it is not a Saccade SavedModel
   */
  public static VideoClassifier load(Path dir) throws IOException {
    Path meta = dir.resolve(SavedModelExporter.MODEL_FILE);
    if (!Files.isRegularFile(dir.resolve("saved_model.pb")) || !Files.isRegularFile(meta)) {
      throw new IOException(dir + " is not a SavedModel exported by Saccade (no saved_model.pb or " + meta.getFileName() + ")");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(meta)) {
      p.load(r);
    }
    Path labelsFile = dir.resolve(SavedModelExporter.LABELS_FILE);
    List<String> labels = Files.isRegularFile(labelsFile) ? Files.readAllLines(labelsFile) : List.of();
    return new VideoClassifier(SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG), labels, p);
  }

  /** The exported network's name. */
  public String network() {
    return network;
  }

  /** Frames per clip the model expects. */
  public int frames() {
    return frames;
  }

  /** Number of classes. */
  public int classes() {
    return classes;
  }

  /** Frame side in pixels the model expects. */
  public int inputSize() {
    return inputSize;
  }

  /**
   * Classifies one clip.
   *
   * @param clip {@code [T, H, W, 3]} row-major, normalised as in training
   * @param k how many classes to return
   */
  public Prediction classify(float[] clip, int k) {
    int expected = frames * inputSize * inputSize * 3;
    if (clip.length != expected) {
      throw new IllegalArgumentException(
          network + " expects a clip of " + frames + "×" + inputSize + "×" + inputSize + "×3 = " + expected
              + " values, got " + clip.length);
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, frames, inputSize, inputSize, 3), DataBuffers.of(clip));
        Result out = function.call(Map.of(SavedModelExporter.INPUT, in))) {
      float[] probs = Tensors.floats((TFloat32) out.get(SavedModelExporter.PROBABILITIES).orElseThrow());
      float gflops = Tensors.floats((TFloat32) out.get(SavedModelExporter.GFLOPS).orElseThrow())[0];
      float[][] selected = new float[0][];
      var masks = out.get(SavedModelExporter.SELECTED_FRAMES);
      if (masks.isPresent()) {
        TFloat32 m = (TFloat32) masks.get();
        int layers = (int) m.shape().get(1);
        float[] all = Tensors.floats(m);
        selected = new float[layers][frames];
        for (int l = 0; l < layers; l++) {
          System.arraycopy(all, l * frames, selected[l], 0, frames);
        }
      }
      List<Scored> scored = new ArrayList<>();
      for (int c = 0; c < classes; c++) {
        scored.add(new Scored(c, c < labels.size() ? labels.get(c) : Integer.toString(c), probs[c]));
      }
      scored.sort(Comparator.comparingDouble(Scored::probability).reversed());
      return new Prediction(List.copyOf(scored.subList(0, Math.min(k, classes))), selected, gflops);
    }
  }

  @Override
  public void close() {
    bundle.close();
  }
}
