package io.saccade.runtime.interop;

import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.blocks.AfOptions;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.nn.Tensors;
import io.saccade.runtime.weights.Conversion;
import io.saccade.runtime.io.Json;
import io.saccade.runtime.weights.Layouts;
import io.saccade.runtime.weights.NpyArray;
import io.saccade.runtime.weights.Npz;
import io.saccade.runtime.weights.WeightImport;
import io.saccade.runtime.weights.WeightMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Checks a generated AFNet against outputs of the official PyTorch implementation: loads an
 * {@code afnet-parity} fixture (official {@code state_dict} as {@code .npz}, an input clip batch and the
 * expected logits, navigation masks and stage activations), runs the network in evaluation mode and
 * compares, with the fixture's tolerances: {@code |a − b| ≤ 1e-3 + 1e-4·|b|} element by element for
 * logits; for stage activations a tolerance relative to the <em>tensor's</em> scale,
 * {@code |a − b| ≤ 5e-3 + 1e-4·max|b|} (float32 accumulation error grows with the largest values a layer
 * carries, so an element-wise relative bound is too tight for its small elements); masks exactly equal.
 *
 * <pre>{@code
 * AfNetParity.Report r = AfNetParity.check(new AfResNet50ParityNetwork(), Path.of("fixtures/afnet-r50-s0"), true);
 * System.out.println(r.line());   // PARITY fixture=afnet-r50-s0 family=afnet path=… logits_max_abs_diff=… masks_equal=true worst=stage3:… passed=true
 * }</pre>
 */
public final class AfNetParity {

  /** Stage activations: the absolute part of {@code |a − b| ≤ 5e-3 + 1e-4·max|b|}. */
  public static final double STAGE_ABSOLUTE = 5e-3;

  /** Stage activations: the part relative to the tensor's largest magnitude. */
  public static final double STAGE_RELATIVE_TO_SCALE = 1e-4;

  private AfNetParity() {}

  /**
   * The comparison.
   *
   * @param fixture the fixture folder's name
   * @param logitsMaxAbsDiff largest |ours − official| over the frame logits
   * @param logitsWithinTolerance whether every logit is within {@code 1e-3 + 1e-4·|official|}
   * @param masksEqual whether every navigation mask equals the official one
   * @param masksCompared how many masks were compared
   * @param worst the array (frame logits or a stage activation) that came closest to (or furthest past) its
   *     limit, e.g. {@code stage3}
   * @param worstDiff its largest |ours − official|
   * @param stagesWithinTolerance whether every compared stage is within tolerance
   * @param stagesCompared how many stage activations were compared (stem and stages 1–3 when the
   *     network exposes them as endpoints)
   * @param skipFrames whether the frame-skipping (gather/scatter) path was checked, else the masked path
   */
  public record Report(
      String fixture,
      double logitsMaxAbsDiff,
      boolean logitsWithinTolerance,
      boolean masksEqual,
      int masksCompared,
      String worst,
      double worstDiff,
      boolean stagesWithinTolerance,
      int stagesCompared,
      boolean skipFrames) {

    /** Whether everything is within tolerance. */
    public boolean passed() {
      return logitsWithinTolerance && masksEqual && stagesWithinTolerance;
    }

    /** The one-line summary {@code saccade parity} prints. */
    public String line() {
      return String.format(
          Locale.ROOT,
          "PARITY fixture=%s family=afnet path=%s logits_max_abs_diff=%.3g masks_equal=%s worst=%s:%.3g passed=%s",
          fixture,
          skipFrames ? "gather-scatter" : "masked",
          logitsMaxAbsDiff,
          masksEqual,
          worst,
          worstDiff,
          passed());
    }
  }

  /**
   * The mapping from the official key names (with the tensor ranks of {@code source}) to ours: the
   * AF-MobileNetV3 mapping when {@code source} is an official AF_mobilenetv3 state_dict, else AF-ResNet's.
   */
  public static WeightMapping mapping(Map<String, NpyArray> source) {
    if (source.containsKey("features_head.0.conv1.weight")) {
      return OfficialAfMobileNetKeys.mapping(source);
    }
    WeightMapping.Builder b = WeightMapping.builder().ignore("num_batches_tracked$");
    for (Map.Entry<String, NpyArray> e : source.entrySet()) {
      OfficialAfNetKeys.target(e.getKey(), e.getValue().rank())
          .ifPresent(
              t ->
                  b.exact(
                      e.getKey(),
                      t.parameter(),
                      switch (t.layout()) {
                        case CONV_OIHW_TO_HWIO -> Conversion.OIHW_TO_HWIO;
                        case LINEAR_TRANSPOSE -> Conversion.LINEAR_TO_IN_OUT;
                        case AS_IS -> Conversion.IDENTITY;
                      }));
    }
    return b.build();
  }

  /**
   * Runs the check.
   *
   * @param model a generated AFNet declared as the fixture's {@code meta.json} says (frames, classes,
   *     input size, temporal shift)
   * @param fixture a folder with {@code meta.json}, {@code weights.npz}, {@code input.npz}, {@code expected.npz}
   * @param skipFrames check the frame-skipping inference path (true) or the official masked one (false)
   * @throws IOException naming a missing or unreadable fixture file
   * @throws IllegalArgumentException when the model does not match the fixture's configuration
   */
  public static Report check(VideoModel model, Path fixture, boolean skipFrames) throws IOException {
    Path metaFile = fixture.resolve("meta.json");
    if (!Files.isRegularFile(metaFile)) {
      throw new NoSuchFileException(metaFile.toString(), null, "not an AFNet parity fixture (no meta.json)");
    }
    Map<String, Object> meta = Json.object(Json.parse(metaFile), "meta.json");
    int frames = (int) Json.integer(meta.get("frames"), "frames");
    int classes = (int) Json.integer(meta.get("classes"), "classes");
    int size = (int) Json.integer(meta.get("input_size"), "input_size");
    int clips = (int) Json.integer(meta.get("clips"), "clips");
    if (model.frames() != frames || model.classes() != classes || model.inputSize() != size) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s is declared with %d frames, %d classes, %d px, but fixture %s needs %d frames, %d classes, %d px",
              model.name(), model.frames(), model.classes(), model.inputSize(), fixture.getFileName(), frames, classes, size));
    }
    Map<String, NpyArray> weights = Npz.read(fixture.resolve("weights.npz"));
    NpyArray input = Layouts.nchwToNhwc(Npz.read(fixture.resolve("input.npz")).get("clips"));
    Map<String, NpyArray> expected = Npz.read(fixture.resolve("expected.npz"));

    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(graph, 0);
      Placeholder<TFloat32> in =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(clips, frames, size, size, 3)));
      ModelOutputs out =
          model.build(
              AfOptions.withFrameSkipping(BuildContext.root(tf, store, Mode.INFERENCE), skipFrames), in, tf.constant(1f));
      List<Operand<TFloat32>> fetches = new ArrayList<>();
      fetches.add(out.frameLogits());
      out.selections().forEach(s -> fetches.add(s.mask()));
      List<String> stageNames = new ArrayList<>();
      Map<String, String> officialNames = Map.of("stem", "stem", "stage1", "layer1", "stage2", "layer2", "stage3", "layer3");
      for (Map.Entry<String, Operand<TFloat32>> e : out.endpoints().entrySet()) {
        String official = officialNames.get(e.getKey());
        if (official != null && expected.containsKey(official)) {
          stageNames.add(e.getKey());
          fetches.add(e.getValue());
        }
      }
      try (Session session = new Session(graph)) {
        WeightImport.load(session, store, weights, mapping(weights));
        Session.Runner runner = session.runner();
        try (TFloat32 clipTensor =
            TFloat32.tensorOf(Shape.of(clips, frames, size, size, 3), DataBuffers.of(input.floats()))) {
          runner.feed(in, clipTensor);
          fetches.forEach(runner::fetch);
          try (Result r = runner.run()) {
            float[] logits = Tensors.floats((TFloat32) r.get(0));
            float[] officialLogits = expected.get("frame_logits").floats();
            ArrayComparison logitCheck = ArrayComparison.relative("frame_logits", logits, officialLogits, 1e-3, 1e-4);
            ArrayComparison worst = logitCheck;
            boolean masksEqual = true;
            int masks = out.selections().size();
            for (int i = 0; i < masks; i++) {
              String key = String.format(Locale.ROOT, "mask_%02d", i);
              NpyArray official = expected.get(key);
              float[] ours = Tensors.floats((TFloat32) r.get(1 + i));
              boolean equal = official != null && java.util.Arrays.equals(ours, official.floats());
              masksEqual &= equal;
              if (!equal && official != null && official.size() == ours.length) {
                worst = ArrayComparison.exact(key, ours, official.floats()); // a flipped mask is the worst there is
              }
            }
            masksEqual &= !expected.containsKey(String.format(Locale.ROOT, "mask_%02d", masks));
            boolean stagesOk = true;
            for (int i = 0; i < stageNames.size(); i++) {
              float[] ours = Tensors.floats((TFloat32) r.get(1 + masks + i));
              float[] official = Layouts.nchwToNhwc(expected.get(officialNames.get(stageNames.get(i)))).floats();
              ArrayComparison c =
                  ArrayComparison.scaled(stageNames.get(i), ours, official, STAGE_ABSOLUTE, STAGE_RELATIVE_TO_SCALE);
              stagesOk &= c.passed();
              if (c.limitUsed() > worst.limitUsed() && masksEqual) {
                worst = c;
              }
            }
            return new Report(
                fixture.getFileName().toString(),
                logitCheck.maxAbsDiff(),
                logitCheck.passed(),
                masksEqual,
                masks,
                worst.name(),
                worst.maxAbsDiff(),
                stagesOk,
                stageNames.size(),
                skipFrames);
          }
        }
      }
    }
  }

}
