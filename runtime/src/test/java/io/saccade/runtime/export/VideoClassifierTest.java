package io.saccade.runtime.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.runtime.data.FrameFolderDataset;
import io.saccade.runtime.data.LabelMap;
import io.saccade.runtime.data.Normalization;
import io.saccade.runtime.data.Sampling;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.io.ArtefactException;
import io.saccade.runtime.io.Json;
import io.saccade.runtime.train.TinyAfModel;
import io.saccade.runtime.train.Trainer;
import java.awt.image.BufferedImage;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports as TensorFlow Serving lays them out, and the classifier that reads them back. */
class VideoClassifierTest {

  static final List<String> NAMES = List.of("left", "right", "up", "down");
  /** Not ImageNet: a classifier that ignored the export's normalisation would give other numbers. */
  static final Normalization HALF = Normalization.of(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});

  @TempDir static Path dir;
  static Path out;
  static Path frames;
  static Trainer trainer;

  @BeforeAll
  static void trainAndExport() throws Exception {
    frames = Files.createDirectories(dir.resolve("videos/v1"));
    for (int i = 1; i <= 10; i++) {
      BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 30; y++) {
        for (int x = 0; x < 40; x++) {
          img.setRGB(x, y, ((x * 6 + i * 20) & 255) << 16 | ((y * 8) & 255) << 8 | (i * 25 & 255));
        }
      }
      ImageIO.write(img, "png", frames.resolve(String.format("%05d.png", i)).toFile());
    }
    SyntheticMotionDataset train = SyntheticMotionDataset.builder().frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE)
        .classes(4).keyFrames(2).clips(16).seed(3).split(Split.TRAIN).build();
    trainer = Trainer.builder(new TinyAfModel(4)).trainData(train).epochs(1).batchSize(8).threads(1).seed(5).build();
    trainer.fit();
    out = dir.resolve("served");
    SavedModelExporter.export(trainer.model(), trainer.session(), out, NAMES, folders(), 0);
  }

  /** The pre-processing of frame folders with the HALF normalisation. */
  static Preprocessing folders() {
    return new Preprocessing(Preprocessing.FRAME_FOLDERS, TinyAfModel.FRAMES, TinyAfModel.SIZE,
        List.of(0.5, 0.5, 0.5), List.of(0.25, 0.25, 0.25), "{:05d}.png", 1);
  }

  @AfterAll
  static void close() {
    trainer.close();
  }

  @Test
  void exportsAreNumberedVersionsWithLabelsAndPreprocessingInAssetsExtra() throws Exception {
    Path v1 = out.resolve("1");
    assertTrue(Files.isRegularFile(v1.resolve("saved_model.pb")));
    assertEquals(NAMES, Files.readAllLines(v1.resolve("assets.extra/labels.txt")));
    Map<String, Object> meta = Json.object(Json.parse(v1.resolve("assets.extra/saccade.json")), "meta");
    assertEquals("TinyAf", meta.get("network"));
    Map<String, Object> p = Json.object(meta.get("preprocessing"), "p");
    assertEquals(4L, p.get("frames"));
    assertEquals(16L, p.get("input_size"));
    assertEquals("tsn-segment-centres", p.get("sampling"));
    assertEquals(List.of(0.5, 0.5, 0.5), p.get("mean"));
    assertEquals(List.of(0.25, 0.25, 0.25), p.get("std"));
    assertEquals("RGB", p.get("channel_order"));
    assertEquals(folders(), Preprocessing.fromJson(p));

    Path extra = dir.resolve("versions");
    Path first = SavedModelExporter.export(trainer.model(), trainer.session(), extra, NAMES, folders(), 0);
    Path second = SavedModelExporter.export(trainer.model(), trainer.session(), extra, NAMES, folders(), 0);
    Path seventh = SavedModelExporter.export(trainer.model(), trainer.session(), extra, NAMES, folders(), 7);
    assertEquals(List.of(extra.resolve("1"), extra.resolve("2"), extra.resolve("7")), List.of(first, second, seventh));
    assertThrows(FileAlreadyExistsException.class,
        () -> SavedModelExporter.export(trainer.model(), trainer.session(), extra, NAMES, folders(), 2));
    try (VideoClassifier c = VideoClassifier.open(extra)) {
      assertEquals(seventh, c.directory(), "the model folder opens its newest version");
    }
    try (VideoClassifier c = VideoClassifier.open(first)) {
      assertEquals(first, c.directory());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SavedModelExporter.export(trainer.model(), trainer.session(), extra, List.of("a", "b"), folders(), 0));
    assertTrue(e.getMessage().contains("4 classes but 2 class names"), e.getMessage());
  }

  @Test
  void aFrameFolderIsSampledAndNormalisedAsTheExportSays() throws Exception {
    Path list = dir.resolve("list.txt");
    Files.writeString(list, "v1 10 2\n");
    {
      FrameFolderDataset data = FrameFolderDataset.builder().root(dir.resolve("videos")).list(list).template("{:05d}.png")
          .labels(LabelMap.of(NAMES)).frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE).normalization(HALF).build();
      float[] clip = data.load(0, Sampling.eval()).data();
      try (VideoClassifier c = VideoClassifier.open(out)) {
        VideoClassifier.Prediction fromFolder = c.classify(frames, 4);
        VideoClassifier.Prediction fromNumbers = c.classify(clip, 4);
        assertEquals(fromNumbers.top(), fromFolder.top(), "the same pixels as the dataset's evaluation clip");
        // Segment centres of 10 frames in 4 segments: 0-based 1, 3, 6, 8 = files 00002 … 00009.
        assertArrayEquals(new int[] {2, 4, 7, 9}, fromFolder.frameNumbers());
        assertEquals(1, fromFolder.selectedFrames().length);
        int[] kept = fromFolder.keptFrames()[0];
        assertTrue(kept.length >= 1 && Arrays.stream(kept).allMatch(f -> f == 2 || f == 4 || f == 7 || f == 9), Arrays.toString(kept));
        assertTrue(fromFolder.gflops() > 0);
        assertTrue(NAMES.contains(fromFolder.top().get(0).label()));
      }
    }
  }

  @Test
  void aVideoFileIsDecodedAndSampledAsTheExportSays() throws Exception {
    Path video = dir.resolve("videos/clip.mp4");
    io.saccade.runtime.data.TestVideos.write(video, "mpeg4", 48, 40, 20, (t, x, y) -> ((x * 5 + t * 12) & 255) << 16 | (y * 6 & 255) << 8 | 90);
    Path list = Files.writeString(dir.resolve("videos.txt"), "clip.mp4 1\n");
    io.saccade.runtime.data.VideoFileDataset data = io.saccade.runtime.data.VideoFileDataset.builder().root(dir.resolve("videos"))
        .list(list).labels(LabelMap.of(NAMES)).frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE).normalization(HALF).build();
    float[] clip = data.load(0, Sampling.eval()).data();
    try (VideoClassifier c = VideoClassifier.open(out)) {
      VideoClassifier.Prediction fromFile = c.classify(video, 4);
      assertEquals(c.classify(clip, 4).top(), fromFile.top(), "the same pixels as the dataset's evaluation clip");
      // Segment centres of 20 frames in 4 segments, 0-based decode order.
      assertArrayEquals(new int[] {2, 7, 12, 17}, fromFile.frameNumbers());
    }
  }

  @Test
  void eightThreadsGiveTheAnswersOfSequentialCalls() throws Exception {
    float[][] clips = new float[16][];
    SyntheticMotionDataset val = SyntheticMotionDataset.builder().frames(TinyAfModel.FRAMES).size(TinyAfModel.SIZE)
        .classes(4).keyFrames(2).clips(16).seed(9).split(Split.VALIDATION).normalization(HALF).build();
    for (int i = 0; i < clips.length; i++) {
      clips[i] = val.load(i, Sampling.eval()).data();
    }
    try (VideoClassifier c = VideoClassifier.open(out)) {
      List<String> sequential = new ArrayList<>();
      for (float[] clip : clips) {
        sequential.add(answer(c.classify(clip, 4)));
      }
      sequential.add(answer(c.classify(frames, 4)));
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<String>> futures = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
          for (int i = 0; i <= clips.length; i++) {
            int k = i;
            futures.add(pool.submit(() -> answer(k == clips.length ? c.classify(frames, 4) : c.classify(clips[k], 4))));
          }
        }
        for (int j = 0; j < futures.size(); j++) {
          assertEquals(sequential.get(j % (clips.length + 1)), futures.get(j).get(), "call " + j);
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  private static String answer(VideoClassifier.Prediction p) {
    return p.top() + " " + Arrays.deepToString(p.selectedFrames()) + " " + p.gflops() + " " + Arrays.toString(p.frameNumbers());
  }

  @Test
  void closingWhileCallsAreInFlightFailsThemCleanly() throws Exception {
    VideoClassifier c = VideoClassifier.open(out);
    String expected = answer(c.classify(frames, 4));
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Throwable> other = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          try {
            assertEquals(expected, answer(c.classify(frames, 4)));
            answered.incrementAndGet();
          } catch (IllegalStateException e) {
            if (!e.getMessage().contains("closed")) {
              other.add(e);
            }
            refused.incrementAndGet();
            return;
          } catch (Throwable e) {
            other.add(e);
            return;
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    while (answered.get() < 8) {
      Thread.sleep(1);
    }
    c.close();
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of(), other);
    assertEquals(4, refused.get(), "every thread's next call is refused, with 'closed' in the message");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.classify(frames, 1));
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    c.close(); // twice is harmless
  }

  @Test
  void aClipOfTheWrongShapeNamesExpectedAndActual() throws Exception {
    try (VideoClassifier c = VideoClassifier.open(out)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.classify(new float[3 * 16 * 16 * 3], 1));
      assertTrue(e.getMessage().contains("expects a clip of [4, 16, 16, 3]") && e.getMessage().contains("got 2304 = [3, 16, 16, 3]"),
          e.getMessage());
      io.saccade.runtime.data.Clip big = new io.saccade.runtime.data.Clip(new float[4 * 20 * 20 * 3], 4, 20, 20, 0, "x");
      e = assertThrows(IllegalArgumentException.class, () -> c.classify(big, 1));
      assertTrue(e.getMessage().contains("[4, 16, 16, 3] (frames, height, width, channels), got [4, 20, 20, 3]"), e.getMessage());
    }
  }

  @Test
  void aTruncatedExportNamesTheFile() throws Exception {
    Path copy = copyOf(out.resolve("1"), dir.resolve("truncated/1"));
    Path data = copy.resolve("variables/variables.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, Arrays.copyOf(bytes, bytes.length - 100));
    ArtefactException e = assertThrows(ArtefactException.class, () -> VideoClassifier.open(copy.getParent()));
    assertTrue(e.getMessage().contains("variables/variables.data-00000-of-00001 has " + (bytes.length - 100) + " bytes but "
        + bytes.length) && e.getMessage().contains("truncated"), e.getMessage());

    Path pb = copyOf(out.resolve("1"), dir.resolve("truncated-pb/1")).resolve("saved_model.pb");
    byte[] graph = Files.readAllBytes(pb);
    Files.write(pb, Arrays.copyOf(graph, graph.length / 2));
    e = assertThrows(ArtefactException.class, () -> VideoClassifier.open(pb.getParent()));
    assertTrue(e.getMessage().contains("saved_model.pb"), e.getMessage());
  }

  @Test
  void anExportMixingTwoNetworksNamesTheVariableAndBothShapes() throws Exception {
    Path wider = dir.resolve("wider");
    try (Trainer five = Trainer.builder(new TinyAfModel(5)).batchSize(8).build()) {
      SavedModelExporter.export(five.model(), five.session(), wider, List.of("a", "b", "c", "d", "e"), folders(), 0);
    }
    Path mixed = copyOf(out.resolve("1"), dir.resolve("mixed/1"));
    for (String f : List.of("variables.data-00000-of-00001", "variables.index")) {
      Files.copy(wider.resolve("1/variables").resolve(f), mixed.resolve("variables").resolve(f),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    ArtefactException e = assertThrows(ArtefactException.class, () -> VideoClassifier.open(mixed));
    assertTrue(e.getMessage().contains("params/head/") && e.getMessage().contains(", 5] in it but")
        && e.getMessage().contains(", 4] here"), e.getMessage());

    Path otherGraph = copyOf(out.resolve("1"), dir.resolve("other-graph/1"));
    Files.copy(wider.resolve("1/saved_model.pb"), otherGraph.resolve("saved_model.pb"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    e = assertThrows(ArtefactException.class, () -> VideoClassifier.open(otherGraph));
    assertTrue(e.getMessage().contains("probabilities of [-1, 5]") && e.getMessage().contains("4 classes"), e.getMessage());
  }

  @Test
  void somethingElseIsNamed(@TempDir Path empty) {
    Exception e = assertThrows(java.io.IOException.class, () -> VideoClassifier.open(empty));
    assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("not a SavedModel"), e.getMessage());
  }

  private static Path copyOf(Path from, Path to) throws Exception {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
