package io.saccade.cli;

import io.saccade.runtime.model.VideoModel;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code saccade bench}: inference latency and dynamic GFLOPs of a network at several kept-frame
 * ratios, on the frame-skipping path next to the official masked path.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure inference latency (median ms per batch) and GFLOPs at several kept-frame ratios.")
final class BenchCommand implements Callable<Integer> {

  @Option(names = {"-n", "--network"}, required = true, description = "Network name.")
  String network;

  @Option(names = "--batch", defaultValue = "1", description = "Clips per run (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--ratios", defaultValue = "1,0.5,0.25", description = "Kept-frame ratios to steer the navigation to (default ${DEFAULT-VALUE}).")
  String ratios;

  @Option(names = "--warmup", defaultValue = "5", description = "Untimed runs first (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--iterations", defaultValue = "20", description = "Timed runs (default ${DEFAULT-VALUE}).")
  int iterations;

  @Override
  public Integer call() {
    if (batch < 1 || warmup < 0 || iterations < 1) {
      throw new IllegalArgumentException("need --batch >= 1, --warmup >= 0 and --iterations >= 1");
    }
    VideoModel model = NetworkRegistry.find(network);
    try (Latency bench = new Latency(model, batch, null, null)) {
      System.out.printf(Locale.ROOT, "%s: %d clips × %d frames × %d px, median of %d runs%n",
          model.name(), batch, model.frames(), model.inputSize(), iterations);
      if (!bench.adaptive()) {
        Latency.Measurement m = bench.measure(true, warmup, iterations);
        System.out.printf(Locale.ROOT, "BENCH model=%s ratio=1 ms=%.2f gflops=%.4f%n", model.name(), m.medianMillis(), m.gflopsPerClip());
        return 0;
      }
      for (double r : bench.ratios(ratios)) {
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
}
