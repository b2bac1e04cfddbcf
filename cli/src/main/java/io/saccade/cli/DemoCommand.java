package io.saccade.cli;

import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.data.ClipLoader;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.io.FileTrees;
import io.saccade.runtime.metrics.AccuracyFlopsPlot;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code saccade demo}: the README's main job. Trains an AFNet and its dense baseline on the embedded
 * dataset (no download) on CPU, then prints accuracy, dynamic GFLOPs and latency side by side, ending
 * with a machine-readable {@code RESULT} line, and draws the accuracy-vs-GFLOPs figure.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Train an AFNet and its dense baseline on the embedded dataset and compare accuracy, GFLOPs and latency.")
final class DemoCommand implements Callable<Integer> {

  /** The networks the examples module declares for the demo. */
  static final String DEFAULT_NETWORK = "AfDemo";
  static final String DEFAULT_BASELINE = "TsmDemo";

  @Option(names = {"-n", "--network"}, defaultValue = DEFAULT_NETWORK, description = "Adaptive network (default ${DEFAULT-VALUE}).")
  String network;

  @Option(names = "--baseline", defaultValue = DEFAULT_BASELINE, description = "Dense baseline (default ${DEFAULT-VALUE}).")
  String baseline;

  @Option(names = "--out", defaultValue = "runs/demo", description = "Run folders and the figure (default ${DEFAULT-VALUE}).")
  Path out;

  @Mixin TrainingOptions training;

  @Option(names = "--train-clips", defaultValue = "1536", description = "Embedded training clips (default ${DEFAULT-VALUE}).")
  int trainClips;

  @Option(names = "--val-clips", defaultValue = "384", description = "Embedded validation clips (default ${DEFAULT-VALUE}).")
  int valClips;

  /** What one model achieved. */
  private record Outcome(String name, double top1, double gflops, double compileTimeGflops, double latencyMillis, long params) {}

  @Override
  public Integer call() throws Exception {
    Outcome adaptive = run(NetworkRegistry.find(network));
    Outcome dense = run(NetworkRegistry.find(baseline));
    Path figure = out.resolve("accuracy-vs-gflops.png");
    new AccuracyFlopsPlot("Saccade demo: embedded motion dataset")
        .point("AFNet", adaptive.name(), adaptive.gflops(), adaptive.top1())
        .point("dense baseline", dense.name(), dense.gflops(), dense.top1())
        .write(figure);
    System.out.println();
    System.out.printf(Locale.ROOT, "%-16s %8s %14s %16s %12s %12s%n", "model", "top1", "GFLOPs/clip", "(compile-time)", "latency ms", "params");
    for (Outcome o : new Outcome[] {adaptive, dense}) {
      System.out.printf(
          Locale.ROOT, "%-16s %8.4f %14.5f %16.5f %12.2f %,12d%n",
          o.name(), o.top1(), o.gflops(), o.compileTimeGflops(), o.latencyMillis(), o.params());
    }
    System.out.println("figure: " + figure);
    System.out.printf(
        Locale.ROOT,
        "RESULT model=%s top1=%.4f gflops=%.5f latency_ms=%.2f baseline=%s baseline_top1=%.4f baseline_gflops=%.5f baseline_latency_ms=%.2f%n",
        adaptive.name(), adaptive.top1(), adaptive.gflops(), adaptive.latencyMillis(),
        dense.name(), dense.top1(), dense.gflops(), dense.latencyMillis());
    return 0;
  }

  private Outcome run(VideoModel model) throws Exception {
    DataOptions data = new DataOptions();
    data.trainClips = trainClips;
    data.valClips = valClips;
    data.dataSeed = 1;
    VideoDataset val = data.validation(model);
    Path run = out.resolve(model.name());
    FileTrees.delete(run);
    System.out.println(model.summary().table());
    try (Trainer trainer = training.trainer(model, data.train(model), val, run).build()) {
      trainer.fit();
      ClassificationMetrics m = trainer.evaluate(val);
      System.out.print(m.report(val.classNames()));
      Path weights = Files.createTempDirectory("saccade-demo");
      try {
        trainer.session().save(weights.resolve("ckpt").toString());
        float[] clip;
        try (ClipLoader loader = ClipLoader.builder(val).batchSize(1).training(false).build();
            ClipLoader.Epoch e = loader.epoch(0)) {
          ClipBatch b = e.next();
          clip = b.data();
        }
        try (Latency latency = new Latency(model, 1, clip, weights.resolve("ckpt").toString())) {
          double ms = latency.measure(true, 3, 15).medianMillis();
          return new Outcome(model.name(), m.top1(), m.gflopsPerClip(), model.summary().gflopsPerClip(), ms, model.summary().parameters());
        }
      } finally {
        FileTrees.delete(weights);
      }
    }
  }

}
