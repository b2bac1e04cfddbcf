package io.saccade.examples.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.saccade.examples.AfMobileNetV3Network;
import io.saccade.examples.AfMobileNetV3ParityNetwork;
import io.saccade.examples.AfResNet50Network;
import io.saccade.examples.AfResNet50ParityNetwork;
import io.saccade.runtime.interop.AfNetParity;
import io.saccade.runtime.interop.ImportReport;
import io.saccade.runtime.interop.PretrainedLayout;
import io.saccade.runtime.interop.PretrainedWeights;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.weights.ImportPlan;
import io.saccade.runtime.weights.NpyArray;
import io.saccade.runtime.weights.Npz;
import io.saccade.runtime.weights.WeightImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Official AFNet state dicts (the parity fixtures, as the authors' checkpoints are: saved through DataParallel,
 * so every key starts with {@code module.}) start a generated AFNet: the same tensors go to the same parameters
 * as in the parity check, whose outputs match the official ones ({@code ParityTest}); a network for another
 * number of classes re-initialises its classifier. Skipped without the fixtures ({@code -Dsaccade.fixtures}).
 */
class OfficialAfNetStartTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "afnet-r50-s0, AFNET_RESNET, head/fc/weight",
    "afnet-r50-tsm-s1, AFNET_RESNET, head/fc/weight",
    "afnet-mbv3-s3, AFNET_MOBILENET_V3, head/fc2/weight"
  })
  void officialCheckpointsStartAnAfNet(String fixture, PretrainedLayout layout, String classifier) throws Exception {
    String root =
        System.getProperty("saccade.fixtures", System.getenv().getOrDefault("SACCADE_FIXTURES", "/work/shared/fixtures"));
    Path dir = Path.of(root, "afnet-parity", fixture);
    assumeTrue(Files.isDirectory(dir), "no fixture at " + dir);
    Map<String, NpyArray> official = Npz.read(dir.resolve("weights.npz"));
    Map<String, NpyArray> dataParallel = new LinkedHashMap<>();
    official.forEach((k, v) -> dataParallel.put("module." + k, v));
    PretrainedWeights weights = PretrainedWeights.of(fixture + ".pth.tar", dataParallel);
    assertEquals(layout, weights.layout());

    boolean mobile = layout == PretrainedLayout.AFNET_MOBILENET_V3;
    boolean tsm = fixture.contains("tsm");
    VideoModel same =
        mobile ? new AfMobileNetV3ParityNetwork()
            : tsm ? new io.saccade.examples.AfResNet50TsmParityNetwork() : new AfResNet50ParityNetwork();
    try (Graph graph = new Graph()) {
      ParameterStore store = build(graph, same);
      ImportReport report = weights.check(store);
      System.out.println(report);
      assertEquals(List.of(), report.reinitialised());
      ImportPlan parity = WeightImport.plan(official, store, AfNetParity.mapping(official));
      assertEquals(parity.assignments().stream().map(a -> a.sourceKey() + " -> " + a.parameter()).toList(),
          report.loaded().stream().map(a -> a.sourceKey() + " -> " + a.parameter()).toList());
      assertTrue(report.toString().contains("key prefix 'module.' dropped"), report.toString());
    }
    // 174 classes (Something-Something V1) from a 10-class checkpoint: the classifier starts afresh; so does the
    // navigation's frame-wise conv of the 12-frame AF-MobileNetV3 from an 8-frame checkpoint.
    if (!tsm) {
      try (Graph graph = new Graph()) {
        ParameterStore store = build(graph, mobile ? new AfMobileNetV3Network() : new AfResNet50Network());
        ImportReport report = weights.check(store);
        System.out.println(report);
        List<String> expected = new java.util.ArrayList<>();
        for (ImportReport.Reinitialised r : report.reinitialised()) {
          if (r.parameter().contains("/conv_gs/")) {
            assertTrue(r.reason().endsWith("is for 8 frames, the network has 12"), r.toString());
            expected.add(r.parameter());
          }
        }
        assertEquals(mobile ? 10 : 0, expected.size(), report.toString());
        expected.add(classifier);
        expected.add(classifier.replace("weight", "bias"));
        assertEquals(expected.stream().sorted().toList(), report.reinitialisedParameters().stream().sorted().toList());
      }
    }
  }

  private static ParameterStore build(Graph graph, VideoModel model) {
    Ops tf = Ops.create(graph);
    ParameterStore store = new ParameterStore(graph, 0);
    int s = model.inputSize();
    var clips = tf.placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(1, model.frames(), s, s, 3)));
    model.build(BuildContext.root(tf, store, Mode.INFERENCE), clips, tf.constant(1f));
    return store;
  }
}
