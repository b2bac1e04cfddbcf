package io.saccade.runtime.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * AdaFocusV2's conditional exit, evaluated offline on per-step logits (plain Java, no graph): a clip
 * stops after step k as soon as its confidence — the largest raw logit of step k, the official
 * {@code confidence} criterion — reaches the threshold of step k.
 *
 * <p>Thresholds are fitted MSDNet-style on calibration logits (the official code uses the training set):
 * for exit fractions {@code q_k ∝ p^k} (k = 1…K), step k's threshold lets exactly {@code ⌊n·q_k⌋} of
 * the calibration clips still running exit there — the most confident ones; the last step takes every
 * clip left. Evaluating a clip that exits after step k costs {@code k/K} of the clip's GFLOPs (frames are
 * processed one by one), so the expected cost is {@code Σ_k (exits_k / n)·(k/K)·clipGflops}.
 *
 * <pre>{@code
 * // logits[clip][step][class], from the inference build's frameLogits (steps in processing order)
 * ConditionalExit.Thresholds th = ConditionalExit.fit(trainLogits, ConditionalExit.exitFractions(16, 1.5));
 * ConditionalExit.Result r = th.evaluate(valLogits, valLabels, 27.0);   // accuracy, expected GFLOPs
 * List<ConditionalExit.Result> curve = ConditionalExit.sweep(trainLogits, valLogits, valLabels, 27.0,
 *     ConditionalExit.officialBases());
 * }</pre>
 */
public final class ConditionalExit {

  private ConditionalExit() {}

  /**
   * Exit fractions {@code q_k = p^k / Σ_j p^j} for k = 1…steps.
   *
   * @param p &gt; 0; p &lt; 1 exits early, p &gt; 1 late
   */
  public static double[] exitFractions(int steps, double p) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (!(p > 0) || Double.isInfinite(p)) {
      throw new IllegalArgumentException("the exit-fraction base p must be finite and > 0, got " + p);
    }
    double[] q = new double[steps];
    double sum = 0;
    for (int k = 0; k < steps; k++) {
      q[k] = Math.pow(p, k + 1);
      sum += q[k];
    }
    for (int k = 0; k < steps; k++) {
      q[k] /= sum;
    }
    return q;
  }

  /** The official sweep's bases p = 0.5, 0.6, …, 3.9. */
  public static double[] officialBases() {
    double[] p = new double[35];
    for (int i = 0; i < p.length; i++) {
      p[i] = (5 + i) / 10.0;
    }
    return p;
  }

  /** The official confidence of one step: its largest raw logit. */
  public static double confidence(float[] logits) {
    if (logits.length == 0) {
      throw new IllegalArgumentException("a step needs at least one logit");
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    return max;
  }

  /**
   * Fits one threshold per step on {@code logits[clip][step][class]} for the exit fractions {@code q}
   * (normalised here; one per step). Step k takes the {@code ⌊n·q_k⌋} most confident clips not yet exited
   * and its threshold is the lowest confidence among them ({@code +∞} when it takes none); the last
   * step's is {@code −∞}.
   */
  public static Thresholds fit(float[][][] logits, double[] q) {
    checkLogits("calibration", logits);
    return fit(confidences(logits), q);
  }

  /** {@link #fit(float[][][], double[])} on the clips' per-step {@link #confidence confidences}. */
  private static Thresholds fit(double[][] confidence, double[] q) {
    int steps = confidence[0].length;
    Objects.requireNonNull(q, "q");
    if (q.length != steps) {
      throw new IllegalArgumentException("need one exit fraction per step (" + steps + "), got " + q.length);
    }
    double sum = 0;
    for (double v : q) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("exit fractions must be finite and >= 0, got " + Arrays.toString(q));
      }
      sum += v;
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("exit fractions must not all be 0");
    }
    int n = confidence.length;
    boolean[] exited = new boolean[n];
    double[] thresholds = new double[steps];
    for (int k = 0; k < steps - 1; k++) {
      thresholds[k] = Double.POSITIVE_INFINITY;
      int take = (int) Math.floor(n * q[k] / sum);
      if (take <= 0) {
        continue;
      }
      double[] score = new double[n];
      for (int i = 0; i < n; i++) {
        score[i] = confidence[i][k];
      }
      // Most confident first; ties by clip index, so the fit is deterministic.
      List<Integer> remaining = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (!exited[i]) {
          remaining.add(i);
        }
      }
      remaining.sort(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i));
      take = Math.min(take, remaining.size());
      if (take == 0) {
        continue;
      }
      for (int j = 0; j < take; j++) {
        exited[remaining.get(j)] = true;
      }
      thresholds[k] = score[remaining.get(take - 1)];
    }
    thresholds[steps - 1] = Double.NEGATIVE_INFINITY;
    return new Thresholds(thresholds);
  }

  /** Fits on {@code calibration} and evaluates on {@code evaluation} for each base p of {@code bases}. */
  public static List<Result> sweep(
      float[][][] calibration, float[][][] evaluation, int[] labels, double clipGflops, double[] bases) {
    int steps = checkLogits("calibration", calibration);
    checkLogits("evaluation", evaluation);
    // confidences do not depend on p: once per clip and step, not once per base
    double[][] calibrated = confidences(calibration);
    double[][] evaluated = confidences(evaluation);
    List<Result> out = new ArrayList<>();
    for (double p : bases) {
      out.add(fit(calibrated, exitFractions(steps, p)).evaluate(evaluation, evaluated, labels, clipGflops));
    }
    return out;
  }

  /**
   * Per-step thresholds: a clip exits at the first step whose confidence is at least the step's threshold.
   *
   * @param values one per step; the last is {@code −∞} when fitted
   */
  public record Thresholds(double[] values) {
    public Thresholds {
      values = values.clone();
      if (values.length == 0) {
        throw new IllegalArgumentException("need at least one threshold");
      }
    }

    @Override
    public double[] values() {
      return values.clone();
    }

    /** The step (0-based) at which a clip with these per-step logits exits; the last step if none qualifies. */
    public int exitStep(float[][] clipLogits) {
      return exitStep(confidences(new float[][][] {clipLogits})[0]);
    }

    private int exitStep(double[] confidence) {
      for (int k = 0; k < confidence.length; k++) {
        if (confidence[k] >= values[k]) {
          return k;
        }
      }
      return confidence.length - 1;
    }

    /**
     * Exits every clip of {@code logits[clip][step][class]} and scores the exit step's prediction.
     *
     * @param labels one class index per clip
     * @param clipGflops the cost of all steps of one clip; exiting after step k (1-based) costs k/K of it
     */
    public Result evaluate(float[][][] logits, int[] labels, double clipGflops) {
      checkLogits("evaluation", logits);
      return evaluate(logits, confidences(logits), labels, clipGflops);
    }

    /** {@link #evaluate(float[][][], int[], double)} with the clips' per-step confidences already computed. */
    private Result evaluate(float[][][] logits, double[][] confidence, int[] labels, double clipGflops) {
      int steps = logits[0].length;
      if (steps != values.length) {
        throw new IllegalArgumentException(
            "logits have " + steps + " steps but there are " + values.length + " thresholds");
      }
      Objects.requireNonNull(labels, "labels");
      if (labels.length != logits.length) {
        throw new IllegalArgumentException("need one label per clip (" + logits.length + "), got " + labels.length);
      }
      if (!(clipGflops >= 0) || Double.isInfinite(clipGflops)) {
        throw new IllegalArgumentException("clipGflops must be finite and >= 0, got " + clipGflops);
      }
      int[] exits = new int[steps];
      int correct = 0;
      double gflops = 0;
      for (int i = 0; i < logits.length; i++) {
        int k = exitStep(confidence[i]);
        exits[k]++;
        gflops += clipGflops * (k + 1) / steps;
        if (argMax(logits[i][k]) == labels[i]) {
          correct++;
        }
      }
      return new Result(this, (double) correct / logits.length, gflops / logits.length, exits);
    }
  }

  /**
   * One operating point.
   *
   * @param thresholds what produced it
   * @param accuracy top-1 of the exit steps' predictions, in [0, 1]
   * @param expectedGflops mean GFLOPs per clip
   * @param exitsPerStep how many clips exited after each step
   */
  public record Result(Thresholds thresholds, double accuracy, double expectedGflops, int[] exitsPerStep) {
    public Result {
      exitsPerStep = exitsPerStep.clone();
    }

    @Override
    public int[] exitsPerStep() {
      return exitsPerStep.clone();
    }
  }

  /** {@link #confidence} of every clip's every step: {@code [clip][step]}. */
  private static double[][] confidences(float[][][] logits) {
    double[][] c = new double[logits.length][];
    for (int i = 0; i < logits.length; i++) {
      c[i] = new double[logits[i].length];
      for (int k = 0; k < logits[i].length; k++) {
        c[i][k] = confidence(logits[i][k]);
      }
    }
    return c;
  }

  private static int argMax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int checkLogits(String what, float[][][] logits) {
    Objects.requireNonNull(logits, what + " logits");
    if (logits.length == 0 || logits[0].length == 0) {
      throw new IllegalArgumentException(what + " logits need at least one clip and one step");
    }
    int steps = logits[0].length;
    for (int i = 0; i < logits.length; i++) {
      if (logits[i].length != steps) {
        throw new IllegalArgumentException(
            what + " clip " + i + " has " + logits[i].length + " steps, clip 0 has " + steps);
      }
    }
    return steps;
  }
}
