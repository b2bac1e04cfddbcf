package io.saccade.spark;

import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code spark-submit} entry point: scores the videos or frame folders listed in a file with an
 * exported model and writes one Parquet row per video.
 *
 * <pre>
 * spark-submit --class io.saccade.spark.ScoreVideos --jars "$(ls spark/target/lib/*.jar | paste -sd,)" \
 *   spark/target/saccade-spark-VERSION.jar --model /mnt/models/afnet --input videos.txt --out scores.parquet
 * </pre>
 *
 * <p>Ends with one line {@code SCORED clips=N errors=E seconds=S clips_per_s=R out=OUT}.
 */
@Command(
    name = "ScoreVideos",
    mixinStandardHelpOptions = true,
    description = "Score a list of videos or frame folders on Apache Spark with a model exported by saccade export; write Parquet.")
public final class ScoreVideos implements Callable<Integer> {

  @Option(names = "--model", required = true,
      description = "Exported model folder (OUT of saccade export, or one version OUT/N) readable on every executor, "
          + "or the name it was shipped under with --archives model.zip#NAME.")
  String model;

  @Option(names = "--input", required = true,
      description = "Videos to score: a list file (one path per line), a .csv file with a header, or .parquet.")
  String input;

  @Option(names = "--format", description = "Input format: ${COMPLETION-CANDIDATES} (default: by the extension of --input).")
  VideoPaths.Format format;

  @Option(names = "--column", defaultValue = VideoScorer.PATH, description = "Column of a CSV or Parquet input holding the paths (default: ${DEFAULT-VALUE}).")
  String column;

  @Option(names = "--root", description = "Folder relative paths are resolved against, on the executors (default: their working directory).")
  String root;

  @Option(names = "--out", required = true, description = "Parquet output folder.")
  String out;

  @Option(names = "--overwrite", description = "Replace --out if it exists (default: fail).")
  boolean overwrite;

  @Option(names = "--top-k", defaultValue = "5", description = "Classes per video (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--batch-size", defaultValue = "8", description = "Clips per session run on an executor (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--partitions", defaultValue = "0",
      description = "Tasks to split the list into (default: the larger of 2 × Spark's default parallelism and one per 500 videos).")
  int partitions;

  private SparkSession spark;

  /** Runs on the active Spark session, or a new one configured by spark-submit. */
  public static void main(String[] args) {
    int code = run(null, args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs with {@code spark} (or the session spark-submit configures, when null) and returns the exit code:
   * 0; 2 for a usage error (printed with the usage) or an input that cannot be used (no such file or
   * column, an output that exists without --overwrite; printed in one line). A model that cannot be
   * opened fails the job.
   */
  public static int run(SparkSession spark, String... args) {
    ScoreVideos command = new ScoreVideos();
    command.spark = spark;
    return new CommandLine(command)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          // A wrong column, a missing input, an output that exists: said in one line, not a stack trace.
          if (e instanceof IllegalArgumentException || e instanceof org.apache.spark.sql.AnalysisException) {
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
          }
          throw e;
        })
        .execute(args);
  }

  @Override
  public Integer call() {
    SparkSession session = spark != null ? spark : SparkSession.builder().appName("saccade-score").getOrCreate();
    VideoScorer scorer = VideoScorer.builder(model).topK(topK).batchSize(batchSize).root(root).build();
    long start = System.nanoTime();
    Dataset<Row> paths = VideoPaths.read(session, input, format != null ? format : VideoPaths.Format.of(input), column);
    long count = paths.count();
    int tasks = partitions > 0 ? partitions
        : (int) Math.max(2L * session.sparkContext().defaultParallelism(), (count + 499) / 500);
    // repartition(n) is round-robin over a locally sorted input, so a retried task gets the same videos.
    scorer.score(paths.repartition(Math.max(1, tasks)))
        .write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).parquet(out);
    double seconds = (System.nanoTime() - start) / 1e9;
    Dataset<Row> written = session.read().parquet(out);
    long clips = written.count();
    long errors = written.filter(functions.col("error").isNotNull()).count();
    System.out.printf(java.util.Locale.ROOT, "SCORED clips=%d errors=%d seconds=%.1f clips_per_s=%.1f out=%s%n",
        clips, errors, seconds, clips / seconds, out);
    return 0;
  }
}
