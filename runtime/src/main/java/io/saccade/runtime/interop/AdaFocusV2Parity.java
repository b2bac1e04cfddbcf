package io.saccade.runtime.interop;

import io.saccade.dsl.FrameOrder;
import io.saccade.runtime.blocks.AdaFocusV2;
import io.saccade.runtime.io.Json;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.nn.Tensors;
import io.saccade.runtime.weights.Layouts;
import io.saccade.runtime.weights.NpyArray;
import io.saccade.runtime.weights.Npz;
import io.saccade.runtime.weights.WeightFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Checks a generated AdaFocusV2 against outputs of the official PyTorch code on an
 * {@code adafocusv2-parity} fixture: the official weights are loaded ({@link OfficialAdaFocusV2Weights}),
 * the fixture's clips run in evaluation mode, and every stored array is compared with its tolerance from
 * {@code meta.json}, twice:
 * <ul>
 *   <li><b>end to end</b>: the whole network from {@code input.npz};
 *   <li><b>stage</b>: each stage fed the fixture's own inputs of that stage (teacher forcing, by feeding the
 *       network's intermediate tensors): the policy and the global pooling from {@code global_featmap_clip0},
 *       the patches from {@code actions} and the clips, the local CNN from {@code patches_clip0}, the
 *       heads and the classifier from {@code global_feat} and {@code local_feat}.
 * </ul>
 *
 * <p>Fixture conventions (see the fixture's README): per-frame arrays have {@code N·T} rows, row
 * {@code n·T + t} = clip n at step t (the focus network's, {@code N·Tf}); maps and patches are NCHW; a per-clip
 * fixture whose focus network sees frames of its own ({@code config.focus_frames} Tf ≠ T, the official
 * int(1.5·T)) stores them as {@code focus_clips} {@code [N, Tf, 3, S, S]} beside the glance's {@code clips}, and
 * the network is fed both as one clip of T + Tf frames, the glance's first; {@code actions} are (y, x) fractions of
 * {@code S − P}; the clips are stored in the order the official code processes them, with
 * {@code input_order} saying which temporal frame each step is. A network declared with a conditional
 * exit reorders frames itself, so it is fed the clips put back in temporal order: its own order must
 * then be the official one for the outputs to match. {@code weights_from} in {@code meta.json} (a path
 * relative to the fixture, or {@code {"path": …, "prefixes": {from: to}}}) takes the weights from another
 * fixture's file, optionally only the keys under the given prefixes, renamed.
 *
 * <pre>{@code
 * AdaFocusV2Parity.Report r = AdaFocusV2Parity.check(new AdaFocusV2MiniKineticsParityNetwork(), fixtureDir);
 * System.out.println(r.line());   // PARITY fixture=adafocusv2-mk-s0 family=adafocusv2 final_logits_max_abs_diff=…
 * }</pre>
 */
public final class AdaFocusV2Parity {

  private AdaFocusV2Parity() {}

  /**
   * The comparisons.
   *
   * @param fixture the fixture folder's name
   * @param endToEnd every stored array, the whole network run
   * @param stage every array with a stage tolerance, each stage fed the fixture's inputs (names prefixed
   *     {@code stage/})
   * @param notes what the run did beyond the plain comparison (e.g. how the clips were ordered)
   */
  public record Report(String fixture, List<ArrayComparison> endToEnd, List<ArrayComparison> stage, List<String> notes) {

    public Report {
      endToEnd = List.copyOf(endToEnd);
      stage = List.copyOf(stage);
      notes = List.copyOf(notes);
    }

    /** Whether every comparison passed (and there was at least one). */
    public boolean passed() {
      return !endToEnd.isEmpty() && endToEnd.stream().allMatch(ArrayComparison::passed)
          && stage.stream().allMatch(ArrayComparison::passed);
    }

    /** Whether every end-to-end comparison passed. */
    public boolean endToEndPassed() {
      return !endToEnd.isEmpty() && endToEnd.stream().allMatch(ArrayComparison::passed);
    }

    /** Whether every stage comparison passed. */
    public boolean stagePassed() {
      return stage.stream().allMatch(ArrayComparison::passed);
    }

    /** The comparison of {@code name} ({@code stage/…} for a stage one). */
    public ArrayComparison get(String name) {
      return all().stream().filter(c -> c.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no comparison named " + name));
    }

    /** End-to-end then stage comparisons. */
    public List<ArrayComparison> all() {
      List<ArrayComparison> all = new ArrayList<>(endToEnd);
      all.addAll(stage);
      return all;
    }

    /** The comparison that came closest to (or furthest past) its limit. */
    public ArrayComparison worst() {
      return all().stream().max(Comparator.comparingDouble(ArrayComparison::limitUsed)).orElseThrow();
    }

    /** The one-line summary {@code saccade parity} prints. */
    public String line() {
      ArrayComparison w = worst();
      return String.format(Locale.ROOT, "PARITY fixture=%s family=adafocusv2 final_logits_max_abs_diff=%.3g worst=%s:%.3g passed=%s",
          fixture, get("final_logits").maxAbsDiff(), w.name(), w.maxAbsDiff(), passed());
    }

    /** One line per comparison, end to end first. */
    public String table() {
      StringBuilder out = new StringBuilder();
      notes.forEach(n -> out.append("  note: ").append(n).append('\n'));
      all().forEach(c -> out.append("  ").append(c.describe()).append('\n'));
      return out.toString().stripTrailing();
    }
  }

  /** Whether {@code meta} (a parsed {@code meta.json}) describes an AdaFocusV2 fixture. */
  public static boolean isAdaFocusV2(Map<String, Object> meta) {
    Object family = meta.get("family");
    if (family != null) {
      return String.valueOf(family).equalsIgnoreCase("adafocusv2");
    }
    return String.valueOf(meta.get("official_repo")).contains("AdaFocusV2")
        || String.valueOf(meta.get("model")).contains("AdaFocus");
  }

  /**
   * The configuration block of an AdaFocusV2 fixture's {@code meta.json}; {@code focusFrames} is
   * {@code focus_frames}, or {@code frames} when the focus network sees the glance's frames.
   */
  private record Config(int frames, int focusFrames, int clips, int classes, int inputSize, int patchSize) {
    static Config of(Map<String, Object> meta) {
      Map<String, Object> c = Json.object(meta.get("config"), "meta.json config");
      int frames = (int) Json.integer(c.get("frames"), "config.frames");
      return new Config(
          frames,
          c.get("focus_frames") == null ? frames : (int) Json.integer(c.get("focus_frames"), "config.focus_frames"),
          (int) Json.integer(c.get("clips"), "config.clips"),
          (int) Json.integer(c.get("classes"), "config.classes"),
          (int) Json.integer(c.get("input_size"), "config.input_size"),
          (int) Json.integer(c.get("patch_size"), "config.patch_size"));
    }

    boolean separateFocusFrames() {
      return focusFrames != frames;
    }

    /** Frames of the network's input clip: T, or T + Tf. */
    int clipFrames() {
      return separateFocusFrames() ? frames + focusFrames : frames;
    }

    List<Integer> frameSets() {
      return separateFocusFrames() ? List.of(frames, focusFrames) : List.of(frames);
    }
  }

  /**
   * Runs the check.
   *
   * @param model a generated AdaFocusV2 declared as the fixture's {@code meta.json} says
   * @param fixture a folder with {@code meta.json}, {@code input.npz}, {@code expected.npz} and
   *     {@code weights.npz} (or a {@code weights_from} entry)
   * @throws IOException naming a missing or unreadable fixture file
   * @throws IllegalArgumentException when the model does not match the fixture (frames, classes, size, or
   *     a weight that does not fit, by official key)
   */
  public static Report check(VideoModel model, Path fixture) throws IOException {
    Objects.requireNonNull(model, "model");
    Path metaFile = fixture.resolve("meta.json");
    if (!Files.isRegularFile(metaFile)) {
      throw new NoSuchFileException(metaFile.toString(), null, "not a parity fixture (no meta.json)");
    }
    Map<String, Object> meta = Json.object(Json.parse(metaFile), "meta.json");
    Config config = Config.of(meta);
    if (!model.frameSets().equals(config.frameSets()) || model.classes() != config.classes()
        || model.inputSize() != config.inputSize()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s is declared with %s frames, %d classes, %d px, but fixture %s needs %s frames, %d classes, %d px",
          model.name(), describe(model.frameSets()), model.classes(), model.inputSize(), fixture.getFileName(),
          describe(config.frameSets()), config.classes(), config.inputSize()));
    }
    OfficialAdaFocusV2Weights weights = OfficialAdaFocusV2Weights.of(fixture.getFileName() + " weights", weights(fixture, meta));
    Map<String, NpyArray> input = Npz.read(fixture.resolve("input.npz"));
    Map<String, NpyArray> expected = Npz.read(fixture.resolve("expected.npz"));
    Map<String, Object> tolerance = Json.object(meta.get("tolerance"), "meta.json tolerance");
    Map<String, Object> endToEndTolerance = Json.object(tolerance.get("end_to_end"), "tolerance.end_to_end");
    Map<String, Object> stageTolerance =
        tolerance.containsKey("stage") ? Json.object(tolerance.get("stage"), "tolerance.stage") : Map.of();

    int n = config.clips();
    int t = config.frames();
    int s = config.inputSize();
    NpyArray clips = input.get("clips");
    if (clips == null || !Arrays.equals(clips.shape(), new long[] {n, t, 3, s, s})) {
      throw new IllegalArgumentException(
          "input.npz must hold clips [" + n + ", " + t + ", 3, " + s + ", " + s + "], got "
              + (clips == null ? "none" : Arrays.toString(clips.shape())));
    }
    float[] frames = Layouts.nchwToNhwc(NpyArray.ofFloats(clips.floats(), (long) n * t, 3, s, s)).floats();
    List<String> notes = new ArrayList<>();
    if (config.separateFocusFrames()) {
      int tf = config.focusFrames();
      NpyArray focus = input.get("focus_clips");
      if (focus == null || !Arrays.equals(focus.shape(), new long[] {n, tf, 3, s, s})) {
        throw new IllegalArgumentException(
            "input.npz must hold focus_clips [" + n + ", " + tf + ", 3, " + s + ", " + s + "], got "
                + (focus == null ? "none" : Arrays.toString(focus.shape())));
      }
      float[] focusFrames = Layouts.nchwToNhwc(NpyArray.ofFloats(focus.floats(), (long) n * tf, 3, s, s)).floats();
      frames = glanceThenFocus(frames, focusFrames, n, t, tf);
      notes.add("each clip fed as its " + t + " glance frames (clips) then its " + tf + " focus frames (focus_clips)");
    }
    int clipFrames = config.clipFrames();

    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(graph, 0);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, clipFrames, s, s, 3)));
      ModelOutputs out = model.build(BuildContext.root(tf, store, Mode.INFERENCE), in, tf.constant(1f));
      boolean recurrent = OfficialAdaFocusV2Keys.variantOf(parameterNames(store)) == OfficialAdaFocusV2Keys.Variant.RECURRENT;
      if (input.containsKey("input_order") && out.exitScores() != null) {
        // The stored clips are in processing order; the network reorders temporal frames itself.
        int[] order = Arrays.stream(input.get("input_order").longs()).mapToInt(Math::toIntExact).toArray();
        frames = temporalOrder(frames, n, t, order);
        notes.add("clips fed in temporal order (input_order " + Arrays.toString(order) + "); the network processes "
            + Arrays.toString(AdaFocusV2.processingOrder(t, FrameOrder.COARSE_TO_FINE)));
      }
      Map<String, Fetch> fetches = fetches(out, recurrent, config);
      try (Session session = new Session(graph);
          TFloat32 clipTensor = TFloat32.tensorOf(Shape.of(n, clipFrames, s, s, 3), DataBuffers.of(frames, true, false))) {
        weights.load(session, store);
        List<ArrayComparison> endToEnd = new ArrayList<>();
        Map<String, float[]> ours = run(session, Map.of(in, clipTensor), fetches, expected.keySet());
        for (String name : expected.keySet()) {
          float[] official = fixtureValues(expected.get(name), name);
          float[] mine = ours.get(name);
          if (mine == null) {
            throw new IllegalArgumentException("expected.npz holds " + name + ", which the parity check does not know");
          }
          endToEnd.add(ArrayComparison.absolute(name, mine, official, Json.real(endToEndTolerance.get(name), "tolerance " + name)));
        }
        List<ArrayComparison> stage = new ArrayList<>();
        if (!stageTolerance.isEmpty()) {
          Map<String, float[]> staged = stages(session, out, in, clipTensor, expected, fetches, config, recurrent, ours);
          for (String name : expected.keySet()) {
            if (stageTolerance.containsKey(name)) {
              float[] mine = staged.get(name);
              // Stages fed clip 0's stored input compare clip 0's rows only.
              float[] official = Arrays.copyOf(fixtureValues(expected.get(name), name), mine.length);
              stage.add(ArrayComparison.absolute(
                  "stage/" + name, mine, official, Json.real(stageTolerance.get(name), "stage tolerance " + name)));
            }
          }
        }
        return new Report(fixture.getFileName().toString(), endToEnd, stage, notes);
      }
    }
  }

  /** How to read one of our tensors as the fixture stores it: its operand and a conversion of its values. */
  private record Fetch(Operand<TFloat32> operand, Function<float[], float[]> convert) {}

  /** Our counterpart of every array an AdaFocusV2 fixture may hold. */
  private static Map<String, Fetch> fetches(ModelOutputs out, boolean recurrent, Config c) {
    Map<String, Operand<TFloat32>> e = out.endpoints();
    int rowsClip0 = c.frames();
    Map<String, Fetch> f = new LinkedHashMap<>();
    f.put("global_featmap_clip0", new Fetch(e.get("global"), v -> nhwcToNchw(firstRows(v, rowsClip0, c.clips() * c.frames()), e.get("global"))));
    f.put("global_feat", as(e.get("global_features")));
    f.put("policy_map", new Fetch(e.get("policy_map"), v -> nhwcToNchw(v, e.get("policy_map"))));
    f.put("policy_feat", as(e.get("policy_features")));
    f.put("policy_logits", as(e.get("policy_logits")));
    Operand<TFloat32> centres = recurrent ? e.get("centres") : e.get("clip_centres");
    f.put("actions", new Fetch(centres, AdaFocusV2Parity::xyToYx));
    float free = c.inputSize() - c.patchSize();
    f.put("patch_corner", new Fetch(centres, v -> scale(xyToYx(v), free)));
    f.put("patches_clip0", new Fetch(e.get("patches"),
        v -> nhwcToNchw(firstRows(v, c.focusFrames(), c.clips() * c.focusFrames()), e.get("patches"))));
    f.put("local_feat", as(e.get("local_features")));
    f.put("final_logits", as(out.clipLogits()));
    if (recurrent) {
      f.put("global_logits", as(out.auxiliaryLogits().get("global")));
      f.put("policy_gru_out", as(e.get("policy_states")));
      f.put("local_logits", as(out.auxiliaryLogits().get("local")));
      f.put("mlp_out", as(e.get("classifier_hidden")));
      f.put("step_logits", as(out.frameLogits()));
      if (out.exitScores() != null) {
        f.put("exit_confidence", as(out.exitScores()));
      }
    } else {
      f.put("policy_hidden", as(e.get("policy_hidden")));
      f.put("global_logits", as(e.get("global_clip_logits")));
      f.put("global_aux_logits", as(e.get("global_aux_logits")));
      f.put("local_logits", as(e.get("local_clip_logits")));
      f.put("local_aux_logits", as(e.get("local_aux_logits")));
    }
    f.values().removeIf(x -> x.operand() == null);
    return f;
  }

  private static Fetch as(Operand<TFloat32> operand) {
    return new Fetch(operand, v -> v);
  }

  /**
   * The stage runs: each stage fed the fixture's stored inputs. Returns our value of every array under its
   * fixture name; arrays computed straight from the clips keep their end-to-end value.
   */
  private static Map<String, float[]> stages(
      Session session,
      ModelOutputs out,
      Placeholder<TFloat32> in,
      TFloat32 clipTensor,
      Map<String, NpyArray> expected,
      Map<String, Fetch> fetches,
      Config c,
      boolean recurrent,
      Map<String, float[]> endToEnd) {
    Map<String, Operand<TFloat32>> e = out.endpoints();
    int n = c.clips();
    Map<String, float[]> staged = new LinkedHashMap<>(endToEnd);
    // 1. The policy and the global pooling from clip 0's glance map (repeated for every clip).
    if (expected.containsKey("global_featmap_clip0")) {
      float[] map = repeat(Layouts.nchwToNhwc(expected.get("global_featmap_clip0")).floats(), n);
      List<String> names = List.of("global_feat", "policy_map", "policy_feat", "policy_hidden", "policy_gru_out",
          "policy_logits", "actions", "patch_corner");
      Map<String, float[]> r = runFed(session, Map.of(e.get("global"), map), Map.of(in, clipTensor), fetches, names);
      r.forEach((k, v) -> staged.put(k, clip0(v, expected.get(k), n)));
    }
    // 2. The patches from the fixture's actions and the clips.
    if (expected.containsKey("actions") && expected.containsKey("patches_clip0")) {
      float[] centres = xyToYx(expected.get("actions").floats()); // (y, x) -> (x, y): the same swap
      Operand<TFloat32> fed = recurrent ? e.get("centres") : e.get("clip_centres");
      staged.putAll(runFed(session, Map.of(fed, centres), Map.of(in, clipTensor), fetches, List.of("patches_clip0")));
      staged.put("patch_corner", scale(expected.get("actions").floats(), c.inputSize() - c.patchSize()));
    }
    // 3. The local CNN from clip 0's patches (repeated for every clip).
    if (expected.containsKey("patches_clip0")) {
      float[] patches = repeat(Layouts.nchwToNhwc(expected.get("patches_clip0")).floats(), n);
      Map<String, float[]> r = runFed(session, Map.of(e.get("patches"), patches), Map.of(in, clipTensor), fetches, List.of("local_feat"));
      staged.put("local_feat", clip0(r.get("local_feat"), expected.get("local_feat"), n));
    }
    // 4. The heads and the classifier from the stored features.
    if (expected.containsKey("global_feat") && expected.containsKey("local_feat")) {
      Map<Operand<TFloat32>, float[]> feed = new LinkedHashMap<>();
      feed.put(e.get("global_features"), expected.get("global_feat").floats());
      feed.put(e.get("local_features"), expected.get("local_feat").floats());
      List<String> names = List.of("global_logits", "global_aux_logits", "local_logits", "local_aux_logits", "mlp_out",
          "step_logits", "final_logits", "exit_confidence");
      staged.putAll(runFed(session, feed, Map.of(in, clipTensor), fetches, names));
    }
    return staged;
  }

  /** Runs with {@code values} fed into intermediate tensors, fetching the named arrays that exist. */
  private static Map<String, float[]> runFed(
      Session session,
      Map<Operand<TFloat32>, float[]> values,
      Map<Operand<TFloat32>, TFloat32> tensors,
      Map<String, Fetch> fetches,
      List<String> names) {
    List<TFloat32> made = new ArrayList<>();
    try {
      Map<Operand<TFloat32>, TFloat32> feeds = new LinkedHashMap<>(tensors);
      for (Map.Entry<Operand<TFloat32>, float[]> v : values.entrySet()) {
        Shape shape = v.getKey().shape();
        if (shape.size() != v.getValue().length) {
          throw new IllegalArgumentException(
              "a stage input has " + v.getValue().length + " values but " + v.getKey().op().name() + " is " + shape);
        }
        TFloat32 tensor = TFloat32.tensorOf(shape, DataBuffers.of(v.getValue(), true, false));
        made.add(tensor);
        feeds.put(v.getKey(), tensor);
      }
      return run(session, feeds, fetches, names);
    } finally {
      made.forEach(TFloat32::close);
    }
  }

  private static Map<String, float[]> run(
      Session session, Map<Operand<TFloat32>, TFloat32> feeds, Map<String, Fetch> fetches, Iterable<String> names) {
    Session.Runner runner = session.runner();
    feeds.forEach(runner::feed);
    List<String> fetched = new ArrayList<>();
    List<Operand<TFloat32>> operands = new ArrayList<>();
    for (String name : names) {
      Fetch f = fetches.get(name);
      if (f != null) {
        fetched.add(name);
        if (!operands.contains(f.operand())) {
          operands.add(f.operand()); // a tensor is fetched once, however many arrays read it
          runner.fetch(f.operand());
        }
      }
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    if (fetched.isEmpty()) {
      return out;
    }
    try (Result r = runner.run()) {
      for (String name : fetched) {
        Fetch f = fetches.get(name);
        out.put(name, f.convert().apply(Tensors.floats((TFloat32) r.get(operands.indexOf(f.operand())))));
      }
    }
    return out;
  }

  /**
   * Clip 0's rows (the first of {@code clips} equal parts) of a value computed on clip 0's input repeated
   * for every clip: only those are compared.
   */
  private static float[] clip0(float[] ours, NpyArray expected, int clips) {
    return expected == null ? ours : Arrays.copyOf(ours, expected.size() / clips);
  }

  private static java.util.Set<String> parameterNames(ParameterStore store) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    store.all().forEach(p -> names.add(p.name()));
    return names;
  }

  /** The fixture's values as float32 ({@code exit_confidence} and friends as stored). */
  private static float[] fixtureValues(NpyArray a, String name) {
    if (a == null) {
      throw new IllegalArgumentException("expected.npz has no " + name);
    }
    return a.floats();
  }

  /** The weights of a fixture folder, as {@link #weights(Path, Map)} reads them from its {@code meta.json}. */
  public static Map<String, NpyArray> weights(Path fixture) throws IOException {
    return weights(fixture, Json.object(Json.parse(fixture.resolve("meta.json")), "meta.json"));
  }

  /**
   * The weights: {@code weights.npz} in the fixture, or {@code weights_from} in {@code meta.json} (a path
   * relative to the fixture, or an object with {@code path} and {@code prefixes} from → to), merged with
   * the fixture's own {@code weights.npz} when both exist.
   */
  public static Map<String, NpyArray> weights(Path fixture, Map<String, Object> meta) throws IOException {
    Map<String, NpyArray> all = new LinkedHashMap<>();
    Object from = meta.get("weights_from");
    if (from != null) {
      String path;
      Map<String, Object> prefixes = null;
      if (from instanceof String p) {
        path = p;
      } else {
        Map<String, Object> o = Json.object(from, "meta.json weights_from");
        path = Json.string(o.get("path"), "weights_from.path");
        if (o.containsKey("prefixes")) {
          prefixes = Json.object(o.get("prefixes"), "weights_from.prefixes");
        }
      }
      Path file = fixture.resolve(path).normalize();
      if (!Files.isRegularFile(file)) {
        throw new WeightFileException(file.toString(), null,
            "meta.json's weights_from names " + path + " (relative to " + fixture + "), which does not exist", null);
      }
      for (Map.Entry<String, NpyArray> e : Npz.read(file).entrySet()) {
        String key = e.getKey();
        if (prefixes == null) {
          all.put(key, e.getValue());
          continue;
        }
        for (Map.Entry<String, Object> p : prefixes.entrySet()) {
          if (key.startsWith(p.getKey())) {
            all.put(Json.string(p.getValue(), "weights_from.prefixes") + key.substring(p.getKey().length()), e.getValue());
            break;
          }
        }
      }
    }
    Path own = fixture.resolve("weights.npz");
    if (from == null || Files.isRegularFile(own)) {
      for (Map.Entry<String, NpyArray> e : Npz.read(own).entrySet()) {
        if (all.put(e.getKey(), e.getValue()) != null) {
          throw new IllegalArgumentException(own + " and weights_from both hold " + e.getKey());
        }
      }
    }
    return all;
  }

  /** Each clip's {@code t} glance frames then its {@code tf} focus frames: the network's input clip. */
  private static float[] glanceThenFocus(float[] glance, float[] focus, int n, int t, int tf) {
    int frame = glance.length / (n * t);
    float[] out = new float[glance.length + focus.length];
    for (int c = 0; c < n; c++) {
      System.arraycopy(glance, c * t * frame, out, c * (t + tf) * frame, t * frame);
      System.arraycopy(focus, c * tf * frame, out, (c * (t + tf) + t) * frame, tf * frame);
    }
    return out;
  }

  private static String describe(List<Integer> frameSets) {
    return frameSets.size() == 1 ? String.valueOf(frameSets.get(0))
        : frameSets.get(0) + " glance + " + frameSets.get(1) + " focus";
  }

  /** Frames stored in processing order put back in temporal order: temporal frame {@code order[k]} is stored at step k. */
  private static float[] temporalOrder(float[] frames, int n, int t, int[] order) {
    if (order.length != t) {
      throw new IllegalArgumentException("input_order has " + order.length + " entries for " + t + " frames");
    }
    int frame = frames.length / (n * t);
    float[] out = new float[frames.length];
    for (int c = 0; c < n; c++) {
      for (int k = 0; k < t; k++) {
        System.arraycopy(frames, (c * t + k) * frame, out, (c * t + order[k]) * frame, frame);
      }
    }
    return out;
  }

  private static float[] xyToYx(float[] xy) {
    float[] yx = new float[xy.length];
    for (int i = 0; i < xy.length; i += 2) {
      yx[i] = xy[i + 1];
      yx[i + 1] = xy[i];
    }
    return yx;
  }

  private static float[] scale(float[] v, float factor) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * factor;
    }
    return out;
  }

  private static float[] repeat(float[] v, int times) {
    float[] out = new float[v.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(v, 0, out, i * v.length, v.length);
    }
    return out;
  }

  private static float[] firstRows(float[] v, int rows, int of) {
    return Arrays.copyOf(v, v.length / of * rows);
  }

  /** NHWC values of {@code like}'s per-row shape, any number of rows, to NCHW. */
  private static float[] nhwcToNchw(float[] v, Operand<TFloat32> like) {
    long[] s = like.shape().asArray();
    long rows = v.length / (s[1] * s[2] * s[3]);
    return Layouts.nhwcToNchw(NpyArray.ofFloats(v, rows, s[1], s[2], s[3])).floats();
  }
}
