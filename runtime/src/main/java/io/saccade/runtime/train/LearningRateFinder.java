package io.saccade.runtime.train;

import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.data.ClipLoader;
import io.saccade.runtime.data.VideoDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The learning-rate range test: one optimizer step per batch at learning rates rising exponentially from
 * {@code from} to {@code to}, recording the loss (smoothed by an exponential moving average, bias-corrected),
 * until the loss runs away (4× its best). The suggestion is the rate where the smoothed loss falls fastest
 * against log(rate) — high enough to learn quickly, below where training becomes unstable.
 *
 * <p>It trains the trainer's variables: use a fresh {@link Trainer} for the real run.
 *
 * <pre>{@code
 * try (Trainer probe = Trainer.builder(model).trainData(train).build()) {
 *   LearningRateFinder.Result r = probe.findLearningRate(1e-6, 1, 100);
 *   System.out.println(r.report());          // a table, then "suggested learning rate 0.0012"
 * }
 * }</pre>
 */
public final class LearningRateFinder {
  private static final double SMOOTHING = 0.9;
  private static final double RUNAWAY = 4;

  /** One step of the test: the rate, the loss of that step and its smoothed value. */
  public record Point(double learningRate, double loss, double smoothedLoss) {}

  /** The curve and the suggested rate (NaN when the curve never fell). */
  public record Result(List<Point> points, double suggested) {
    /** A table of the curve, then the suggestion. */
    public String report() {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%14s %10s %10s%n", "learning rate", "loss", "smoothed"));
      for (Point p : points) {
        b.append(String.format(Locale.ROOT, "%14.3g %10.4f %10.4f%n", p.learningRate(), p.loss(), p.smoothedLoss()));
      }
      b.append(Double.isNaN(suggested)
          ? "no suggestion: the loss never fell; widen the range or check the data\n"
          : String.format(Locale.ROOT, "suggested learning rate %.3g%n", suggested));
      return b.toString();
    }
  }

  private LearningRateFinder() {}

  static Result run(Trainer trainer, VideoDataset data, int batchSize, int threads, long seed, float temperature,
      double from, double to, int steps) {
    if (!(from > 0) || !(to > from) || Double.isInfinite(to)) {
      throw new IllegalArgumentException("learning rates must satisfy 0 < from < to < infinity, got " + from + " and " + to);
    }
    if (steps < 5) {
      throw new IllegalArgumentException("the range test needs at least 5 steps, got " + steps);
    }
    List<Point> points = new ArrayList<>();
    double average = 0;
    double best = Double.POSITIVE_INFINITY;
    try (ClipLoader loader = ClipLoader.builder(data).batchSize(batchSize).threads(threads).training(true).seed(seed).build()) {
      int step = 0;
      for (int epoch = 0; step < steps; epoch++) {
        try (ClipLoader.Epoch batches = loader.epoch(epoch)) {
          if (!batches.hasNext()) {
            throw new IllegalArgumentException("the training set has fewer clips than one batch of " + batchSize);
          }
          while (batches.hasNext() && step < steps) {
            ClipBatch batch = batches.next();
            double lr = from * Math.pow(to / from, step / (double) (steps - 1));
            double loss = trainer.step(batch, (float) lr, temperature, 1f, step).loss();
            step++;
            if (!Double.isFinite(loss)) {
              return new Result(List.copyOf(points), suggest(points));
            }
            average = SMOOTHING * average + (1 - SMOOTHING) * loss;
            double smoothed = average / (1 - Math.pow(SMOOTHING, step));
            points.add(new Point(lr, loss, smoothed));
            best = Math.min(best, smoothed);
            if (step > 5 && smoothed > RUNAWAY * best) {
              return new Result(List.copyOf(points), suggest(points));
            }
          }
        }
      }
    }
    return new Result(List.copyOf(points), suggest(points));
  }

  /** The rate of steepest descent of the smoothed loss per log(rate), over a 5-point span; NaN if it never falls. */
  static double suggest(List<Point> points) {
    double steepest = 0;
    double at = Double.NaN;
    int span = 5;
    for (int i = 0; i + span < points.size(); i++) {
      Point a = points.get(i);
      Point b = points.get(i + span);
      double slope = (b.smoothedLoss() - a.smoothedLoss()) / (Math.log(b.learningRate()) - Math.log(a.learningRate()));
      if (slope < steepest) {
        steepest = slope;
        at = Math.sqrt(a.learningRate() * b.learningRate());
      }
    }
    return at;
  }
}
