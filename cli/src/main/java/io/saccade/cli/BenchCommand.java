package io.saccade.cli;

import io.saccade.runtime.model.VideoModel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tensorflow.TensorFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code saccade bench}: inference latency and dynamic GFLOPs of a network at several kept-frame
 * fractions, on the frame-skipping path next to the official masked path; with {@code --baseline}, side
 * by side with a dense network in the same process, in interleaved rounds.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure inference latency (median ms per batch) and dynamic GFLOPs at several kept-frame fractions.",
      "With --baseline: the adaptive network and a dense baseline in one process, interleaved rounds, at batch 1",
      "and the throughput batch; one line per point:",
      "BENCH pair=A/D kept=F threads=N batch=B ms=… baseline_ms=… ratio_latency=… ratio_gflops=… masked_ms=… spread_ms=… baseline_spread_ms=…",
      "A network with a conditional exit (AdaFocusV2): kept=F is the fraction of frames processed before it exits",
      "(exit=K: after K frames, the graph really stops there; exit=none: every frame, the batched graph)."
    })
final class BenchCommand implements Callable<Integer> {

  @Option(names = {"-n", "--network"}, required = true, description = "Network name (the adaptive one of a pair).")
  String network;

  @Option(names = "--baseline", description = "A dense network to compare with, e.g. TsnResNet50.")
  String baseline;

  @Option(names = "--batch", defaultValue = "1", description = "Clips per run (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--throughput-batch", defaultValue = "8", description = "With --baseline, also this batch; 0 for none (default ${DEFAULT-VALUE}).")
  int throughputBatch;

  @Option(names = {"--kept", "--ratios"}, defaultValue = "1,0.5,0.25", description = "Kept-frame fractions to steer the navigation to (default ${DEFAULT-VALUE}).")
  String kept;

  @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op and inter-op threads; 0 = one per core (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--warmup", defaultValue = "5", description = "Untimed runs first (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--iterations", defaultValue = "20", description = "Timed runs per network and point (default ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--rounds", defaultValue = "5", description = "With --baseline: rounds the timed runs are split into, alternating the networks (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--freeze", negatable = true, defaultValue = "false", description = "Run frozen copies of the graphs (variables as constants, so TensorFlow folds what depends on weights alone, e.g. AFNet's f(0)) (default ${DEFAULT-VALUE}).")
  boolean freeze;

  @Option(names = "--train", description = {
      "With --baseline: time training steps instead of inference (Trainer.step on a fixed synthetic batch, both networks",
      "in one process, interleaved rounds); one line per point:",
      "BENCH_TRAIN pair=A/D kept=F threads=N batch=B clips_per_s=… baseline_clips_per_s=… ratio=… (ratio = clips_per_s / baseline_clips_per_s)"})
  boolean train;

  @Option(names = "--profile", defaultValue = "0", description = "Instead of timing: trace this many runs per network and point and print where the time goes, PROFILE lines by op type and by part (default ${DEFAULT-VALUE}: time).")
  int profile;

  @Option(names = "--profile-nodes", description = "With --profile: list every node of this part (focal, ample, navigation, gather, scatter, fusion, …) of the first traced run.")
  String profileNodes;

  @Option(names = "--profile-top", defaultValue = "15", description = "With --profile: op types listed per run (default ${DEFAULT-VALUE}).")
  int profileTop;

  @Override
  public Integer call() {
    if (batch < 1 || warmup < 0 || iterations < 1 || rounds < 1 || threads < 0 || throughputBatch < 0) {
      throw new IllegalArgumentException("need --batch >= 1, --warmup >= 0, --iterations >= 1, --rounds >= 1, --threads >= 0, --throughput-batch >= 0");
    }
    Latency.ratios(kept); // before the (slow) graph build
    double jvmMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    long t0 = System.nanoTime();
    String tf = TensorFlow.version();
    double nativeMillis = (System.nanoTime() - t0) / 1e6;
    VideoModel model = NetworkRegistry.find(network);
    System.out.printf(Locale.ROOT, "TensorFlow %s; JVM start to command %.0f ms, native load %.0f ms; threads %s%n",
        tf, jvmMillis, nativeMillis, threads == 0 ? "one per core" : threads);
    if (baseline != null) {
      return pair(model, NetworkRegistry.find(baseline));
    }
    if (train) {
      throw new IllegalArgumentException("--train compares a pair: give --baseline");
    }
    try (Latency bench = new Latency(model, batch, null, null, threads, freeze)) {
      System.out.printf(Locale.ROOT, "%s: %d clips × %d frames × %d px, median of %d runs (graph built in %.0f ms)%n",
          model.name(), batch, model.frames(), model.inputSize(), iterations, bench.buildMillis());
      if (!bench.adaptive()) {
        Latency.Measurement m = bench.measure(true, warmup, iterations);
        System.out.printf(Locale.ROOT, "BENCH model=%s ratio=1 ms=%.2f gflops=%.4f%n", model.name(), m.medianMillis(), m.gflopsPerClip());
        return 0;
      }
      for (double r : Latency.ratios(kept)) {
        bench.steer(r);
        Latency.Measurement skip = bench.measure(true, warmup, iterations);
        Latency.Measurement masked = bench.measure(false, warmup, iterations);
        System.out.printf(
            Locale.ROOT,
            "BENCH model=%s ratio=%.2f skip_ms=%.2f masked_ms=%.2f speedup=%.2f gflops=%.4f%n",
            model.name(), r, skip.medianMillis(), masked.medianMillis(), masked.medianMillis() / skip.medianMillis(), skip.gflopsPerClip());
      }
    }
    return 0;
  }

  /** The statistics of a set of timed runs: median, and the spread from the 10th to the 90th percentile. */
  record Stats(double median, double spread) {
    static Stats of(List<Double> samples) {
      double[] s = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Stats(percentile(s, 0.5), percentile(s, 0.9) - percentile(s, 0.1));
    }

    /** Linear interpolation between the closest ranks. */
    static double percentile(double[] sorted, double q) {
      double pos = q * (sorted.length - 1);
      int lo = (int) Math.floor(pos);
      int hi = Math.min(sorted.length - 1, lo + 1);
      return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
  }

  private int pair(VideoModel adaptive, VideoModel dense) {
    if (adaptive.frames() != dense.frames() || adaptive.inputSize() != dense.inputSize()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "a pair needs the same clips: %s takes %d frames of %d px, %s %d of %d px", adaptive.name(), adaptive.frames(),
          adaptive.inputSize(), dense.name(), dense.frames(), dense.inputSize()));
    }
    List<Integer> batches = new ArrayList<>(List.of(batch));
    if (throughputBatch > 0 && throughputBatch != batch) {
      batches.add(throughputBatch);
    }
    if (profile > 0) {
      return profile(adaptive, dense, batches);
    }
    if (train) {
      return TrainBench.run(adaptive, dense, batches, kept, threads, warmup, iterations, rounds);
    }
    System.out.printf(Locale.ROOT, "%s vs %s: %d frames × %d px; per point %d timed runs each in %d interleaved rounds after %d warm-up runs%n",
        adaptive.name(), dense.name(), adaptive.frames(), adaptive.inputSize(), iterations, rounds, warmup);
    System.out.printf(Locale.ROOT, "%6s %6s %12s %12s %12s %9s %9s%n", "batch", "kept", "adaptive ms", "masked ms", "dense ms",
        "latency×", "GFLOPs×");
    for (int b : batches) {
      try (Latency a = new Latency(adaptive, b, null, null, threads, freeze);
          Latency d = new Latency(dense, b, null, null, threads, freeze)) {
        System.out.printf(Locale.ROOT, "batch %d: graphs built in %.0f ms (%s) and %.0f ms (%s)%n", b, a.buildMillis(), adaptive.name(),
            d.buildMillis(), dense.name());
        d.times(true, warmup, 1);
        double denseGflops = d.lastGflops();
        // Points: kept fractions for navigation; for a conditional exit, no exit (the batched graph) and an
        // exit after round(f·T) of the T frames for each f.
        List<Double> ks = a.adaptive() || a.exits() ? Latency.ratios(kept) : List.of(1.0);
        List<Integer> exitSteps = new ArrayList<>();
        if (a.exits()) {
          exitSteps.add(0);
          for (double f : ks) {
            exitSteps.add(Math.max(1, (int) Math.round(f * adaptive.frames())));
          }
          ks = new ArrayList<>();
          for (int e : exitSteps) {
            ks.add(e == 0 ? 1.0 : (double) e / adaptive.frames());
          }
        }
        for (int point = 0; point < ks.size(); point++) {
          double k = ks.get(point);
          String exit = "";
          if (a.adaptive()) {
            a.steer(k);
          }
          if (a.exits()) {
            a.exitAfter(exitSteps.get(point));
            exit = " exit=" + (exitSteps.get(point) == 0 ? "none" : exitSteps.get(point));
          }
          a.times(true, warmup, 1);
          if (a.adaptive()) {
            a.times(false, warmup, 1);
          }
          List<Double> skip = new ArrayList<>();
          List<Double> masked = new ArrayList<>();
          List<Double> base = new ArrayList<>();
          int perRound = Math.max(1, iterations / rounds);
          for (int r = 0; r < rounds; r++) {
            Latency.interleavedRound(r, a, skip, d, base, perRound);
            if (a.adaptive()) {
              add(masked, a.times(false, 0, perRound));
            }
          }
          a.times(true, 0, 1);
          double gflops = a.lastGflops();
          Stats sa = Stats.of(skip);
          Stats sd = Stats.of(base);
          Stats sm = masked.isEmpty() ? null : Stats.of(masked);
          System.out.printf(Locale.ROOT, "%6d %6.2f %12.2f %12s %12.2f %9.3f %9.3f%s%n", b, k, sa.median(),
              sm == null ? "-" : String.format(Locale.ROOT, "%.2f", sm.median()), sd.median(), sa.median() / sd.median(),
              gflops / denseGflops, exit);
          System.out.printf(Locale.ROOT,
              "BENCH pair=%s/%s kept=%.2f threads=%d batch=%d ms=%.3f baseline_ms=%.3f ratio_latency=%.4f ratio_gflops=%.4f"
                  + " masked_ms=%s spread_ms=%.3f baseline_spread_ms=%.3f gflops=%.5f baseline_gflops=%.5f%s%n",
              adaptive.name(), dense.name(), k, threads, b, sa.median(), sd.median(), sa.median() / sd.median(), gflops / denseGflops,
              sm == null ? "n/a" : String.format(Locale.ROOT, "%.3f", sm.median()), sa.spread(), sd.spread(), gflops, denseGflops,
              exit);
        }
      }
    }
    return 0;
  }

  /** {@code --profile}: traced runs of the dense network and of both paths of the adaptive one, per batch and point. */
  private int profile(VideoModel adaptive, VideoModel dense, List<Integer> batches) {
    for (int b : batches) {
      try (Latency a = new Latency(adaptive, b, null, null, threads, freeze);
          Latency d = new Latency(dense, b, null, null, threads, freeze)) {
        d.times(true, warmup, 1);
        OpProfile pd = new OpProfile(profileNodes);
        for (int i = 0; i < profile; i++) {
          pd.add(d.traced(true));
        }
        pd.print(String.format(Locale.ROOT, "net=%s batch=%d threads=%d", dense.name(), b, threads), profileTop);
        if (a.exits()) {
          List<Integer> steps = new ArrayList<>(List.of(0));
          for (double f : Latency.ratios(kept)) {
            steps.add(Math.max(1, (int) Math.round(f * adaptive.frames())));
          }
          for (int e : steps) {
            a.exitAfter(e);
            a.times(true, warmup, 1);
            OpProfile pa = new OpProfile(profileNodes);
            for (int i = 0; i < profile; i++) {
              pa.add(a.traced(true));
            }
            pa.print(String.format(Locale.ROOT, "net=%s exit=%s batch=%d threads=%d", adaptive.name(), e == 0 ? "none" : e, b,
                threads), profileTop);
          }
          continue;
        }
        for (double k : a.adaptive() ? Latency.ratios(kept) : List.of(1.0)) {
          if (a.adaptive()) {
            a.steer(k);
          }
          for (boolean skip : a.adaptive() ? List.of(true, false) : List.of(true)) {
            a.times(skip, warmup, 1);
            OpProfile pa = new OpProfile(profileNodes);
            for (int i = 0; i < profile; i++) {
              pa.add(a.traced(skip));
            }
            pa.print(String.format(Locale.ROOT, "net=%s path=%s kept=%.2f batch=%d threads=%d", adaptive.name(),
                skip ? "skip" : "masked", k, b, threads), profileTop);
          }
        }
      }
    }
    return 0;
  }

  private static void add(List<Double> to, double[] times) {
    for (double t : times) {
      to.add(t);
    }
  }
}
