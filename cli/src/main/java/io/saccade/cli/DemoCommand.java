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
import java.util.ArrayList;
import java.util.List;
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

  /** What one model achieved; its weights and a validation clip stay in {@code weights} for the latency pass. */
  private record Outcome(
      VideoModel model, double top1, double gflops, double kept, long params, Path weights, float[] clip) {}

  @Override
  public Integer call() throws Exception {
    Outcome adaptive = run(NetworkRegistry.find(network));
    Outcome dense = run(NetworkRegistry.find(baseline));
    try {
      // Both networks in this process, trained weights, the same clip, interleaved rounds: batch-1 latency.
      List<Double> adaptiveMs = new ArrayList<>();
      List<Double> denseMs = new ArrayList<>();
      try (Latency a = new Latency(adaptive.model(), 1, adaptive.clip(), adaptive.weights().resolve("ckpt").toString());
          Latency d = new Latency(dense.model(), 1, dense.clip(), dense.weights().resolve("ckpt").toString())) {
        a.times(true, 3, 1);
        d.times(true, 3, 1);
        for (int round = 0; round < 6; round++) {
          Latency.interleavedRound(round, a, adaptiveMs, d, denseMs, 5);
        }
      }
      double aMs = BenchCommand.Stats.of(adaptiveMs).median();
      double dMs = BenchCommand.Stats.of(denseMs).median();
      Path figure = out.resolve("accuracy-vs-gflops.png");
      new AccuracyFlopsPlot("Saccade demo: embedded motion dataset")
          .point("AFNet", String.format(Locale.ROOT, "%s (kept %.2f)", adaptive.model().name(), adaptive.kept()), adaptive.gflops(), adaptive.top1())
          .point("dense baseline", dense.model().name(), dense.gflops(), dense.top1())
          .write(figure);
      System.out.println();
      System.out.printf(Locale.ROOT, "%-16s %8s %14s %16s %8s %12s %12s%n", "model", "top1", "GFLOPs/clip", "(compile-time)", "kept",
          "latency ms", "params");
      for (Outcome o : new Outcome[] {adaptive, dense}) {
        System.out.printf(
            Locale.ROOT, "%-16s %8.4f %14.5f %16.5f %8.2f %12.2f %,12d%n",
            o.model().name(), o.top1(), o.gflops(), o.model().summary().gflopsPerClip(), o.kept(), o == adaptive ? aMs : dMs, o.params());
      }
      System.out.println("figure: " + figure);
      System.out.printf(
          Locale.ROOT,
          "RESULT model=%s top1=%.4f gflops=%.5f latency_ms=%.2f kept=%.3f baseline=%s baseline_top1=%.4f baseline_gflops=%.5f"
              + " baseline_latency_ms=%.2f latency_ratio=%.3f%n",
          adaptive.model().name(), adaptive.top1(), adaptive.gflops(), aMs, adaptive.kept(),
          dense.model().name(), dense.top1(), dense.gflops(), dMs, aMs / dMs);
      return 0;
    } finally {
      FileTrees.delete(adaptive.weights());
      FileTrees.delete(dense.weights());
    }
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
      double kept = m.selectionRatios().values().stream().mapToDouble(Double::doubleValue).average().orElse(1);
      Path weights = Files.createTempDirectory("saccade-demo");
      trainer.session().save(weights.resolve("ckpt").toString());
      float[] clip;
      try (ClipLoader loader = ClipLoader.builder(val).batchSize(1).training(false).build();
          ClipLoader.Epoch e = loader.epoch(0)) {
        ClipBatch b = e.next();
        clip = b.data();
      }
      return new Outcome(model, m.top1(), m.gflopsPerClip(), kept, model.summary().parameters(), weights, clip);
    }
  }
}
