package io.saccade.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.ClipLoader;
import io.saccade.runtime.data.Sampling;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.export.Preprocessing;
import io.saccade.runtime.export.SavedModelExporter;
import io.saccade.runtime.export.VideoClassifier;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Trainer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/** A trained network exported as a SavedModel gives the same predictions in a fresh JVM. */
class ExportTest {

  /**
   * A per-clip AdaFocusV2 with the official focus frames: the export records the glance and focus sets, and a
   * frame folder is classified from its 4 glance frames then its 6 focus frames, each set's segment centres.
   */
  @Test
  void aPerClipAdaFocusV2ExportSamplesItsGlanceThenItsFocusFrames(@TempDir Path dir) throws Exception {
    VideoModel model = new io.saccade.examples.tiny.TinyAdaFocusV2TsmNetwork();
    assertEquals(List.of(4, 6), model.frameSets());
    SyntheticMotionDataset data = SyntheticMotionDataset.builder().forModel(model).frames(12).clips(8).seed(4).build();
    assertEquals(10, data.frames());
    Path exported = dir.resolve("model");
    // Initial weights: what is checked here is which frames the export samples, not what training adds (the
    // trained-then-exported path is exportLoadInAFreshJvmPredictsTheSame's).
    try (Trainer trainer = Trainer.builder(model).trainData(data).epochs(1).batchSize(4).build()) {
      SavedModelExporter.export(model, trainer.session(), exported, data.classNames(), Preprocessing.of(data), 0);
    }
    String meta = Files.readString(exported.resolve("1/assets.extra/saccade.json"));
    assertTrue(meta.replace(" ", "").contains("\"frame_sets\":[4,6]"), meta);
    Path folders = dir.resolve("frames");
    SyntheticMotionDataset.builder().frames(12).size(model.inputSize()).classes(model.classes()).clips(1).seed(4).build()
        .writeFrameFolders(folders);
    Path video = folders.resolve("train_000000");
    try (VideoClassifier c = VideoClassifier.load(exported)) {
      assertEquals(10, c.frames());
      assertEquals(List.of(4, 6), c.preprocessing().frameSets());
      VideoClassifier.Prediction p = c.classify(video, model.classes());
      // of 12 frames: the glance's centres 1 4 7 10, the focus network's 1 3 5 7 9 11 (files numbered from 1)
      assertEquals(List.of(2, 5, 8, 11, 2, 4, 6, 8, 10, 12), java.util.Arrays.stream(p.frameNumbers()).boxed().toList());
      List<io.saccade.runtime.data.RgbImage> images = new ArrayList<>();
      for (int i : new int[] {1, 4, 7, 10, 1, 3, 5, 7, 9, 11}) {
        images.add(io.saccade.runtime.data.FrameDecoder.decode(video.resolve(String.format(Locale.ROOT, "%05d.jpg", i + 1))));
      }
      assertEquals(probabilities(p), probabilities(c.classify(c.preprocessing().clip(images), model.classes())));
    }
  }

  @Test
  void exportLoadInAFreshJvmPredictsTheSame(@TempDir Path dir) throws Exception {
    VideoModel model = new AfDemoNetwork();
    SyntheticMotionDataset data =
        SyntheticMotionDataset.builder().frames(model.frames()).size(model.inputSize()).classes(model.classes())
            .clips(32).seed(4).split(Split.TRAIN).build();
    float[] clip = data.load(3, Sampling.eval()).data();
    Path exported = dir.resolve("model");
    String expected;
    try (Trainer trainer = Trainer.builder(model).batchSize(8).build();
        ClipLoader loader = ClipLoader.builder(data).batchSize(8).build();
        ClipLoader.Epoch batches = loader.epoch(0)) {
      // A few steps (an epoch of 4 batches), so the exported weights are not the initial ones. Stepped directly:
      // fit()'s from-scratch recipe would first restart every navigation decision, one session run each, which
      // costs more than the steps and is the trainer's tests' concern, not the export's.
      for (int i = 0; batches.hasNext(); i++) {
        trainer.step(batches.next(), 0.002f, 1f, 1f, i);
      }
      assertEquals(4, trainer.step());
      Path version = SavedModelExporter.export(model, trainer.session(), exported, data.classNames(), Preprocessing.of(data), 0);
      assertEquals(exported.resolve("1"), version, "TensorFlow Serving's layout: a numbered version folder");
      assertThrows(FileAlreadyExistsException.class,
          () -> SavedModelExporter.export(model, trainer.session(), exported, data.classNames(), Preprocessing.of(data), 1));
    }
    assertServableByAnyTensorFlow(exported.resolve("1"), model);
    try (VideoClassifier c = VideoClassifier.load(exported)) {
      VideoClassifier.Prediction p = c.classify(clip, model.classes());
      assertEquals(data.classNames().get(p.top().get(0).index()), p.top().get(0).label());
      assertEquals(10, p.selectedFrames().length, "one frame mask per navigation module");
      expected = probabilities(p);
    }
    Path input = dir.resolve("clip.f32");
    ByteBuffer b = ByteBuffer.allocate(clip.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(clip);
    Files.write(input, b.array());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ExportedModelProbe.class.getName());
    cmd.add(exported.toString());
    cmd.add(input.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process = pb.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    String fresh = out.lines().filter(l -> l.startsWith("PROBS ")).findFirst().orElseThrow().substring(6);
    assertEquals(expected, fresh, "bit-identical probabilities in a fresh JVM");
  }

  /**
   * What TensorFlow Serving and Python's {@code tf.saved_model.load} need, read from the files: one
   * MetaGraph tagged {@code serve}, a {@code serving_default} predict signature with the documented
   * names, dtypes and shapes, saved variables, and only ops of TensorFlow's own registry (no custom op
   * library to ship). Python and TF Serving themselves cannot be installed on this build machine.
   */
  private static void assertServableByAnyTensorFlow(Path exported, VideoModel model) throws IOException {
    SavedModel saved = SavedModel.parseFrom(Files.readAllBytes(exported.resolve("saved_model.pb")));
    assertEquals(1, saved.getMetaGraphsCount());
    MetaGraphDef meta = saved.getMetaGraphs(0);
    assertEquals(List.of("serve"), meta.getMetaInfoDef().getTagsList());
    SignatureDef sig = meta.getSignatureDefOrThrow("serving_default");
    assertEquals("tensorflow/serving/predict", sig.getMethodName());
    TensorInfo in = sig.getInputsOrThrow(SavedModelExporter.INPUT);
    assertEquals(DataType.DT_FLOAT, in.getDtype());
    assertEquals(List.of(-1L, (long) model.frames(), (long) model.inputSize(), (long) model.inputSize(), 3L),
        in.getTensorShape().getDimList().stream().map(d -> d.getSize()).toList());
    assertEquals(Set.of(SavedModelExporter.PROBABILITIES, SavedModelExporter.LOGITS, SavedModelExporter.GFLOPS,
        SavedModelExporter.SELECTED_FRAMES), sig.getOutputsMap().keySet());
    assertEquals(List.of(-1L, (long) model.classes()),
        sig.getOutputsOrThrow(SavedModelExporter.PROBABILITIES).getTensorShape().getDimList().stream().map(d -> d.getSize()).toList());
    for (TensorInfo out : sig.getOutputsMap().values()) {
      assertEquals(DataType.DT_FLOAT, out.getDtype());
    }
    assertTrue(Files.isRegularFile(exported.resolve("variables").resolve("variables.index")), "saved variables");
    Set<String> builtIn = TensorFlow.registeredOpList().getOpList().stream().map(OpDef::getName).collect(Collectors.toSet());
    Set<String> used = meta.getGraphDef().getNodeList().stream().map(NodeDef::getOp).collect(Collectors.toCollection(TreeSet::new));
    meta.getGraphDef().getLibrary().getFunctionList().forEach(f -> f.getNodeDefList().forEach(n -> used.add(n.getOp())));
    Set<String> unknown = new TreeSet<>(used);
    unknown.removeAll(builtIn);
    assertEquals(Set.of(), unknown, "ops outside TensorFlow " + TensorFlow.version() + "'s registry");
    assertTrue(used.contains("Conv2D") && used.contains("GatherV2"), "the frame-skipping inference graph: " + used);
  }

  @Test
  void loadingSomethingElseNamesTheFolder(@TempDir Path dir) {
    IOException e = assertThrows(IOException.class, () -> VideoClassifier.load(dir));
    assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("not a SavedModel"), e.getMessage());
  }

  private static String probabilities(VideoClassifier.Prediction p) {
    StringBuilder sb = new StringBuilder();
    p.top().stream()
        .sorted((x, y) -> Integer.compare(x.index(), y.index()))
        .forEach(s -> sb.append(String.format(Locale.ROOT, "%d=%s ", s.index(), Float.toString(s.probability()))));
    return sb.toString().trim();
  }
}
