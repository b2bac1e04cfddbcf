package io.saccade.runtime.export;

import io.saccade.runtime.io.FileTrees;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.ParameterStore;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Exports a trained network as a TensorFlow SavedModel with a {@code serving_default} signature,
 * loadable by TensorFlow Serving, Python TensorFlow and {@link VideoClassifier}.
 *
 * <p>The exported graph holds only the inference build (deterministic, frames really skipped), not
 * the training ops or the optimizer state: the weights are carried over through a checkpoint of the
 * source session. Signature: input {@value #INPUT} {@code [N, T, H, W, 3]} float; outputs
 * {@value #PROBABILITIES} {@code [N, classes]}, {@value #LOGITS} {@code [N, classes]}, {@value #GFLOPS}
 * {@code [N]} and, for networks with navigation, {@value #SELECTED_FRAMES} {@code [N, L, T]} (1 where
 * navigation layer l computed frame t). The export is written to a temporary folder and moved into
 * place, so a failed export never leaves a half model at {@code dir}.
 *
 * <pre>{@code
 * SavedModelExporter.export(model, trainer.session(), Path.of("exported/afnet"));
 * }</pre>
 */
public final class SavedModelExporter {

  /** The signature's method name, what TensorFlow Serving's Predict API expects. */
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";

  /** Name of the clip input. */
  public static final String INPUT = "clips";
  /** Softmax over the clip logits. */
  public static final String PROBABILITIES = "probabilities";
  /** Clip logits. */
  public static final String LOGITS = "logits";
  /** Dynamic GFLOPs spent per clip. */
  public static final String GFLOPS = "gflops";
  /** Frame masks of every navigation layer. */
  public static final String SELECTED_FRAMES = "selected_frames";

  /** Class names, one per line, beside the SavedModel. */
  public static final String LABELS_FILE = "saccade-labels.txt";
  /** The network's name, frames, input size and classes as {@code key=value} lines. */
  public static final String MODEL_FILE = "saccade-model.properties";

  private SavedModelExporter() {}

  /**
   * Exports {@code model} with the variable values held by {@code source}.
   *
   * @param source a session whose graph holds the model's parameters (e.g. a trainer's)
   * @param dir the SavedModel folder to create; must not exist yet
   */
  public static void export(VideoModel model, Session source, Path dir) throws IOException {
    export(model, source, dir, List.of());
  }

  /**
   * Exports as {@link #export(VideoModel, Session, Path)} and writes the class names, one per line, to
   * {@value #LABELS_FILE} in the SavedModel folder (where {@link VideoClassifier} finds them).
   */
  public static void export(VideoModel model, Session source, Path dir, List<String> classNames) throws IOException {
    if (!classNames.isEmpty() && classNames.size() != model.classes()) {
      throw new IllegalArgumentException(
          model.name() + " has " + model.classes() + " classes but " + classNames.size() + " class names were given");
    }
    if (Files.exists(dir)) {
      throw new FileAlreadyExistsException(dir.toString(), null, "export target exists; choose a new folder");
    }
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path work = Files.createTempDirectory(parent, ".export-");
    try {
      Path checkpoint = work.resolve("weights");
      Files.createDirectories(checkpoint);
      source.save(checkpoint.resolve("ckpt").toString());
      Path staged = work.resolve("model");
      try (Graph graph = new Graph()) {
        Ops tf = Ops.create(graph);
        ParameterStore store = new ParameterStore(graph, 0);
        Placeholder<TFloat32> clips =
            tf.withName(INPUT)
                .placeholder(
                    TFloat32.class,
                    Placeholder.shape(Shape.of(-1, model.frames(), model.inputSize(), model.inputSize(), 3)));
        ModelOutputs out =
            model.build(BuildContext.root(tf.withSubScope("model"), store, Mode.INFERENCE), clips, tf.constant(1f));
        Signature.Builder sig =
            Signature.builder()
                .key(Signature.DEFAULT_KEY)
                // TF Serving's Predict API checks the method name; TF Java leaves it empty otherwise
                .methodName(PREDICT_METHOD)
                .input(INPUT, clips)
                .output(PROBABILITIES, tf.withName(PROBABILITIES).nn.softmax(out.clipLogits()))
                .output(LOGITS, tf.withName(LOGITS).identity(out.clipLogits()))
                .output(GFLOPS, tf.withName(GFLOPS).identity(out.dynamicGflops()));
        if (!out.selections().isEmpty()) {
          List<Operand<TFloat32>> masks = new ArrayList<>();
          out.selections().forEach(s -> masks.add(s.mask()));
          sig.output(
              SELECTED_FRAMES,
              tf.withName(SELECTED_FRAMES).stack(masks, org.tensorflow.op.core.Stack.axis(1L)));
        }
        try (Session session = new Session(graph)) {
          session.restore(checkpoint.resolve("ckpt").toString());
          SavedModelBundle.exporter(staged.toString()).withSession(session).withSignature(sig.build()).export();
        }
      }
      if (!classNames.isEmpty()) {
        Files.write(staged.resolve(LABELS_FILE), classNames);
      }
      Files.writeString(
          staged.resolve(MODEL_FILE),
          "network=" + model.name() + "\nframes=" + model.frames() + "\ninputSize=" + model.inputSize() + "\nclasses="
              + model.classes() + "\n");
      try {
        Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staged, dir);
      }
    } finally {
      FileTrees.delete(work);
    }
  }

}
