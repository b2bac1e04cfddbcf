package io.saccade.examples.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.examples.AfResNet50ParityNetwork;
import io.saccade.runtime.interop.ImportReport;
import io.saccade.runtime.interop.PretrainedLayout;
import io.saccade.runtime.interop.PretrainedWeights;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.nn.Tensors;
import io.saccade.runtime.train.Trainer;
import io.saccade.runtime.train.TrainerBuilder;
import io.saccade.runtime.weights.NpyArray;
import io.saccade.runtime.weights.WeightImportException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
 * Pretrained starts against torchvision: state dicts in torchvision's, timm's and tonylins' key layouts
 * (values from a formula, see {@link StateDictFixture}), written as {@code .npz} or {@code .safetensors},
 * loaded into the generated dense networks, reproduce torchvision's logits
 * ({@code src/test/resources/pretrained/expected.npz}, made by {@code src/test/python/make_pretrained_fixture.py}).
 */
class PretrainedStartTest {

  /** |ours − torchvision| allowed on logits of magnitude ≤ 1.2 (float32 sums over up to 10⁵ terms in another order). */
  private static final double TOLERANCE = 2e-5;

  private Graph graph;

  @AfterEach
  void closeGraph() {
    if (graph != null) {
      graph.close();
    }
  }

  /** Frame logits {@code [FRAMES, classes]} and the named endpoints of {@code model} after loading {@code file}. */
  private record Run(float[] logits, Map<String, float[]> endpoints, ImportReport report) {}

  private static Run run(VideoModel model, PretrainedWeights weights, String... endpoints) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(graph, 0);
      Shape shape = Shape.of(1, StateDictFixture.FRAMES, StateDictFixture.SIZE, StateDictFixture.SIZE, 3);
      Placeholder<TFloat32> in = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      ModelOutputs out = model.build(BuildContext.root(tf, store, Mode.INFERENCE), in, tf.constant(1f));
      try (Session session = new Session(graph);
          TFloat32 clip = TFloat32.tensorOf(shape, DataBuffers.of(StateDictFixture.clip()))) {
        ImportReport report = weights.load(session, store);
        Session.Runner runner = session.runner().feed(in, clip).fetch(out.frameLogits());
        for (String e : endpoints) {
          runner.fetch(out.endpoints().get(e));
        }
        try (Result r = runner.run()) {
          Map<String, float[]> values = new LinkedHashMap<>();
          for (int i = 0; i < endpoints.length; i++) {
            values.put(endpoints[i], Tensors.floats((TFloat32) r.get(1 + i)));
          }
          return new Run(Tensors.floats((TFloat32) r.get(0)), values, report);
        }
      }
    }
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length, "output sizes");
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  /** Files written by {@link #write}, shared by the tests of this class (each test reads its own copy of the values). */
  @TempDir static Path written;

  private static final Map<String, Path> WRITTEN = new java.util.HashMap<>();

  /** {@code name}'s state dict as a {@code format} file, written once per class (ResNet-50's .npz holds 25M floats). */
  private static synchronized Path write(String name, String format) throws Exception {
    Path file = WRITTEN.get(name + "." + format);
    if (file == null) {
      Map<String, NpyArray> sd = StateDictFixture.stateDict(name);
      file = written.resolve(name + "." + format);
      file = format.equals("npz") ? StateDictFixture.writeNpz(file, sd) : StateDictFixture.writeSafeTensors(file, sd);
      WRITTEN.put(name + "." + format, file);
    }
    return file;
  }

  private static VideoModel imageNet(String model) {
    return switch (model) {
      case "resnet50" -> new ImageNetResNet50Network();
      case "resnet101" -> new ImageNetResNet101Network();
      case "mobilenet_v2" -> new ImageNetMobileNetV2Network();
      case "mobilenet_v3_large" -> new ImageNetMobileNetV3LargeNetwork();
      case "mobilenet_v3_small" -> new ImageNetMobileNetV3SmallNetwork();
      default -> throw new IllegalArgumentException(model);
    };
  }

  /**
   * Every layout loads completely (nothing re-initialised, only batch-norm counters ignored) and the network
   * gives torchvision's logits. timm's MobileNetV3s use batch-norm eps 1e-5 where torchvision's use 1e-3, so
   * their reference is torchvision's model run with eps 1e-5; torchvision's MobileNetV3 files reach the eps-1e-3
   * logits through the variance fold.
   */
  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource({
    "resnet50, npz, TORCHVISION_RESNET, resnet50",
    "resnet101, safetensors, TORCHVISION_RESNET, resnet101",
    "mobilenet_v2, npz, TORCHVISION_MOBILENET_V2, mobilenet_v2",
    "mobilenet_v2.timm, safetensors, TIMM_MOBILENET_V2, mobilenet_v2",
    "mobilenet_v2.tonylins, npz, TONYLINS_MOBILENET_V2, mobilenet_v2",
    "mobilenet_v3_large, safetensors, TORCHVISION_MOBILENET_V3, mobilenet_v3_large",
    "mobilenet_v3_large.timm, safetensors, TIMM_MOBILENET_V3, mobilenet_v3_large_eps1e-5",
    "mobilenet_v3_small, npz, TORCHVISION_MOBILENET_V3, mobilenet_v3_small",
    "mobilenet_v3_small.timm, npz, TIMM_MOBILENET_V3, mobilenet_v3_small_eps1e-5",
  })
  void loadedNetworkReproducesTorchvision(String name, String format, PretrainedLayout layout, String expectedKey)
      throws Exception {
    PretrainedWeights weights = PretrainedWeights.read(write(name, format));
    assertEquals(layout, weights.layout());
    Run run = run(imageNet(name.replaceAll("\\..*", "")), weights);
    System.out.println(run.report());
    double diff = maxAbsDiff(run.logits(), StateDictFixture.expected(expectedKey));
    System.out.printf(Locale.ROOT, "PRETRAINED %s (%s) logits_max_abs_diff=%.3g%n", name, format, diff);
    assertTrue(diff < TOLERANCE, name + ": max |ours - torchvision| = " + diff);
    assertEquals(List.of(), run.report().reinitialised());
    long counters = weights.tensors().keySet().stream().filter(k -> k.endsWith("num_batches_tracked")).count();
    assertEquals(counters, run.report().ignored().size(), run.report().toString());
    assertEquals(weights.tensors().size() - counters, run.report().loaded().size());
  }

  /** The eps fold matters: without it torchvision's MobileNetV3 logits would be missed by more than the tolerance. */
  @Test
  void theTwoMobileNetV3ReferencesDifferByMoreThanTheTolerance() throws Exception {
    for (String m : List.of("mobilenet_v3_large", "mobilenet_v3_small")) {
      double d = maxAbsDiff(StateDictFixture.expected(m), StateDictFixture.expected(m + "_eps1e-5"));
      assertTrue(d > 2 * TOLERANCE, m + ": eps 1e-3 vs 1e-5 moves the logits by only " + d);
    }
  }

  /**
   * A 10-class network from a 1000-class file: everything but the last linear layer loads, the report says why the
   * classifier was re-initialised, and the features before it equal those of the 1000-class network.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"resnet50, head/fc/weight, head/fc/bias, stage4", "mobilenet_v3_small, head/fc2/weight, head/fc2/bias, stage4"})
  void aClassifierForOtherClassesIsReinitialised(String name, String weight, String bias, String lastStage) throws Exception {
    PretrainedWeights weights = PretrainedWeights.read(write(name, "npz"));
    VideoModel tenClasses = name.startsWith("resnet") ? new TenClassResNet50Network() : new TenClassMobileNetV3SmallNetwork();
    Run partial = run(tenClasses, weights, lastStage);
    Run full = run(imageNet(name), weights, lastStage);
    ImportReport report = partial.report();
    System.out.println(report);
    assertEquals(List.of(weight, bias), report.reinitialisedParameters());
    assertTrue(report.reinitialised().get(0).reason().contains("1000 classes, the network has 10"), report.toString());
    assertEquals(full.report().loaded().size() - 2, report.loaded().size());
    assertEquals(0.0, maxAbsDiff(partial.endpoints().get(lastStage), full.endpoints().get(lastStage)));
    String text = report.toString();
    assertTrue(text.contains("re-initialised  " + weight), text);
    assertTrue(text.contains("BatchNorm step counter"), text);
  }

  /** A mis-shaped tensor outside the classifier is an error naming the key, its shape and the parameter's. */
  @Test
  void aWrongShapeOutsideTheClassifierIsAnErrorNamingTheKey() throws Exception {
    Map<String, NpyArray> sd = new LinkedHashMap<>(StateDictFixture.stateDict("resnet50"));
    sd.put("layer2.0.conv2.weight", NpyArray.ofFloats(new float[64 * 128 * 9], 64, 128, 3, 3));
    PretrainedWeights weights = PretrainedWeights.of("broken.npz", sd);
    WeightImportException e =
        assertThrows(WeightImportException.class, () -> weights.check(store(new ImageNetResNet50Network())));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals(WeightImportException.Kind.SHAPE, e.problems().get(0).kind());
    assertTrue(e.getMessage().contains("layer2.0.conv2.weight [64, 128, 3, 3]"), e.getMessage());
    assertTrue(e.getMessage().contains("stage2/block0/conv2/kernel [3, 3, 128, 128]"), e.getMessage());
  }

  @Test
  void anUnknownLayoutListsTheLayoutsSaccadeRecognises() {
    Map<String, NpyArray> sd = Map.of("encoder.weight", NpyArray.ofFloats(new float[4], 2, 2));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PretrainedWeights.of("mystery.safetensors", sd));
    assertTrue(e.getMessage().contains("unknown key layout"), e.getMessage());
    for (PretrainedLayout l : PretrainedLayout.values()) {
      assertTrue(e.getMessage().contains(l.title()), e.getMessage());
    }
  }

  @Test
  void aDenseResNetCannotStartAnAfNetAndSaysWhy() throws Exception {
    PretrainedWeights weights = PretrainedWeights.of("resnet50.npz", StateDictFixture.stateDict("resnet50"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> weights.check(store(new AfResNet50ParityNetwork())));
    assertTrue(e.getMessage().contains("official AF checkpoint"), e.getMessage());
  }

  @Test
  void aMobileNetV3SmallFileDoesNotFitALargeNetwork() throws Exception {
    PretrainedWeights weights = PretrainedWeights.of("small.npz", StateDictFixture.stateDict("mobilenet_v3_small"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> weights.check(store(new ImageNetMobileNetV3LargeNetwork())));
    assertTrue(e.getMessage().contains("11 inverted-residual blocks, the network has 15"), e.getMessage());
  }

  /** AdaFocusV2 starts its two encoders from two ImageNet files, as the official code does; nothing else moves. */
  @Test
  void anAdaFocusV2StartsEachEncoderFromItsOwnFile() throws Exception {
    PretrainedWeights mobileNetV2 = PretrainedWeights.of("mobilenet_v2.npz", StateDictFixture.stateDict("mobilenet_v2"));
    PretrainedWeights small = PretrainedWeights.of("small.npz", StateDictFixture.stateDict("mobilenet_v3_small"));
    ParameterStore store = store(new io.saccade.examples.FocusDemoNetwork());
    try (Session session = new Session(graph)) {
      // What TrainerBuilder.initialWeights(global).initialWeights(local) does, file by file.
      List<ImportReport> reports = List.of(mobileNetV2.under("global").load(session, store), small.under("local").load(session, store));
      for (int i = 0; i < 2; i++) {
        String part = i == 0 ? "global/" : "local/";
        ImportReport r = reports.get(i);
        assertTrue(r.source().endsWith(" into " + part), r.source());
        assertTrue(r.loadedParameters().size() > 40, r.toString());
        assertTrue(r.loadedParameters().stream().allMatch(p -> p.startsWith(part)), r.toString());
        assertEquals(List.of(), r.reinitialised(), "an encoder has no classifier to re-initialise");
        assertTrue(
            r.ignoredKeys().stream().allMatch(k -> k.startsWith("classifier.") || k.endsWith("num_batches_tracked")),
            r.ignoredKeys().toString());
        assertTrue(r.ignoredKeys().stream().anyMatch(k -> k.startsWith("classifier.")), "the ImageNet head is ignored");
        // Every loaded 1-D value is in its variable (a 1-D tensor is copied as it is).
        int checked = 0;
        for (io.saccade.runtime.weights.ImportPlan.Assignment a : r.loaded()) {
          if (a.sourceShape().length == 1 && !a.parameter().endsWith("moving_variance")) {
            try (Result v = session.runner().fetch(store.get(a.parameter()).variable()).run()) {
              assertArrayEquals((i == 0 ? mobileNetV2 : small).tensors().get(a.sourceKey()).floats(),
                  Tensors.floats((TFloat32) v.get(0)), a.parameter());
            }
            checked++;
          }
        }
        assertTrue(checked > 10, "1-D tensors checked: " + checked);
      }
    }
  }

  @Test
  void aBackboneFileForAnAdaFocusV2MustSayWhichEncoder() throws Exception {
    PretrainedWeights resnet = PretrainedWeights.of("resnet50.npz", StateDictFixture.stateDict("resnet50"));
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> resnet.check(store(new io.saccade.examples.FocusDemoNetwork())));
    assertTrue(e.getMessage().contains("--init global=FILE or --init local=FILE"), e.getMessage());
    IllegalArgumentException none = assertThrows(
        IllegalArgumentException.class, () -> resnet.under("local").check(store(new TenClassResNet50Network())));
    assertTrue(none.getMessage().contains("no parameters under local/"), none.getMessage());
  }

  /** The trainer loads the weights once its variables exist and reports it; the README's snippet. */
  @Test
  void theTrainerStartsFromPretrainedWeights() throws Exception {
    Path file = write("mobilenet_v3_small", "safetensors");
    // README: Pretrained starts
    PretrainedWeights weights = PretrainedWeights.read(file);
    try (Trainer trainer = Trainer.builder(new TenClassMobileNetV3SmallNetwork())
        .initialWeights(weights)
        .batchSize(1)
        .build()) {
      ImportReport report = trainer.initialWeightsReport().orElseThrow();
      System.out.println(report);
      // end README
      assertEquals(List.of("head/fc2/weight", "head/fc2/bias"), report.reinitialisedParameters());
      assertTrue(report.toString().contains("  adjusted        34 moving variances + 0.00099: torchvision's MobileNetV3 "
          + "batch norms use eps 0.001, Saccade's 0.00001 (the same in inference; training normalises batches with eps "
          + "0.00001)"), report.toString());
      try (Result r = trainer.session().runner().fetch(trainer.store().get("head/fc1/bias").variable()).run()) {
        assertArrayEquals(weights.tensors().get("classifier.0.bias").floats(), Tensors.floats((TFloat32) r.get(0)));
      }
    }
  }

  /** The README's library snippet: load into a network built by hand. */
  @Test
  void loadingIntoAGraphBuiltByHand() throws Exception {
    Path file = write("resnet50", "npz");
    VideoModel model = new TenClassResNet50Network();
    // README: library
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(graph, 0);
      Operand<TFloat32> clips = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2, 64, 64, 3)));
      model.build(BuildContext.root(tf, store, Mode.INFERENCE), clips, tf.constant(1f));
      try (Session session = new Session(graph)) {
        ImportReport report = PretrainedWeights.read(file).load(session, store);
        System.out.println(report);
        // end README
        assertEquals(2, report.reinitialised().size());
      }
    }
  }

  /** The parameters of {@code model}, built into {@link #graph}. */
  private ParameterStore store(VideoModel model) {
    graph = new Graph();
    Ops tf = Ops.create(graph);
    ParameterStore store = new ParameterStore(graph, 0);
    int size = model.inputSize();
    Operand<TFloat32> clips = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, model.frames(), size, size, 3)));
    model.build(BuildContext.root(tf, store, Mode.INFERENCE), clips, tf.constant(1f));
    return store;
  }
}
