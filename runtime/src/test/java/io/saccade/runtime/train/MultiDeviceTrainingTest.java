package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.blocks.Heads;
import io.saccade.runtime.data.Clip;
import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.Activations;
import io.saccade.runtime.nn.BatchNorm;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Conv2d;
import io.saccade.runtime.nn.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * In-graph data parallelism on two CPU devices of one session: a step on two replicas is the step on the whole
 * batch (no batch norm), or the average of the two halves' steps (batch norm normalising each half by itself),
 * and each replica's backward pass runs on its own device.
 */
class MultiDeviceTrainingTest {

  private static final int FRAMES = 2;
  private static final int SIZE = 16;
  private static final int CLASSES = 3;

  /** Conv → [batch norm] → ReLU → TSN head (no dropout, no navigation: nothing random in a step). */
  private record Dense(boolean batchNorm) implements VideoModel {
    @Override
    public String name() {
      return batchNorm ? "DenseBn" : "Dense";
    }

    @Override
    public int frames() {
      return FRAMES;
    }

    @Override
    public int classes() {
      return CLASSES;
    }

    @Override
    public int inputSize() {
      return SIZE;
    }

    @Override
    public ModelSummary summary() {
      return ModelSummary.builder(name(), FRAMES, SIZE).build();
    }

    @Override
    public ModelOutputs build(BuildContext ctx, Operand<TFloat32> clips, Operand<TFloat32> temperature) {
      Operand<TFloat32> x = Heads.foldFrames(ctx.tf(), clips);
      x = Conv2d.builder(6).kernel(3).build(ctx.child("conv"), x);
      if (batchNorm) {
        x = BatchNorm.builder().build(ctx.child("bn"), x);
      }
      x = Activations.relu(ctx.tf(), x);
      Heads.Logits logits = Heads.tsn(ctx.child("head"), x, FRAMES, CLASSES, 0f);
      return new ModelOutputs(logits.clipLogits(), logits.frameLogits(), List.of(), ctx.tf().constant(0f), Map.of());
    }
  }

  private static VideoDataset data() {
    return SyntheticMotionDataset.builder().frames(FRAMES).size(SIZE).classes(CLASSES).keyFrames(2).clips(16).seed(5)
        .split(Split.TRAIN).build();
  }

  private static Trainer trainer(VideoModel model, int batch, int devices) {
    return Trainer.builder(model)
        .trainData(data())
        .batchSize(batch)
        .devices(devices)
        .optimizer(SgdMomentum.builder().momentum(0f).weightDecay(0f).clipNorm(0f).build())
        .seed(7)
        .withoutListener(LoggingListener.class)
        .withoutListener(ExitCurveListener.class)
        .build();
  }

  /** Eight clips of random pixels and labels, and their two halves. */
  private static List<Clip> clips(int from, int to) {
    Random r = new Random(42);
    List<Clip> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      float[] px = new float[FRAMES * SIZE * SIZE * 3];
      for (int k = 0; k < px.length; k++) {
        px[k] = (float) r.nextGaussian();
      }
      all.add(new Clip(px, FRAMES, SIZE, SIZE, r.nextInt(CLASSES), "clip" + i));
    }
    return all.subList(from, to);
  }

  private static Map<String, float[]> values(Trainer t) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Parameter p : t.store().all()) {
      try (Result r = t.session().runner().fetch(p.variable()).run()) {
        TFloat32 v = (TFloat32) r.get(0);
        float[] a = new float[(int) v.size()];
        v.copyTo(DataBuffers.of(a, false, false));
        out.put(p.name(), a);
      }
    }
    return out;
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 2e-5f * Math.max(1f, Math.abs(expected[i])), what + "[" + i + "]");
    }
  }

  @Test
  void twoReplicasMakeTheSameStepAsOneDeviceOnTheWholeBatch() {
    Trainer.Step one;
    Trainer.Step two;
    Map<String, float[]> before;
    Map<String, float[]> afterOne;
    Map<String, float[]> afterTwo;
    try (Trainer t = trainer(new Dense(false), 8, 1)) {
      before = values(t);
      one = t.step(ClipBatch.of(clips(0, 8)), 0.5f, 1f, 0f, 1L);
      afterOne = values(t);
    }
    try (Trainer t = trainer(new Dense(false), 8, 2)) {
      assertEquals(2, t.trainingGraph().devices().count());
      two = t.step(ClipBatch.of(clips(0, 8)), 0.5f, 1f, 0f, 1L);
      afterTwo = values(t);
    }
    assertEquals(one.loss(), two.loss(), 1e-5, "the loss of the whole batch");
    assertEquals(one.accuracy(), two.accuracy(), 1e-6);
    for (String name : afterOne.keySet()) {
      assertClose(afterOne.get(name), afterTwo.get(name), name);
    }
    // The step moved the weights (a gradient reached them on both replicas).
    assertFalse(java.util.Arrays.equals(before.get("conv/kernel"), afterTwo.get("conv/kernel")));
  }

  @Test
  void withBatchNormEachReplicaNormalisesItsOwnHalf() {
    Trainer.Step two;
    Map<String, float[]> afterTwo;
    try (Trainer t = trainer(new Dense(true), 8, 2)) {
      two = t.step(ClipBatch.of(clips(0, 8)), 0.5f, 1f, 0f, 1L);
      afterTwo = values(t);
    }
    Trainer.Step first;
    Trainer.Step second;
    Map<String, float[]> afterFirst;
    Map<String, float[]> afterSecond;
    try (Trainer t = trainer(new Dense(true), 4, 1)) {
      first = t.step(ClipBatch.of(clips(0, 4)), 0.5f, 1f, 0f, 1L);
      afterFirst = values(t);
    }
    try (Trainer t = trainer(new Dense(true), 4, 1)) {
      second = t.step(ClipBatch.of(clips(4, 8)), 0.5f, 1f, 0f, 1L);
      afterSecond = values(t);
    }
    assertEquals((first.loss() + second.loss()) / 2, two.loss(), 1e-5, "the mean of the halves' losses");
    Set<String> checked = new HashSet<>();
    try (Trainer t = trainer(new Dense(true), 4, 1)) {
      for (Parameter p : t.store().all()) {
        float[] a = afterFirst.get(p.name());
        float[] b = afterSecond.get(p.name());
        float[] expected = new float[a.length];
        for (int i = 0; i < a.length; i++) {
          // Plain SGD from the same start: the average gradient's step is the average of the two steps;
          // the moving statistics are replica 0's (the first half's).
          expected[i] = p.trainable() ? (a[i] + b[i]) / 2 : a[i];
        }
        assertClose(expected, afterTwo.get(p.name()), p.name());
        checked.add(p.role().toString());
      }
    }
    assertTrue(checked.size() >= 3, "weights, batch-norm scale/offset and moving statistics were compared: " + checked);
  }

  @Test
  void eachReplicasBackwardPassRunsOnItsOwnDevice() {
    try (Trainer t = trainer(new Dense(true), 8, 2)) {
      List<String> gradientOps = new ArrayList<>();
      t.graph().operations().forEachRemaining(op -> {
        if (op.name().startsWith("replica_1_gradients/")) {
          gradientOps.add(op.name());
          assertEquals("/device:CPU:1", ((GraphOperation) op).device(), op.name());
        }
      });
      assertFalse(gradientOps.isEmpty());
      // Where TensorFlow really ran them: the step statistics of a traced step, per device.
      Map<String, Set<String>> ranOn = new LinkedHashMap<>();
      List<Tensor> fed = new ArrayList<>();
      ClipBatch batch = ClipBatch.of(clips(0, 8));
      try {
        Session.Runner r = t.session().runner();
        Tensor[] inputs = {batch.toTensor(), batch.labelsTensor(), batch.validMask(), TFloat32.scalarOf(0.1f),
            TFloat32.scalarOf(1f), TFloat32.scalarOf(0f), TInt64.vectorOf(7, 1)};
        String[] names = {"clips", "labels", "valid", "learning_rate", "temperature", "curriculum", "noise_seed"};
        for (int i = 0; i < inputs.length; i++) {
          fed.add(inputs[i]);
          r.feed(names[i], inputs[i]);
        }
        r.addTarget(t.trainingGraph().trainOp());
        r.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
        try (Result res = r.runAndFetchMetadata()) {
          RunMetadata meta = res.getMetadata().orElseThrow();
          meta.getStepStats().getDevStatsList().forEach(d ->
              d.getNodeStatsList().forEach(n -> ranOn.computeIfAbsent(n.getNodeName(), k -> new HashSet<>()).add(d.getDevice())));
        }
      } finally {
        fed.forEach(Tensor::close);
      }
      int seen = 0;
      for (String op : gradientOps) {
        Set<String> devices = ranOn.get(op);
        if (devices != null) {
          seen++;
          assertTrue(devices.stream().allMatch(d -> d.endsWith("/device:CPU:1")), op + " ran on " + devices);
        }
      }
      assertTrue(seen > 10, "the trace shows replica 1's gradient kernels: " + seen);
      Set<String> replica0 = ranOn.keySet().stream().filter(n -> n.startsWith("replica_0_gradients/")).collect(
          java.util.stream.Collectors.toSet());
      assertFalse(replica0.isEmpty());
      replica0.forEach(n -> assertTrue(ranOn.get(n).stream().allMatch(d -> d.endsWith("/device:CPU:0")), n + " " + ranOn.get(n)));
    }
  }

  // README:begin devices
  static Trainer.Summary fitOnTwoDevices(VideoModel model, VideoDataset train, VideoDataset validation, Path run) {
    try (Trainer trainer = Trainer.builder(model).trainData(train).validationData(validation)
        .batchSize(8).devices(2).runDirectory(run).build()) {
      return trainer.fit(); // each batch of 8: 4 clips on each device, one averaged update
    }
  }
  // README:end

  @Test
  void anAfNetTrainsOnTwoDevicesAndResumesOnOne(@TempDir Path dir) throws Exception {
    VideoDataset train = SyntheticMotionDataset.builder().frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE).classes(4)
        .keyFrames(2).clips(16).seed(3).split(Split.TRAIN).build();
    VideoDataset validation = SyntheticMotionDataset.builder().frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE).classes(4)
        .keyFrames(2).clips(8).seed(3).split(Split.VALIDATION).build();
    Trainer.Summary s = fitOnTwoDevices(new TinyAfModel(4), train, validation, dir);
    assertEquals(2, s.steps());
    assertTrue(Double.isFinite(s.lastLoss()) && s.lastLoss() > 0, "loss " + s.lastLoss());
    // The checkpoint holds the same variables whatever the device count: a second epoch on one device.
    try (Trainer t = Trainer.builder(new TinyAfModel(4)).trainData(train).validationData(validation).batchSize(8)
        .devices(1).epochs(2).runDirectory(dir).build()) {
      assertEquals(2L, t.resume().orElseThrow());
      assertEquals(4, t.fit().steps());
      assertTrue(t.trainingGraph().weightsFinite());
    }
  }

  @Test
  void anAdaFocusV2LearnsABatchOnTwoDevices() throws Exception {
    VideoDataset train = SyntheticMotionDataset.builder().frames(AdaFocusV2TrainerTest.FRAMES).size(AdaFocusV2TrainerTest.SIZE)
        .classes(4).keyFrames(2).clips(8).seed(3).split(Split.TRAIN).build();
    try (Trainer t = Trainer.builder(new AdaFocusV2TrainerTest.TinyAdaFocus()).trainData(train).batchSize(4).devices(2)
            .threads(1).seed(11).withoutListener(ExitCurveListener.class).build();
        var loader = io.saccade.runtime.data.ClipLoader.builder(train).batchSize(4).build()) {
      ClipBatch batch = loader.epoch(0).next();
      double first = t.step(batch, 0.02f, 1f, 1f, 0).loss();
      double last = first;
      for (int i = 1; i < 10; i++) {
        last = t.step(batch, 0.02f, 1f, 1f, i).loss();
      }
      // Policy, patch crop, both encoders and the auxiliary heads, two clips on each device.
      assertTrue(last < 0.7 * first, "AdaFocusV2 loss on one batch over two devices " + first + " → " + last);
    }
  }

  @Test
  void theReadmeShowsTheSnippet() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/saccade/runtime/train/MultiDeviceTrainingTest.java"));
    String snippet = source.substring(source.indexOf("// README:begin devices\n") + 24, source.indexOf("  // README:end"));
    String readme = Files.readString(Path.of("..", "README.md"));
    String shown = snippet.replaceAll("(?m)^  ", "");
    assertTrue(readme.contains("```java\n" + shown + "```\n"), "not in the README:\n" + shown);
  }

  @Test
  void aBatchThatDoesNotSplitEvenlyIsRefusedWithItsSizes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(new Dense(false), 6, 4));
    assertTrue(e.getMessage().contains("6 clips does not split evenly across 4 devices"), e.getMessage());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(new Dense(false)).devices(0));
    assertEquals("devices must be >= 1, got 0", zero.getMessage());
  }
}
