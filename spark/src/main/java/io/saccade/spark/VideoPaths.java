package io.saccade.spark;

import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The videos to score as a DataFrame of one string column {@code path}: from a list file (one video
 * file or frame folder per line; blank lines and lines starting with {@code #} are skipped), a CSV file
 * with a header, or Parquet.
 */
public final class VideoPaths {

  /** Input formats. */
  public enum Format { LIST, CSV, PARQUET;

    /** By the name's extension: {@code .csv}, {@code .parquet} (or a folder of them, named so), else a list. */
    public static Format of(String location) {
      String name = location.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
      if (name.endsWith(".csv")) {
        return CSV;
      }
      return name.endsWith(".parquet") ? PARQUET : LIST;
    }
  }

  private VideoPaths() {}

  /**
   * Reads the paths at {@code location}.
   *
   * @param column the column holding the paths in a CSV or Parquet input
   * @throws IllegalArgumentException naming the input and its columns when {@code column} is not one of them
   */
  public static Dataset<Row> read(SparkSession spark, String location, Format format, String column) {
    Dataset<Row> paths;
    switch (format) {
      case LIST -> {
        Dataset<String> lines = spark.read().textFile(location);
        return lines.map((org.apache.spark.api.java.function.MapFunction<String, String>) String::trim, Encoders.STRING())
            .filter((org.apache.spark.api.java.function.FilterFunction<String>) l -> !l.isEmpty() && !l.startsWith("#"))
            .toDF(VideoScorer.PATH);
      }
      case CSV -> paths = spark.read().option("header", "true").csv(location);
      case PARQUET -> paths = spark.read().parquet(location);
      default -> throw new AssertionError(format);
    }
    if (!Arrays.asList(paths.columns()).contains(column)) {
      throw new IllegalArgumentException(location + " has no column '" + column + "' (its columns: "
          + String.join(", ", paths.columns()) + "); name the one holding the paths with --column");
    }
    return paths.select(functions.col(column).cast("string").as(VideoScorer.PATH));
  }
}
