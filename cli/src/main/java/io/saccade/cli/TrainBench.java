package io.saccade.cli;

import io.saccade.runtime.blocks.Navigation;
import io.saccade.runtime.data.Clip;
import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorflow.op.Ops;

/**
 * {@code saccade bench --train}: training step time of an adaptive network and a dense baseline, each a
 * {@link Trainer} stepping on one fixed synthetic batch (Gaussian clips), in one process and in
 * interleaved rounds. AFNet trains in the official masked form (every frame computed, the input
 * multiplied by the mask), so the kept fraction changes the numbers little; it is steered all the same.
 */
final class TrainBench {

  private TrainBench() {}

  static int run(VideoModel adaptive, VideoModel dense, List<Integer> batches, String kept, int threads, int warmup,
      int iterations, int rounds) {
    if (threads > 0) {
      Latency.pinThreads(threads);
    }
    System.out.printf(Locale.ROOT, "training steps, %s vs %s: %d timed steps each in %d interleaved rounds after %d warm-up steps%n",
        adaptive.name(), dense.name(), iterations, rounds, warmup);
    for (int b : batches) {
      try (Trainer a = Trainer.builder(adaptive).batchSize(b).seed(1).build();
          Trainer d = Trainer.builder(dense).batchSize(b).seed(1).build()) {
        ClipBatch clips = synthetic(adaptive, b);
        for (double k : Latency.ratios(kept)) {
          int steered =
              Navigation.setDecisions(a.session(), Ops.create(a.graph()), a.store(), Latency.keptFrames(adaptive.frames(), k), 2e4f);
          time(a, clips, warmup);
          time(d, clips, warmup);
          List<Double> ta = new ArrayList<>();
          List<Double> td = new ArrayList<>();
          int perRound = Math.max(1, iterations / rounds);
          for (int r = 0; r < rounds; r++) {
            boolean adaptiveFirst = r % 2 == 0;
            for (int i = 0; i < 2; i++) {
              boolean isA = (i == 0) == adaptiveFirst;
              for (double t : time(isA ? a : d, clips, perRound)) {
                (isA ? ta : td).add(t);
              }
            }
          }
          double ca = b * 1000 / BenchCommand.Stats.of(ta).median();
          double cd = b * 1000 / BenchCommand.Stats.of(td).median();
          System.out.printf(Locale.ROOT, "BENCH_TRAIN pair=%s/%s kept=%.2f threads=%d batch=%d clips_per_s=%.4f baseline_clips_per_s=%.4f ratio=%.4f%n",
              adaptive.name(), dense.name(), steered > 0 ? k : 1.0, threads, b, ca, cd, ca / cd);
          if (steered == 0) {
            break; // no navigation: one point
          }
        }
      }
    }
    return 0;
  }

  /** Milliseconds of {@code steps} training steps on {@code clips}. */
  private static double[] time(Trainer t, ClipBatch clips, int steps) {
    double[] ms = new double[steps];
    for (int i = 0; i < steps; i++) {
      long t0 = System.nanoTime();
      t.step(clips, 1e-4f, 1f, 1f, t.step() + i);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return ms;
  }

  /** {@code n} clips of Gaussian noise with labels 0, 1, 2, … (mod the classes). */
  static ClipBatch synthetic(VideoModel model, int n) {
    Random r = new Random(7);
    int s = model.inputSize();
    List<Clip> clips = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] data = new float[model.frames() * s * s * Clip.CHANNELS];
      for (int j = 0; j < data.length; j++) {
        data[j] = (float) r.nextGaussian();
      }
      clips.add(new Clip(data, model.frames(), s, s, i % model.classes(), "synthetic-" + i));
    }
    return ClipBatch.of(clips);
  }
}
