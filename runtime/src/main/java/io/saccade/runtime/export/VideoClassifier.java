package io.saccade.runtime.export;

import io.saccade.runtime.data.BadSampleException;
import io.saccade.runtime.data.Clip;
import io.saccade.runtime.data.FrameDecoder;
import io.saccade.runtime.data.RgbImage;
import io.saccade.runtime.data.VideoFileDecoder;
import io.saccade.runtime.io.ArtefactException;
import io.saccade.runtime.io.FileDigests;
import io.saccade.runtime.io.Json;
import io.saccade.runtime.nn.Tensors;
import io.saccade.runtime.train.CheckpointContents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;

/**
 * Classifies videos with a model written by {@link SavedModelExporter}: straight from a video file or a
 * folder of frames, with the sampling, crop, resize and normalisation the export recorded, so the caller
 * never repeats them. Each answer holds the top-k class names with their probabilities, the frames every
 * navigation layer kept (as the video's own frame numbers) and the GFLOPs spent.
 *
 * <pre>{@code
 * try (VideoClassifier classifier = VideoClassifier.open(Path.of("exported/afnet"))) {   // newest version
 *   VideoClassifier.Prediction p = classifier.classify(Path.of("clip.mp4"), 5);
 *   System.out.println(p.top().get(0).label() + " " + p.top().get(0).probability() + " " + p.gflops() + " GFLOPs");
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> One instance holds one TensorFlow session and may be shared: any number of threads
 * may call {@code classify} at once (videos are decoded on the calling thread, the session runs the calls
 * concurrently), and each call gives the answer it would give alone. {@link #close()} may be called while
 * calls are in flight: calls that have not reached the session, and calls whose session run ends after the
 * close began, fail with an {@link IllegalStateException} saying the classifier was closed; the session is
 * freed only after the runs in progress have returned, never under them.
 */
public final class VideoClassifier implements AutoCloseable {

  private static final Pattern DIGITS = Pattern.compile("(\\d+)(?!.*\\d)");
  private static final Pattern IMAGE = Pattern.compile("(?i).*\\.(jpe?g|png|bmp)$");

  /**
   * One class and its probability.
   *
   * @param index class index
   * @param label class name from the export's {@code labels.txt}
   * @param probability softmax probability
   */
  public record Scored(int index, String label, float probability) {}

  /**
   * What the network said about one clip.
   *
   * @param top the k most probable classes, most probable first
   * @param selectedFrames {@code [layers][T]}: 1 where a navigation layer computed clip frame t (empty for
   *     dense networks)
   * @param gflops GFLOPs spent on the clip (dynamic: only the frames computed)
   * @param frameNumbers the video's frame behind each of the clip's T frames: 0-based decode order for a
   *     video file, the number in the file name for a frame folder, 0..T−1 for a clip given as numbers
   */
  public record Prediction(List<Scored> top, float[][] selectedFrames, float gflops, int[] frameNumbers) {

    /**
     * The video's frame numbers each navigation layer kept ({@code [layers][kept]}), e.g. layer 0 kept
     * frames 12, 37 and 87 of the video.
     */
    public int[][] keptFrames() {
      int[][] out = new int[selectedFrames.length][];
      for (int l = 0; l < selectedFrames.length; l++) {
        float[] mask = selectedFrames[l];
        out[l] = java.util.stream.IntStream.range(0, mask.length).filter(t -> mask[t] > 0.5f).map(t -> frameNumbers[t]).toArray();
      }
      return out;
    }
  }

  private final Path dir;
  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final List<String> labels;
  private final Preprocessing preprocessing;
  private final String network;
  private final int classes;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile boolean closed;
  private boolean freed;

  private VideoClassifier(Path dir, SavedModelBundle bundle, List<String> labels, Preprocessing preprocessing, String network) {
    this.dir = dir;
    this.bundle = bundle;
    this.function = bundle.function(org.tensorflow.Signature.DEFAULT_KEY);
    this.labels = List.copyOf(labels);
    this.preprocessing = preprocessing;
    this.network = network;
    this.classes = labels.size();
  }

  /**
   * Opens an exported model: a model folder ({@code OUT}, whose highest-numbered version is used) or one
   * version folder ({@code OUT/2}). The files are checked against the lengths and checksums the export
   * recorded, and the graph's input and variables against its metadata, before TensorFlow reads them.
   *
   * @throws IOException naming the folder when it is not a Saccade export
   * @throws ArtefactException when it is damaged (naming the file), or its parts come from different
   *     networks (naming the variable or input and both shapes)
   */
  public static VideoClassifier open(Path dir) throws IOException {
    Path version = dir;
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      var newest = ModelVersions.newest(dir);
      if (newest.isEmpty()) {
        throw new IOException(dir + " is not a SavedModel exported by Saccade (no saved_model.pb, and no version folder 1, 2, ...)");
      }
      version = dir.resolve(Integer.toString(newest.get()));
    }
    Path metaFile = version.resolve(SavedModelExporter.ASSETS_EXTRA).resolve(SavedModelExporter.METADATA_FILE);
    if (!Files.isRegularFile(version.resolve("saved_model.pb")) || !Files.isRegularFile(metaFile)) {
      throw new IOException(version + " is not a SavedModel exported by Saccade (no saved_model.pb or "
          + SavedModelExporter.ASSETS_EXTRA + "/" + SavedModelExporter.METADATA_FILE + "); export it again with saccade export");
    }
    Map<String, Object> meta;
    Preprocessing preprocessing;
    try {
      meta = Json.object(Json.parse(Files.readString(metaFile, StandardCharsets.UTF_8)), "the export metadata");
      if (!SavedModelExporter.FORMAT.equals(meta.get("format"))) {
        throw new IllegalArgumentException("format " + meta.get("format") + ", expected " + SavedModelExporter.FORMAT);
      }
      preprocessing = Preprocessing.fromJson(meta.get("preprocessing"));
    } catch (RuntimeException e) {
      throw new ArtefactException(version, "cannot read " + metaFile + ": " + e.getMessage(), e);
    }
    String what = "exported model " + version;
    String network = (String) meta.get("network");
    Map<String, Object> files = Json.object(meta.get("files"), "\"files\"");
    try {
      checkGraph(version, meta, preprocessing, what + " (" + network + ")");
    } catch (ArtefactException e) {
      // Parts of two exports are named by checkGraph (variable and shapes); a file TensorFlow could not
      // read is better named by its recorded length and checksum.
      if (!(e.getCause() instanceof TensorFlowException) && !e.getMessage().contains("cannot be parsed")) {
        throw e;
      }
      FileDigests.verify(version, files, what);
      throw e;
    }
    FileDigests.verify(version, files, what);
    List<String> labels =
        Files.readAllLines(version.resolve(SavedModelExporter.ASSETS_EXTRA).resolve(SavedModelExporter.LABELS_FILE), StandardCharsets.UTF_8);
    long classes = Json.integer(meta.get("classes"), "\"classes\"");
    if (labels.size() != classes) {
      throw new ArtefactException(version, what + " has " + classes + " classes but " + labels.size() + " lines in labels.txt");
    }
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.load(version.toString(), SavedModelBundle.DEFAULT_TAG);
    } catch (TensorFlowException e) {
      throw new ArtefactException(version, what + " cannot be loaded: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    return new VideoClassifier(version, bundle, labels, preprocessing, network);
  }

  /** {@link #open(Path)}, under its earlier name. */
  public static VideoClassifier load(Path dir) throws IOException {
    return open(dir);
  }

  /**
   * Compares saved_model.pb's signature and variables with the metadata, and the variables' files with
   * the graph (a read of every variable, the way TensorFlow will), so mixed-up exports are named.
   */
  private static void checkGraph(Path version, Map<String, Object> meta, Preprocessing p, String what) throws IOException {
    SavedModel saved;
    try {
      saved = SavedModel.parseFrom(Files.readAllBytes(version.resolve("saved_model.pb")));
    } catch (IOException e) {
      throw new ArtefactException(version, what + ": saved_model.pb cannot be parsed (" + e.getMessage() + "): truncated or not a SavedModel", e);
    }
    if (saved.getMetaGraphsCount() == 0 || !saved.getMetaGraphs(0).containsSignatureDef(org.tensorflow.Signature.DEFAULT_KEY)) {
      throw new ArtefactException(version, what + ": saved_model.pb has no serving_default signature");
    }
    SignatureDef sig = saved.getMetaGraphs(0).getSignatureDefOrThrow(org.tensorflow.Signature.DEFAULT_KEY);
    long[] expected = {-1, p.frames(), p.inputSize(), p.inputSize(), 3};
    long[] input = dims(sig.getInputsOrDefault(SavedModelExporter.INPUT, TensorInfo.getDefaultInstance()));
    if (!Arrays.equals(expected, input)) {
      throw new ArtefactException(version, what + ": saved_model.pb takes clips of " + Arrays.toString(input)
          + " but its metadata describes " + Arrays.toString(expected) + "; the folder mixes files of two exports");
    }
    long classes = Json.integer(meta.get("classes"), "\"classes\"");
    long[] probs = dims(sig.getOutputsOrDefault(SavedModelExporter.PROBABILITIES, TensorInfo.getDefaultInstance()));
    if (!Arrays.equals(new long[] {-1, classes}, probs)) {
      throw new ArtefactException(version, what + ": saved_model.pb gives probabilities of " + Arrays.toString(probs)
          + " but its metadata describes " + classes + " classes; the folder mixes files of two exports");
    }
    Map<String, Object> recorded = Json.object(meta.get("tensors"), "\"tensors\"");
    Map<String, Object> inGraph = new java.util.TreeMap<>();
    for (var node : saved.getMetaGraphs(0).getGraphDef().getNodeList()) {
      if (node.getOp().equals("VariableV2")) {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("dtype", node.getAttrOrThrow("dtype").getType().name());
        List<Long> shape = new ArrayList<>();
        node.getAttrOrThrow("shape").getShape().getDimList().forEach(x -> shape.add(x.getSize()));
        d.put("shape", shape);
        inGraph.put(node.getName(), d);
      }
    }
    List<String> problems = CheckpointContents.compare(inGraph, recorded);
    if (!problems.isEmpty()) {
      throw new ArtefactException(version, what + ": saved_model.pb does not hold the graph its metadata describes: "
          + CheckpointContents.summarise(problems));
    }
    // The variable files against the graph: shapes by name, read in a throwaway graph.
    CheckpointContents.verify(version, version.resolve("variables").resolve("variables").toString(), recorded, what + "'s variables");
  }

  private static long[] dims(TensorInfo info) {
    return info.getTensorShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray();
  }

  /** The version folder in use. */
  public Path directory() {
    return dir;
  }

  /** The exported network's name. */
  public String network() {
    return network;
  }

  /** Frames per clip the model expects. */
  public int frames() {
    return preprocessing.frames();
  }

  /** Number of classes. */
  public int classes() {
    return classes;
  }

  /** Frame side in pixels the model expects. */
  public int inputSize() {
    return preprocessing.inputSize();
  }

  /** The class names, in label order. */
  public List<String> labels() {
    return labels;
  }

  /** The pre-processing the export recorded (and {@link #classify(Path, int)} applies). */
  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /**
   * Classifies a video file (any container and codec FFmpeg decodes) or a folder of frame images (sorted
   * by the number in their names), sampled, cropped, resized and normalised as the export says.
   *
   * @param topK how many classes to return
   * @throws IOException if the input does not exist
   * @throws BadSampleException if the video or a frame cannot be decoded (naming the file)
   * @throws IllegalStateException if the classifier is closed, or closed while this call ran
   */
  public Prediction classify(Path videoOrFrameFolder, int topK) throws IOException, BadSampleException {
    requireOpen();
    Decoded d = Files.isDirectory(videoOrFrameFolder) ? frameFolder(videoOrFrameFolder) : videoFile(videoOrFrameFolder);
    return run(preprocessing.clip(d.images()), topK, d.frameNumbers());
  }

  /**
   * Classifies a clip that is already network input ({@code [T, H, W, 3]}, pre-processed as the export
   * says).
   *
   * @throws IllegalArgumentException naming the expected and the actual shape
   */
  public Prediction classify(Clip clip, int topK) {
    if (clip.frames() != frames() || clip.height() != inputSize() || clip.width() != inputSize()) {
      throw new IllegalArgumentException(network + " expects a clip of [" + frames() + ", " + inputSize() + ", " + inputSize()
          + ", 3] (frames, height, width, channels), got [" + clip.frames() + ", " + clip.height() + ", " + clip.width() + ", 3]");
    }
    return classify(clip.data(), topK);
  }

  /**
   * Classifies one clip given as numbers.
   *
   * @param clip {@code [T, H, W, 3]} row-major, pre-processed as the export says
   * @param topK how many classes to return
   * @throws IllegalArgumentException naming the expected shape and the number of values given
   */
  public Prediction classify(float[] clip, int topK) {
    int t = frames();
    int size = inputSize();
    int expected = t * size * size * 3;
    if (clip.length != expected) {
      int perFrame = size * size * 3;
      String actual = clip.length % perFrame == 0 ? " = [" + clip.length / perFrame + ", " + size + ", " + size + ", 3]" : "";
      throw new IllegalArgumentException(network + " expects a clip of [" + t + ", " + size + ", " + size + ", 3] = " + expected
          + " values, got " + clip.length + actual);
    }
    return run(clip, topK, java.util.stream.IntStream.range(0, t).toArray());
  }

  private Prediction run(float[] clip, int k, int[] frameNumbers) {
    return run(List.of(clip), k, List.of(frameNumbers)).get(0);
  }

  /** One session run over {@code clips.size()} clips stacked as {@code [N, T, H, W, 3]}. */
  private List<Prediction> run(List<float[]> clips, int k, List<int[]> frameNumbers) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    int n = clips.size();
    int t = frames();
    int size = inputSize();
    int length = t * size * size * 3;
    float[] stacked;
    if (n == 1) {
      stacked = clips.get(0);
    } else {
      stacked = new float[n * length];
      for (int i = 0; i < n; i++) {
        System.arraycopy(clips.get(i), 0, stacked, i * length, length);
      }
    }
    lock.readLock().lock();
    try {
      requireOpen();
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(n, t, size, size, 3), DataBuffers.of(stacked));
          Result out = function.call(Map.of(SavedModelExporter.INPUT, in))) {
        float[] probs = Tensors.floats((TFloat32) out.get(SavedModelExporter.PROBABILITIES).orElseThrow());
        float[] gflops = Tensors.floats((TFloat32) out.get(SavedModelExporter.GFLOPS).orElseThrow());
        int layers = 0;
        float[] masks = new float[0];
        var selected = out.get(SavedModelExporter.SELECTED_FRAMES);
        if (selected.isPresent()) {
          TFloat32 m = (TFloat32) selected.get();
          layers = (int) m.shape().get(1);
          masks = Tensors.floats(m);
        }
        if (closed) {
          throw new IllegalStateException("classifier of " + dir + " was closed while this call was in flight");
        }
        List<Prediction> predictions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          float[][] kept = new float[layers][t];
          for (int l = 0; l < layers; l++) {
            System.arraycopy(masks, (i * layers + l) * t, kept[l], 0, t);
          }
          List<Scored> scored = new ArrayList<>();
          for (int c = 0; c < classes; c++) {
            scored.add(new Scored(c, labels.get(c), probs[i * classes + c]));
          }
          scored.sort(Comparator.comparingDouble(Scored::probability).reversed());
          predictions.add(new Prediction(List.copyOf(scored.subList(0, Math.min(k, classes))), kept, gflops[i], frameNumbers.get(i).clone()));
        }
        return predictions;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("classifier of " + dir + " is closed");
    }
  }

  /**
   * The answer for one input of {@link #classifyAll(List, int)}: its prediction, or the reason it has
   * none.
   *
   * @param input the video file or frame folder, as given
   * @param prediction what the network said, or null when the input could not be read
   * @param error why the input could not be read (missing, not decodable, an empty frame folder), or
   *     null; its message names the input
   */
  public record Outcome(Path input, Prediction prediction, Exception error) {

    /** Whether the input was classified. */
    public boolean ok() {
      return prediction != null;
    }
  }

  /**
   * Classifies several videos or frame folders in one session run: each is decoded and pre-processed as
   * {@link #classify(Path, int)} does, then all that could be read go through the network together as one
   * batch. An input that is missing or cannot be decoded does not fail the others: its {@link Outcome}
   * holds the error instead. The answers are in the order of {@code inputs}, and each equals what
   * {@link #classify(Path, int)} gives for that input (to float rounding: the batch may take other
   * kernels than a single clip).
   *
   * @param topK how many classes to return per input
   * @throws IllegalStateException if the classifier is closed, or closed while this call ran
   */
  public List<Outcome> classifyAll(List<Path> inputs, int topK) {
    if (topK < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + topK);
    }
    requireOpen();
    Outcome[] outcomes = new Outcome[inputs.size()];
    List<Integer> readable = new ArrayList<>();
    List<float[]> clips = new ArrayList<>();
    List<int[]> numbers = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      Path input = inputs.get(i);
      try {
        Decoded d = Files.isDirectory(input) ? frameFolder(input) : videoFile(input);
        clips.add(preprocessing.clip(d.images()));
        numbers.add(d.frameNumbers());
        readable.add(i);
      } catch (IOException | BadSampleException | IllegalArgumentException e) {
        outcomes[i] = new Outcome(input, null, e);
      }
    }
    if (!clips.isEmpty()) {
      List<Prediction> predictions = run(clips, topK, numbers);
      for (int j = 0; j < readable.size(); j++) {
        int i = readable.get(j);
        outcomes[i] = new Outcome(inputs.get(i), predictions.get(j), null);
      }
    }
    return List.of(outcomes);
  }

  /** Decoded frames of the clip and the video's frame number behind each. */
  private record Decoded(List<RgbImage> images, int[] frameNumbers) {}

  private Decoded frameFolder(Path folder) throws IOException, BadSampleException {
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(f -> Files.isRegularFile(f) && IMAGE.matcher(f.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong(VideoClassifier::number).thenComparing(Path::toString))
          .toList();
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(folder + " holds no frame images (.jpg, .png, .bmp)");
    }
    int[] picked = preprocessing.frameIndices(files.size());
    List<RgbImage> images = new ArrayList<>();
    int[] numbers = new int[picked.length];
    for (int i = 0; i < picked.length; i++) {
      requireOpen();
      Path f = files.get(picked[i]);
      images.add(FrameDecoder.decode(f));
      long n = number(f);
      numbers[i] = n == Long.MAX_VALUE ? picked[i] + 1 : (int) n;
    }
    return new Decoded(images, numbers);
  }

  /** The last number in a file's name (Long.MAX_VALUE without one). */
  private static long number(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    Matcher m = DIGITS.matcher(dot < 0 ? name : name.substring(0, dot));
    return m.find() && m.group(1).length() < 10 ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
  }

  private Decoded videoFile(Path file) throws IOException, BadSampleException {
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "neither a video file nor a frame folder");
    }
    int count = VideoFileDecoder.countFrames(file);
    int[] picked = preprocessing.frameIndices(count);
    VideoFileDecoder.Frames frames = VideoFileDecoder.decode(file, picked);
    if (frames.endOfStream() && Arrays.stream(picked).anyMatch(i -> !frames.images().containsKey(i))) {
      // The header promised more frames than the file holds: sample from what it holds.
      picked = preprocessing.frameIndices(Math.max(1, frames.decodedFrames()));
      return videoFrames(VideoFileDecoder.decode(file, picked), picked);
    }
    return videoFrames(frames, picked);
  }

  private Decoded videoFrames(VideoFileDecoder.Frames frames, int[] picked) {
    List<RgbImage> images = new ArrayList<>();
    for (int i : picked) {
      images.add(frames.get(i));
    }
    return new Decoded(images, picked.clone());
  }

  /**
   * Frees the session. Calls in flight fail with an {@link IllegalStateException}; the session is closed
   * once the runs already inside it have returned. Closing twice does nothing.
   */
  @Override
  public void close() {
    closed = true;
    lock.writeLock().lock();
    try {
      if (!freed) {
        freed = true;
        bundle.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
