package io.saccade.spark;

import io.saccade.runtime.export.VideoClassifier;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a DataFrame of video paths with an exported model, in {@code mapPartitions}: each executor opens
 * the model once ({@link Classifiers}) and runs the clips of a partition through it in batches of
 * {@link #batchSize()}.
 *
 * <pre>{@code
 * Dataset<Row> paths = VideoPaths.read(spark, "videos.txt", VideoPaths.Format.LIST, "path");
 * Dataset<Row> scores = VideoScorer.builder("/mnt/models/afnet").topK(5).build().score(paths);
 * scores.write().parquet("scores.parquet");
 * }</pre>
 *
 * <p>One output row per input row ({@link #SCHEMA}), in the input's order within each partition. A video
 * that is missing or cannot be decoded is a row whose {@code error} names it, with nulls for the rest;
 * the task goes on. Inference is deterministic (no sampling noise; the same clips in the same batches), so
 * a task that Spark runs again gives the same rows.
 */
public final class VideoScorer implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The path column, in the input and in the output. */
  public static final String PATH = "path";

  /**
   * The output: {@code path}; {@code labels} and {@code scores}, the top-k classes most probable first
   * with their probabilities; {@code kept_frames}, per navigation layer the video's frame numbers it
   * computed (empty for a dense network); {@code gflops}, the GFLOPs spent on the clip; {@code error},
   * null or why the video has no scores.
   */
  public static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField(PATH, DataTypes.StringType, true),
      DataTypes.createStructField("labels", DataTypes.createArrayType(DataTypes.StringType, false), true),
      DataTypes.createStructField("scores", DataTypes.createArrayType(DataTypes.FloatType, false), true),
      DataTypes.createStructField("kept_frames",
          DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.IntegerType, false), false), true),
      DataTypes.createStructField("gflops", DataTypes.FloatType, true),
      DataTypes.createStructField("error", DataTypes.StringType, true),
  });

  private final String model;
  private final int topK;
  private final int batchSize;
  private final String root;

  private VideoScorer(Builder b) {
    this.model = b.model;
    this.topK = b.topK;
    this.batchSize = b.batchSize;
    this.root = b.root;
  }

  /**
   * A scorer of the exported model at {@code model}: a folder every executor can read (shared storage),
   * or the name it was shipped under with {@code --archives model.zip#NAME}.
   */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** The model folder or shipped name. */
  public String model() {
    return model;
  }

  /** Classes per row. */
  public int topK() {
    return topK;
  }

  /** Clips per session run. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Scores the {@code path} column of {@code paths}.
   *
   * @throws IllegalArgumentException if {@code paths} has no string column {@code path}
   */
  public Dataset<Row> score(Dataset<Row> paths) {
    if (!Arrays.asList(paths.columns()).contains(PATH)) {
      throw new IllegalArgumentException("the DataFrame to score needs a column '" + PATH + "'; it has " + String.join(", ", paths.columns()));
    }
    return paths.select(PATH).mapPartitions(partitionFunction(), Encoders.row(SCHEMA));
  }

  /** {@link #scorePartition} as Spark calls it. */
  public MapPartitionsFunction<Row, Row> partitionFunction() {
    return this::scorePartition;
  }

  /**
   * Scores one partition's rows (their first field is the path) lazily, {@link #batchSize()} at a time:
   * at most one batch of clips is held in memory per task.
   */
  public Iterator<Row> scorePartition(Iterator<Row> rows) {
    return new Iterator<>() {
      private final ArrayDeque<Row> ready = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        if (ready.isEmpty() && rows.hasNext()) {
          List<String> batch = new ArrayList<>(batchSize);
          while (batch.size() < batchSize && rows.hasNext()) {
            Row r = rows.next();
            batch.add(r.isNullAt(0) ? null : r.getString(0));
          }
          ready.addAll(scoreBatch(batch));
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.removeFirst();
      }
    };
  }

  /** One batch of paths through the model: one row each, in order. */
  List<Row> scoreBatch(List<String> paths) {
    VideoClassifier classifier = Classifiers.get(model);
    Row[] out = new Row[paths.size()];
    List<Integer> at = new ArrayList<>();
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      String p = paths.get(i);
      if (p == null || p.isBlank()) {
        out[i] = failed(p, "no path (" + (p == null ? "null" : "blank") + ") in the input");
        continue;
      }
      Path input;
      try {
        input = root == null ? Path.of(p) : Path.of(root).resolve(p);
      } catch (java.nio.file.InvalidPathException e) {
        out[i] = failed(p, "not a path: " + e.getMessage());
        continue;
      }
      at.add(i);
      inputs.add(input);
    }
    List<VideoClassifier.Outcome> outcomes = classifier.classifyAll(inputs, topK);
    for (int j = 0; j < at.size(); j++) {
      int i = at.get(j);
      out[i] = row(paths.get(i), outcomes.get(j));
    }
    return Arrays.asList(out);
  }

  private static Row row(String path, VideoClassifier.Outcome o) {
    if (!o.ok()) {
      Exception e = o.error();
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (!message.contains(o.input().toString()) && !message.contains(path)) {
        message = o.input() + ": " + message;
      }
      return failed(path, e.getClass().getSimpleName() + ": " + message);
    }
    VideoClassifier.Prediction p = o.prediction();
    String[] labels = p.top().stream().map(VideoClassifier.Scored::label).toArray(String[]::new);
    Float[] scores = p.top().stream().map(VideoClassifier.Scored::probability).toArray(Float[]::new);
    int[][] kept = p.keptFrames();
    List<scala.collection.Seq<Integer>> layers = new ArrayList<>();
    for (int[] layer : kept) {
      layers.add(seq(Arrays.stream(layer).boxed().toList()));
    }
    return RowFactory.create(path, seq(Arrays.asList(labels)), seq(Arrays.asList(scores)), seq(layers), p.gflops(), null);
  }

  /** A Row holds an array column as a Scala Seq. */
  private static <T> scala.collection.Seq<T> seq(List<T> values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(values).toSeq();
  }

  private static Row failed(String path, String error) {
    return RowFactory.create(path, null, null, null, null, error);
  }

  /** Options of a {@link VideoScorer}. */
  public static final class Builder {
    private final String model;
    private int topK = 5;
    private int batchSize = 8;
    private String root;

    private Builder(String model) {
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException("the model folder is required");
      }
      this.model = model;
    }

    /** Classes per row (default 5; fewer when the model has fewer). */
    public Builder topK(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("top-k must be >= 1, got " + k);
      }
      this.topK = k;
      return this;
    }

    /**
     * Clips per session run (default 8). Memory per task grows with it: {@code batch × frames × size² ×
     * 3 × 4} bytes of input, e.g. 77 MB for 8 clips of 16 frames at 224 px.
     */
    public Builder batchSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + n);
      }
      this.batchSize = n;
      return this;
    }

    /** The folder relative paths are resolved against (default: the executor's working directory). */
    public Builder root(String root) {
      this.root = root;
      return this;
    }

    /** The scorer. */
    public VideoScorer build() {
      return new VideoScorer(this);
    }
  }
}
