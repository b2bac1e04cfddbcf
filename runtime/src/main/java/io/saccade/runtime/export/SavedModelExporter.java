package io.saccade.runtime.export;

import io.saccade.runtime.io.ArtefactException;
import io.saccade.runtime.io.FileDigests;
import io.saccade.runtime.io.FileTrees;
import io.saccade.runtime.io.FileWrites;
import io.saccade.runtime.io.Json;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.train.CheckpointContents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
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
 * navigation layer l computed frame t). Each export is a numbered version folder ({@code out/1},
 * {@code out/2}, …), as TensorFlow Serving expects, with the class names and the pre-processing in its
 * {@value #ASSETS_EXTRA} folder. It is written to a temporary folder and moved into place, so a failed
 * export never leaves a half model behind.
 *
 * <pre>{@code
 * Path version = SavedModelExporter.export(model, trainer.session(), Path.of("exported/afnet"),
 *     trainData.classNames(), Preprocessing.of(trainData), 0);   // exported/afnet/1 (or the next free number)
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

  /** Where the files for the model's users go inside a version folder (TensorFlow Serving ignores it). */
  public static final String ASSETS_EXTRA = "assets.extra";
  /** Class names, one per line in label order, in {@value #ASSETS_EXTRA}. */
  public static final String LABELS_FILE = "labels.txt";
  /** The network, its input and its pre-processing, as JSON in {@value #ASSETS_EXTRA}. */
  public static final String METADATA_FILE = "saccade.json";

  static final String FORMAT = "saccade-export-1";

  private SavedModelExporter() {}

  /**
   * Exports {@code model} with {@link Preprocessing#assumed ImageNet pre-processing} into the next free
   * version folder of {@code out}; see {@link #export(VideoModel, Session, Path, List, Preprocessing, int)}.
   */
  public static Path export(VideoModel model, Session source, Path out, List<String> classNames) throws IOException {
    return export(model, source, out, classNames, Preprocessing.assumed(model.frameSets(), model.inputSize()), 0);
  }

  /**
   * Exports {@code model} with the variable values held by {@code source} as version {@code version} of
   * {@code out}, laid out as TensorFlow Serving expects:
   *
   * <pre>
   * out/1/saved_model.pb
   * out/1/variables/variables.{index,data-00000-of-00001}
   * out/1/assets.extra/labels.txt      class names, one per line, in label order
   * out/1/assets.extra/saccade.json    network, input shape, pre-processing, variable shapes, file checksums
   * </pre>
   *
   * @param source a session whose graph holds the model's parameters (e.g. a trainer's)
   * @param out the model folder; created if needed
   * @param classNames the run's class names, exactly {@code model.classes()} of them
   * @param preprocessing how training videos became clips (what a client must repeat)
   * @param version the version number, &gt;= 1; 0 for the next free one (1 in a new folder)
   * @return the version folder written
   * @throws FileAlreadyExistsException if {@code version} is given and exists
   */
  public static Path export(
      VideoModel model, Session source, Path out, List<String> classNames, Preprocessing preprocessing, int version)
      throws IOException {
    if (classNames.size() != model.classes()) {
      throw new IllegalArgumentException(
          model.name() + " has " + model.classes() + " classes but " + classNames.size() + " class names were given");
    }
    if (preprocessing.frames() != model.frames() || preprocessing.inputSize() != model.inputSize()) {
      throw new IllegalArgumentException(
          model.name() + " takes " + model.frames() + " frames of " + model.inputSize() + " px, the pre-processing makes "
              + preprocessing.frames() + " of " + preprocessing.inputSize());
    }
    if (!preprocessing.frameSets().equals(model.frameSets())) {
      throw new IllegalArgumentException(
          model.name() + " samples its clip as frame sets " + model.frameSets() + ", the pre-processing as " + preprocessing.frameSets());
    }
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 1 (or 0 for the next free one), got " + version);
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new FileAlreadyExistsException(out.toString(), null, "export target is a file, not a folder");
    }
    Files.createDirectories(out);
    int n = version > 0 ? version : ModelVersions.newest(out).map(v -> v + 1).orElse(1);
    Path dir = out.resolve(Integer.toString(n));
    if (Files.exists(dir)) {
      throw new FileAlreadyExistsException(dir.toString(), null, "version " + n + " exists; choose another --version or none");
    }
    Path work = Files.createTempDirectory(out.toAbsolutePath(), ".export-");
    try {
      write(model, source, work, dir, n, classNames, preprocessing);
      return dir;
    } catch (ArtefactException e) {
      throw e;
    } catch (IOException | TensorFlowException e) {
      // A full disk or an I/O error, from Java or from TensorFlow's own writers.
      throw new IOException("cannot write the export " + dir + ": " + FileWrites.reason(e, work) + "; nothing of it was kept"
          + (n > 1 ? ", versions before " + n + " are untouched" : "") + "; export again once the cause is fixed", e);
    } finally {
      FileTrees.delete(work);
    }
  }

  /** Writes version {@code n} into the temporary folder {@code work} and moves it to {@code dir}. */
  private static void write(VideoModel model, Session source, Path work, Path dir, int n, List<String> classNames,
      Preprocessing preprocessing) throws IOException {
    Path checkpoint = work.resolve("weights");
    Files.createDirectories(checkpoint);
    FileWrites.check(checkpoint.resolve("ckpt.data-00000-of-00001"));
    source.save(checkpoint.resolve("ckpt").toString());
    Path staged = work.resolve("model");
    Map<String, Object> tensors;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(graph, 0);
      Placeholder<TFloat32> clips =
          tf.withName(INPUT)
              .placeholder(
                  TFloat32.class,
                  Placeholder.shape(Shape.of(-1, model.frames(), model.inputSize(), model.inputSize(), 3)));
      ModelOutputs outputs =
          model.build(BuildContext.root(tf.withSubScope("model"), store, Mode.INFERENCE), clips, tf.constant(1f));
      Signature.Builder sig =
          Signature.builder()
              .key(Signature.DEFAULT_KEY)
              // TF Serving's Predict API checks the method name; TF Java leaves it empty otherwise
              .methodName(PREDICT_METHOD)
              .input(INPUT, clips)
              .output(PROBABILITIES, tf.withName(PROBABILITIES).nn.softmax(outputs.clipLogits()))
              .output(LOGITS, tf.withName(LOGITS).identity(outputs.clipLogits()))
              .output(GFLOPS, tf.withName(GFLOPS).identity(outputs.dynamicGflops()));
      if (!outputs.selections().isEmpty()) {
        List<Operand<TFloat32>> masks = new ArrayList<>();
        outputs.selections().forEach(s -> masks.add(s.mask()));
        sig.output(
            SELECTED_FRAMES,
            tf.withName(SELECTED_FRAMES).stack(masks, org.tensorflow.op.core.Stack.axis(1L)));
      }
      tensors = CheckpointContents.tensors(graph, name -> true);
      try (Session session = new Session(graph)) {
        // Only the network's variables: the source's optimizer state (any optimizer) stays behind.
        CheckpointContents.run(session, checkpoint, checkpoint.resolve("ckpt").toString(), tensors, "the trained session's variables");
        FileWrites.check(staged.resolve("variables").resolve("variables.data-00000-of-00001"));
        SavedModelBundle.exporter(staged.toString()).withSession(session).withSignature(sig.build()).export();
      }
    }
    Path extra = Files.createDirectories(staged.resolve(ASSETS_EXTRA));
    FileWrites.check(extra.resolve(LABELS_FILE));
    Files.write(extra.resolve(LABELS_FILE), classNames, StandardCharsets.UTF_8);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("network", model.name());
    meta.put("network_class", model.getClass().getName());
    meta.put("version", n);
    meta.put("frames", model.frames());
    if (model.frameSets().size() > 1) {
      meta.put("frame_sets", model.frameSets()); // consecutive sets of the clip, each sampled over the whole video
    }
    meta.put("input_size", model.inputSize());
    meta.put("classes", model.classes());
    meta.put("labels", LABELS_FILE);
    meta.put("input", INPUT + " [N, " + model.frames() + ", " + model.inputSize() + ", " + model.inputSize() + ", 3] float32");
    meta.put("preprocessing", preprocessing.toJson());
    meta.put("tensors", tensors);
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("saved_model.pb", FileDigests.of(staged, "saved_model.pb").get("saved_model.pb"));
    files.putAll(FileDigests.of(staged, "variables"));
    files.put(ASSETS_EXTRA + "/" + LABELS_FILE, FileDigests.of(staged, ASSETS_EXTRA).get(ASSETS_EXTRA + "/" + LABELS_FILE));
    meta.put("files", files);
    FileWrites.check(extra.resolve(METADATA_FILE));
    Files.writeString(extra.resolve(METADATA_FILE), Json.write(meta), StandardCharsets.UTF_8);
    try {
      Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staged, dir);
    }
  }
}
