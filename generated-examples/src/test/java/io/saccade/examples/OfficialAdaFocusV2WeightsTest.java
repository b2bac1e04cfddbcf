package io.saccade.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.saccade.runtime.interop.AdaFocusV2Parity;
import io.saccade.runtime.interop.OfficialAdaFocusV2Keys;
import io.saccade.runtime.interop.OfficialAdaFocusV2Weights;
import io.saccade.runtime.io.Json;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.weights.ImportPlan;
import io.saccade.runtime.weights.NpyArray;
import io.saccade.runtime.weights.WeightImportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Official AdaFocusV2 weight files against the generated networks: the per-clip fixture's weights (its own
 * file plus the shared backbones) fit exactly, with or without DataParallel's {@code module.}; the official
 * per-clip key list (TSM-wrapped convs under {@code .net}) fits; a missing, extra or mis-shaped key fails
 * with a message naming it, and nothing is planned.
 */
class OfficialAdaFocusV2WeightsTest {

  static final Path PER_CLIP = Path.of("src/test/fixtures/adafocusv2-parity/adafocusv2-sth-s0");
  static Map<String, NpyArray> weights;

  @BeforeAll
  static void read() throws Exception {
    assumeTrue(Files.isDirectory(ParityTest.fixtures().resolve("adafocusv2-parity/adafocusv2-mk-s0")),
        "no shared fixture to take the backbone weights from");
    weights = AdaFocusV2Parity.weights(PER_CLIP);
  }

  /** Builds {@code model} and plans the import of {@code tensors} into it. */
  static ImportPlan plan(VideoModel model, Map<String, NpyArray> tensors) {
    try (Graph graph = new Graph()) {
      return OfficialAdaFocusV2Weights.of("test weights", tensors).plan(build(model, graph));
    }
  }

  /** {@code model}'s inference build in {@code graph}, for one clip; its parameters. */
  static ParameterStore build(VideoModel model, Graph graph) {
    Ops tf = Ops.create(graph);
    ParameterStore store = new ParameterStore(graph, 0);
    Placeholder<TFloat32> in =
        tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, model.frames(), model.inputSize(), model.inputSize(), 3)));
    model.build(BuildContext.root(tf, store, Mode.INFERENCE), in, tf.constant(1f));
    return store;
  }

  static WeightImportException corrupted(Consumer<Map<String, NpyArray>> change) {
    Map<String, NpyArray> copy = new LinkedHashMap<>(weights);
    change.accept(copy);
    return assertThrows(WeightImportException.class, () -> plan(new AdaFocusV2TsmParityNetwork(), copy));
  }

  /** {@code --init official.npz} on a network for 6 classes: everything loads but the 10-class heads. */
  @Test
  void anOfficialCheckpointStartsTrainingForAnotherClassCount() throws Exception {
    io.saccade.runtime.interop.PretrainedWeights start = io.saccade.runtime.interop.PretrainedWeights.of("sth.npz", weights);
    assertEquals(io.saccade.runtime.interop.PretrainedLayout.ADAFOCUSV2_PER_CLIP, start.layout());
    VideoModel model = new SixClassAdaFocusV2TsmNetwork();
    assertThrows(WeightImportException.class, () -> plan(model, weights), "the strict import still refuses it");
    try (Graph graph = new Graph()) {
      ParameterStore store = build(model, graph);
      try (org.tensorflow.Session session = new org.tensorflow.Session(graph)) {
        io.saccade.runtime.interop.ImportReport report = start.load(session, store);
        List<String> heads = report.reinitialisedParameters();
        assertTrue(!heads.isEmpty() && heads.stream().allMatch(p -> p.startsWith("classifier/")), heads.toString());
        assertTrue(report.reinitialised().stream().allMatch(r -> r.reason().contains("is for 10 classes, the network has 6")),
            report.toString());
        assertEquals(store.all().size(), report.loadedParameters().size() + heads.size(),
            "every other parameter comes from the file: " + report);
        String policy = report.loaded().stream().filter(a -> a.sourceShape().length == 1 && a.parameter().startsWith("policy/"))
            .findFirst().orElseThrow().sourceKey();
        io.saccade.runtime.weights.ImportPlan.Assignment a =
            report.loaded().stream().filter(x -> x.sourceKey().equals(policy)).findFirst().orElseThrow();
        try (org.tensorflow.Result r = session.runner().fetch(store.get(a.parameter()).variable()).run()) {
          org.junit.jupiter.api.Assertions.assertArrayEquals(
              start.tensors().get(policy).floats(),
              io.saccade.runtime.nn.Tensors.floats((TFloat32) r.get(0)), a.parameter());
        }
      }
    }
  }

  @Test
  void theFixtureWeightsFitExactlyWithOrWithoutTheDataParallelPrefix() {
    assertEquals(OfficialAdaFocusV2Keys.Variant.PER_CLIP, OfficialAdaFocusV2Weights.of("w", weights).variant());
    ImportPlan plan = plan(new AdaFocusV2TsmParityNetwork(), weights);
    assertEquals(weights.size(), plan.assignments().size(), plan.summary());
    Map<String, NpyArray> prefixed = new LinkedHashMap<>();
    weights.forEach((k, v) -> prefixed.put("module." + k, v));
    assertEquals(weights.size(), plan(new AdaFocusV2TsmParityNetwork(), prefixed).assignments().size());
  }

  @Test
  void theOfficialPerClipKeyListWithTsmWrappersFits() throws Exception {
    Map<String, Object> keys = Json.object(Json.object(Json.parse(PER_CLIP.resolve("meta.json")), "meta").get("keys"), "keys");
    assertTrue(keys.keySet().stream().anyMatch(k -> k.contains(".net.")), "the official TSM names carry .net");
    Map<String, NpyArray> official = new LinkedHashMap<>();
    keys.forEach((k, shape) -> {
      NpyArray value = weights.get(OfficialAdaFocusV2Keys.normalise(k));
      assertTrue(java.util.Arrays.equals(Json.longs(shape, k), value.shape()), k);
      official.put(k, value);
    });
    assertEquals(keys.size(), plan(new AdaFocusV2TsmParityNetwork(), official).assignments().size());
  }

  @Test
  void aMissingKeyIsNamed() {
    WeightImportException e = corrupted(w -> w.remove("policy_stn.4.weight"));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals(WeightImportException.Kind.MISSING, e.problems().get(0).kind());
    assertTrue(e.getMessage().contains("key policy_stn.4.weight [1024, 3136] is missing"), e.getMessage());
    assertTrue(e.getMessage().contains("policy/fc1/weight"), e.getMessage());
  }

  @Test
  void aMisShapedKeyIsNamed() {
    WeightImportException e = corrupted(w -> w.put("local_CNN.new_fc.weight", NpyArray.ofFloats(new float[9 * 2048], 9, 2048)));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals(WeightImportException.Kind.SHAPE, e.problems().get(0).kind());
    assertTrue(e.getMessage().contains("key local_CNN.new_fc.weight has shape [9, 2048], the network needs [10, 2048]"),
        e.getMessage());
  }

  @Test
  void anExtraKeyIsNamed() {
    WeightImportException e = corrupted(w -> w.put("policy_stn.13.weight", NpyArray.ofFloats(new float[4], 2, 2)));
    assertEquals(List.of("policy_stn.13.weight"), e.problems().stream().map(WeightImportException.Problem::sourceKey).toList());
    assertTrue(e.getMessage().contains("extra key policy_stn.13.weight [2, 2]"), e.getMessage());
  }

  @Test
  void aRecurrentFileDoesNotLoadIntoThePerClipNetwork() {
    Map<String, NpyArray> recurrent = new LinkedHashMap<>(weights);
    recurrent.put("policy_stn.gru.weight_ih_l0", NpyArray.ofFloats(new float[3], 3));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> plan(new AdaFocusV2TsmParityNetwork(), recurrent));
    assertTrue(e.getMessage().contains("recurrent") && e.getMessage().contains("per clip"), e.getMessage());
  }
}
