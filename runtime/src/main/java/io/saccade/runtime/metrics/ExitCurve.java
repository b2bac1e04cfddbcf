package io.saccade.runtime.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * AdaFocusV2's accuracy-versus-expected-GFLOPs curve of the conditional exit, as the paper reports it:
 * one {@link Point} per exit-fraction base p (thresholds fitted on calibration logits, applied to the
 * evaluation logits, see {@link ConditionalExit}), followed by the "all frames" point (p = +∞: every clip
 * runs every step), which is the plain evaluation.
 *
 * <pre>{@code
 * ExitCurve curve = ExitCurve.of(trainLogits, valLogits, valLabels, 27.0, ConditionalExit.officialBases());
 * System.out.print(curve.table());
 * for (ExitCurve.Point p : curve.points()) {
 *   System.out.println(p.line());     // EXIT p=0.50 top1=0.7012 gflops=6.2811 exits=…
 * }
 * double full = curve.allFrames().accuracy();
 * }</pre>
 *
 * @param points one per base in the order given, then the all-frames point last
 * @param calibrationClips clips the thresholds were fitted on
 * @param evaluationClips clips the points were measured on
 * @param clipGflops GFLOPs of one clip running every step
 */
public record ExitCurve(List<Point> points, int calibrationClips, int evaluationClips, double clipGflops) {

  public ExitCurve {
    points = List.copyOf(points);
    if (points.isEmpty()) {
      throw new IllegalArgumentException("an exit curve needs at least its all-frames point");
    }
  }

  /**
   * Sweeps {@code bases} (fit on {@code calibration}, evaluate on {@code evaluation}) and appends the
   * all-frames point.
   *
   * @param calibration {@code [clip][step][class]} logits, steps in processing order
   * @param evaluation the same layout, scored against {@code labels}
   * @param clipGflops the cost of one clip running all steps
   */
  public static ExitCurve of(
      float[][][] calibration, float[][][] evaluation, int[] labels, double clipGflops, double[] bases) {
    Objects.requireNonNull(bases, "bases");
    for (double p : bases) {
      if (!(p > 0) || Double.isInfinite(p)) {
        throw new IllegalArgumentException("exit-fraction bases must be finite and > 0, got " + Arrays.toString(bases));
      }
    }
    List<ConditionalExit.Result> sweep = ConditionalExit.sweep(calibration, evaluation, labels, clipGflops, bases);
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < bases.length; i++) {
      points.add(Point.of(bases[i], sweep.get(i)));
    }
    int steps = evaluation[0].length;
    double[] never = new double[steps];
    Arrays.fill(never, Double.POSITIVE_INFINITY);
    never[steps - 1] = Double.NEGATIVE_INFINITY;
    points.add(
        Point.of(
            Double.POSITIVE_INFINITY, new ConditionalExit.Thresholds(never).evaluate(evaluation, labels, clipGflops)));
    return new ExitCurve(points, calibration.length, evaluation.length, clipGflops);
  }

  /** The last point: every clip runs every step (p = +∞). */
  public Point allFrames() {
    return points.get(points.size() - 1);
  }

  /** The points of the sweep, without the all-frames point. */
  public List<Point> sweep() {
    return points.subList(0, points.size() - 1);
  }

  /** The point of the lowest expected GFLOPs (the first of equals), the all-frames point if none is cheaper. */
  public Point cheapest() {
    Point cheapest = allFrames();
    for (Point p : sweep()) {
      if (p.expectedGflops() < cheapest.expectedGflops()) {
        cheapest = p;
      }
    }
    return cheapest;
  }

  /** {@link #table()} followed by every point's machine-readable {@link Point#line()}, one per line. */
  public String report() {
    StringBuilder sb = new StringBuilder(table());
    points.forEach(p -> sb.append(p.line()).append(System.lineSeparator()));
    return sb.toString();
  }

  /** A readable table: one row per point (p, top-1, expected GFLOPs, its share of all frames, exits per step). */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "conditional exit: thresholds fitted on %d clips, evaluated on %d; %.4f GFLOPs/clip with all frames%n",
            calibrationClips,
            evaluationClips,
            clipGflops));
    sb.append(String.format(Locale.ROOT, "  %6s  %7s  %9s  %6s  %s%n", "p", "top1", "GFLOPs", "cost", "exits per step"));
    for (Point p : points) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %6s  %7.4f  %9.4f  %5.1f%%  %s%n",
              p.label(),
              p.accuracy(),
              p.expectedGflops(),
              clipGflops > 0 ? 100 * p.expectedGflops() / clipGflops : 100.0,
              Arrays.toString(p.exitsPerStep())));
    }
    return sb.toString();
  }

  /**
   * One operating point.
   *
   * @param p the exit-fraction base ({@code +∞} for all frames)
   * @param accuracy top-1 of the exit steps' predictions
   * @param expectedGflops mean GFLOPs per clip
   * @param exitsPerStep clips that exited after each step
   * @param thresholds the per-step thresholds used
   */
  public record Point(double p, double accuracy, double expectedGflops, int[] exitsPerStep, double[] thresholds) {
    public Point {
      exitsPerStep = exitsPerStep.clone();
      thresholds = thresholds.clone();
    }

    static Point of(double p, ConditionalExit.Result r) {
      return new Point(p, r.accuracy(), r.expectedGflops(), r.exitsPerStep(), r.thresholds().values());
    }

    @Override
    public int[] exitsPerStep() {
      return exitsPerStep.clone();
    }

    @Override
    public double[] thresholds() {
      return thresholds.clone();
    }

    /** {@code "0.50"}, or {@code "all"} for the all-frames point. */
    public String label() {
      return Double.isInfinite(p) ? "all" : String.format(Locale.ROOT, "%.2f", p);
    }

    /** The machine-readable line {@code EXIT p=0.50 top1=0.7012 gflops=6.2811 exits=3,1,0,…}. */
    public String line() {
      StringBuilder exits = new StringBuilder();
      for (int i = 0; i < exitsPerStep.length; i++) {
        exits.append(i == 0 ? "" : ",").append(exitsPerStep[i]);
      }
      return String.format(
          Locale.ROOT, "EXIT p=%s top1=%.4f gflops=%.4f exits=%s", label(), accuracy, expectedGflops, exits);
    }
  }
}
