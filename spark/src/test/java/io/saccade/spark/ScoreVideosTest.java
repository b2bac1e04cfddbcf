package io.saccade.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.examples.AfDemoNetwork;
import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.export.Preprocessing;
import io.saccade.runtime.export.SavedModelExporter;
import io.saccade.runtime.export.VideoClassifier;
import io.saccade.runtime.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scores the embedded dataset's clips with the exported demo AFNet on Spark in local mode, against the
 * same model in this process without Spark.
 */
class ScoreVideosTest {

  static final int CLIPS = 100;  // written twice: as .mp4 files and as frame folders (202 rows with the two bad paths; 4 partitions of ~50)

  @TempDir static Path dir;
  static Path model;
  static Path list;
  static Path corrupt;
  static Path missing;
  static List<Path> clips = new ArrayList<>();
  static SparkSession spark;
  static Map<String, VideoClassifier.Prediction> singleProcess;

  @BeforeAll
  static void exportModelWriteClipsStartSpark() throws Exception {
    long t0 = System.nanoTime();
    AfDemoNetwork network = new AfDemoNetwork();
    SyntheticMotionDataset train = SyntheticMotionDataset.builder().forModel(network).clips(32).seed(7).build();
    model = dir.resolve("model");
    // Initial weights (what a trained model adds is accuracy, not another code path), with the navigation's
    // keep margin near 0 so the untrained network drops frames instead of keeping all of them.
    try (Trainer trainer = Trainer.builder(network).trainData(train).navigationKeepMargin(0.01f).seed(3).build()) {
      System.out.printf("built trainer in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      SavedModelExporter.export(network, trainer.session(), model, train.classNames(), Preprocessing.of(train), 0);
    }
    long t1 = System.nanoTime();
    SyntheticMotionDataset val = train.toBuilder().split(Split.VALIDATION).clips(CLIPS).build();
    val.writeVideos(dir.resolve("videos"));
    val.writeFrameFolders(dir.resolve("frames"));
    for (int i = 0; i < CLIPS; i++) {
      clips.add(dir.resolve(String.format("videos/validation_%06d.mp4", i)));
      clips.add(dir.resolve(String.format("frames/validation_%06d", i)));
    }
    long t2 = System.nanoTime();
    corrupt = dir.resolve("videos/corrupt.mp4");
    byte[] head = Files.readAllBytes(clips.get(0));
    Files.write(corrupt, java.util.Arrays.copyOf(head, 300));   // a truncated copy of a real video
    missing = dir.resolve("videos/missing.mp4");
    List<String> lines = new ArrayList<>(List.of("# the clips to score", ""));
    clips.forEach(c -> lines.add(c.toString()));
    lines.add(40, corrupt.toString());
    lines.add(missing.toString());
    list = Files.write(dir.resolve("videos.txt"), lines);

    spark = SparkSession.builder().master("local[2,3]").appName("ScoreVideosTest")   // 2 threads, a task may fail twice
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    long t3 = System.nanoTime();
    System.out.printf(java.util.Locale.ROOT, "setup: train+export %.1f s, write clips %.1f s, start Spark %.1f s%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  static AfDemoNetwork network() {
    return new AfDemoNetwork();
  }

  /** What the model says about each clip in this process, one clip at a time, without Spark. */
  static synchronized Map<String, VideoClassifier.Prediction> singleProcess() throws Exception {
    if (singleProcess != null) {
      return singleProcess;
    }
    Map<String, VideoClassifier.Prediction> expected = new HashMap<>();
    try (VideoClassifier c = VideoClassifier.open(model)) {
      for (Path p : clips) {
        expected.put(p.toString(), c.classify(p, 3));
      }
    }
    singleProcess = expected;
    return expected;
  }

  static Map<String, Row> byPath(List<Row> rows) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : rows) {
      assertNull(out.put(r.getString(0), r), "one row per path: " + r.getString(0));
    }
    return out;
  }

  @Test
  void scoresEveryClipAsTheSingleProcessClassifierDoesAndACorruptFileIsAnErrorRow() throws Exception {
    Path out = dir.resolve("scores.parquet");
    long start = System.nanoTime();
    assertEquals(0, ScoreVideos.run(spark, "--model", model.toString(), "--input", list.toString(), "--out", out.toString(),
        "--top-k", "3", "--batch-size", "8"));
    double seconds = (System.nanoTime() - start) / 1e9;

    Dataset<Row> read = spark.read().parquet(out.toString());
    assertEquals(VideoScorer.SCHEMA.fieldNames().length, read.schema().fields().length);
    Map<String, Row> rows = byPath(read.collectAsList());
    assertEquals(clips.size() + 2, rows.size(), "every listed path once, comments and blank lines skipped");

    Map<String, VideoClassifier.Prediction> expected = singleProcess();
    int dropped = 0;
    for (Path p : clips) {
      Row r = rows.get(p.toString());
      VideoClassifier.Prediction e = expected.get(p.toString());
      assertTrue(r.isNullAt(r.fieldIndex("error")), () -> r.getAs("error"));
      List<String> labels = r.getList(r.fieldIndex("labels"));
      List<Float> scores = r.getList(r.fieldIndex("scores"));
      assertEquals(e.top().stream().map(VideoClassifier.Scored::label).toList(), labels, p.toString());
      for (int k = 0; k < 3; k++) {
        assertEquals(e.top().get(k).probability(), scores.get(k), 1e-5f, p.toString());
      }
      assertEquals(e.gflops(), r.<Float>getAs("gflops"), 1e-6f);
      List<scala.collection.Seq<Integer>> kept = r.getList(r.fieldIndex("kept_frames"));
      int[][] keptExpected = e.keptFrames();
      assertEquals(keptExpected.length, kept.size());
      assertTrue(kept.size() > 0, "AfDemo has navigation layers");
      dropped += keptExpected[0].length < network().frames() ? 1 : 0;
      for (int l = 0; l < keptExpected.length; l++) {
        assertArrayEquals(keptExpected[l], scala.jdk.javaapi.CollectionConverters.asJava(kept.get(l)).stream().mapToInt(Integer::intValue).toArray(), p + " layer " + l);
      }
    }
    assertTrue(dropped > 0, "some clips have frames their first navigation layer dropped");
    for (Path bad : List.of(corrupt, missing)) {
      Row r = rows.get(bad.toString());
      String error = r.getAs("error");
      assertTrue(error != null && error.contains(bad.toString()), error);
      assertTrue(r.isNullAt(r.fieldIndex("labels")) && r.isNullAt(r.fieldIndex("gflops")));
    }
    assertTrue(rows.get(corrupt.toString()).<String>getAs("error").startsWith("BadSampleException"));

    Classifiers.Load load = Classifiers.load(model.toString()).orElseThrow();
    assertEquals(1, load.count(), "one executor JVM here: the model is opened once for all tasks");
    System.out.printf(java.util.Locale.ROOT, "SPARK local[2]: %d clips (+2 bad) in %.1f s end to end = %.1f clips/s; model opened once in %d ms%n",
        clips.size(), seconds, clips.size() / seconds, load.millis());
  }

  @Test
  void aTaskThatFailsAndIsRetriedGivesTheSameRows() throws Exception {
    VideoScorer scorer = VideoScorer.builder(model.toString()).topK(3).batchSize(5).build();
    Dataset<Row> paths = VideoPaths.read(spark, list.toString(), VideoPaths.Format.LIST, VideoScorer.PATH).repartition(4);
    List<Row> clean = paths.mapPartitions(scorer.partitionFunction(), Encoders.row(VideoScorer.SCHEMA)).collectAsList();

    // The first attempt of partition 1 dies after a few rows; Spark runs the task again.
    MapPartitionsFunction<Row, Row> fn = scorer.partitionFunction();
    MapPartitionsFunction<Row, Row> failingOnce = rows -> {
      java.util.Iterator<Row> scored = fn.call(rows);
      TaskContext task = TaskContext.get();
      if (task.partitionId() == 1 && task.attemptNumber() == 0) {
        for (int i = 0; i < 7 && scored.hasNext(); i++) {
          scored.next();
        }
        throw new IllegalStateException("injected failure of the first attempt");
      }
      return scored;
    };
    long start = System.nanoTime();
    List<Row> retried = paths.mapPartitions(failingOnce, Encoders.row(VideoScorer.SCHEMA)).collectAsList();
    double seconds = (System.nanoTime() - start) / 1e9;

    assertEquals(clips.size() + 2, retried.size());
    assertEquals(clean, retried, "the same rows in the same order, bit for bit");
    System.out.printf(java.util.Locale.ROOT, "SPARK retried job (model already open): %d clips in %.1f s = %.1f clips/s%n",
        retried.size(), seconds, retried.size() / seconds);
  }

  @Test
  void readsCsvAndParquetInputsWithRelativePathsAndAModelShippedAsAnArchive() throws Exception {
    Path csv = Files.writeString(dir.resolve("some.csv"),
        "video,label\nvideos/validation_000003.mp4,left\nframes/validation_000004,right\nvideos/nothing.mp4,up\n");
    Path zip = dir.resolve("model.zip");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip));
        var files = Files.walk(model)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new java.util.zip.ZipEntry(model.relativize(f).toString()));   // 1/saved_model.pb, ...
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    spark.sparkContext().addArchive(zip + "#shipped-model");   // what spark-submit --archives model.zip#shipped-model does

    Path fromCsv = dir.resolve("from-csv.parquet");
    assertEquals(0, ScoreVideos.run(spark, "--model", "shipped-model", "--input", csv.toString(), "--column", "video",
        "--root", dir.toString(), "--out", fromCsv.toString(), "--top-k", "2"));
    Map<String, Row> rows = byPath(spark.read().parquet(fromCsv.toString()).collectAsList());
    assertEquals(List.of("frames/validation_000004", "videos/nothing.mp4", "videos/validation_000003.mp4"), List.copyOf(rows.keySet()),
        "the paths as the input gives them");
    Map<String, VideoClassifier.Prediction> expected = singleProcess();
    for (String p : List.of("frames/validation_000004", "videos/validation_000003.mp4")) {
      List<String> labels = rows.get(p).getList(1);
      assertEquals(expected.get(dir.resolve(p).toString()).top().stream().limit(2).map(VideoClassifier.Scored::label).toList(), labels);
    }
    assertTrue(rows.get("videos/nothing.mp4").<String>getAs("error").contains(dir.resolve("videos/nothing.mp4").toString()));
    assertTrue(Classifiers.load("shipped-model").orElseThrow().directory().startsWith(Path.of(org.apache.spark.SparkFiles.getRootDirectory())));

    // The output's path column is itself an input.
    Path again = dir.resolve("again.parquet");
    assertEquals(0, ScoreVideos.run(spark, "--model", model.toString(), "--input", fromCsv.toString(), "--root", dir.toString(),
        "--out", again.toString(), "--top-k", "2"));
    assertEquals(rows.values().stream().map(Row::toString).sorted().toList(),
        spark.read().parquet(again.toString()).collectAsList().stream().map(Row::toString).sorted().toList());

    assertEquals(2, ScoreVideos.run(spark, "--model", model.toString(), "--input", csv.toString(), "--out", dir.resolve("x").toString()),
        "a CSV without a 'path' column and no --column");
    assertEquals(2, ScoreVideos.run(spark, "--model", model.toString(), "--input", fromCsv.toString(), "--out", again.toString()),
        "the output exists and --overwrite was not given");
    assertEquals(2, ScoreVideos.run(spark, "--input", csv.toString(), "--out", dir.resolve("y").toString()), "no --model");
  }

  /** The README's Java lines, as they are there (the test swaps in its own files). */
  static void readmeJava(SparkSession spark, String list, String model, String out) {
    Dataset<Row> paths = VideoPaths.read(spark, list, VideoPaths.Format.LIST, VideoScorer.PATH);
    Dataset<Row> scores = VideoScorer.builder(model).topK(5).batchSize(8).build().score(paths.repartition(64));
    scores.write().parquet(out);
  }

  @Test
  void theReadmeCommandAndJavaLinesRunAsWritten() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String section = readme.substring(readme.indexOf("### Batch inference on Apache Spark"));
    section = section.substring(0, section.indexOf("\n## "));
    Path few = Files.write(dir.resolve("few.txt"), List.of(clips.get(0).toString(), clips.get(1).toString(), corrupt.toString()));

    // The spark-submit command: its class, its jar, and the job's arguments (the test's files swapped in).
    String bash = section.substring(section.indexOf("```bash"), section.indexOf("```", section.indexOf("```bash") + 3));
    String command = bash.substring(bash.indexOf("spark-submit")).replace("\\\n", " ");
    assertTrue(command.contains("--class " + ScoreVideos.class.getName()), command);
    assertTrue(command.contains("--jars \"$(ls spark/target/lib/*.jar | paste -sd, -)\""), command);
    String[] words = command.substring(command.indexOf("saccade-spark-0.1.0-SNAPSHOT.jar") + "saccade-spark-0.1.0-SNAPSHOT.jar".length())
        .trim().split("\\s+");
    Map<String, String> swap = Map.of("served/afnet", model.toString(), "videos.txt", few.toString(),
        "scores.parquet", dir.resolve("readme-command.parquet").toString());
    String[] args = java.util.Arrays.stream(words).map(w -> swap.getOrDefault(w, w)).toArray(String[]::new);
    assertEquals(List.of("--model", "--input", "--out"), java.util.Arrays.stream(words).filter(w -> w.startsWith("--")).toList());
    assertEquals(0, ScoreVideos.run(spark, args));
    assertEquals(3, spark.read().parquet(dir.resolve("readme-command.parquet").toString()).count());

    // The Java lines.
    String java = section.substring(section.indexOf("```java") + 7, section.indexOf("```", section.indexOf("```java") + 7)).trim();
    String source = Files.readString(Path.of("src/test/java/io/saccade/spark/ScoreVideosTest.java"));
    String body = source.substring(source.indexOf("String out) {") + "String out) {".length(), source.indexOf("  @Test\n  void theReadme")).trim();
    body = body.substring(0, body.lastIndexOf('}')).trim();
    String asInReadme = body.replace("read(spark, list,", "read(spark, \"videos.txt\",").replace("builder(model)", "builder(\"/mnt/models/afnet\")")
        .replace("parquet(out)", "parquet(\"scores.parquet\")").replaceAll("\n\\s+", "\n");
    assertEquals(java, asInReadme);
    readmeJava(spark, few.toString(), model.toString(), dir.resolve("readme-java.parquet").toString());
    assertEquals(3, spark.read().parquet(dir.resolve("readme-java.parquet").toString()).count());
  }
}
