package io.saccade.runtime.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Accumulates a classifier's predictions over an evaluation: top-1 and top-5 accuracy, per-class
 * accuracy, the confusion matrix, the mean selection ratio of each navigation layer and the mean
 * dynamic GFLOPs per clip actually spent.
 *
 * <pre>{@code
 * ClassificationMetrics m = new ClassificationMetrics(classes);
 * m.add(logits, labels, gflopsPerClip, Map.of("stage1/nav0", ratios));
 * System.out.println(m.report(labelNames));
 * }</pre>
 */
public final class ClassificationMetrics {

  private final int classes;
  private final long[][] confusion;
  private long count;
  private long top1;
  private long top5;
  private double gflops;
  private final Map<String, double[]> selection = new LinkedHashMap<>();

  /** An empty accumulator for {@code classes} classes. */
  public ClassificationMetrics(int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, got " + classes);
    }
    this.classes = classes;
    this.confusion = new long[classes][classes];
  }

  /**
   * Adds a batch.
   *
   * @param logits {@code [N·classes]} row-major clip logits
   * @param labels {@code [N]} true classes
   * @param gflopsPerClip {@code [N]} dynamic GFLOPs, or null
   * @param selectionRatios per navigation layer, the {@code [N]} fraction of frames each clip kept (may be empty)
   */
  public synchronized void add(float[] logits, int[] labels, float[] gflopsPerClip, Map<String, float[]> selectionRatios) {
    int n = labels.length;
    if (logits.length != n * classes) {
      throw new IllegalArgumentException(
          "logits have " + logits.length + " values, expected " + n + " clips × " + classes + " classes");
    }
    for (int i = 0; i < n; i++) {
      int label = labels[i];
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("label " + label + " of clip " + i + " is outside [0, " + classes + ")");
      }
      int rank = 0;
      float own = logits[i * classes + label];
      int best = 0;
      for (int c = 0; c < classes; c++) {
        float v = logits[i * classes + c];
        if (v > own || (v == own && c < label)) {
          rank++;
        }
        if (v > logits[i * classes + best]) {
          best = c;
        }
      }
      confusion[label][best]++;
      if (rank == 0) {
        top1++;
      }
      if (rank < 5) {
        top5++;
      }
      if (gflopsPerClip != null) {
        gflops += gflopsPerClip[i];
      }
    }
    count += n;
    for (Map.Entry<String, float[]> e : selectionRatios.entrySet()) {
      double[] acc = selection.computeIfAbsent(e.getKey(), k -> new double[1]);
      for (float r : e.getValue()) {
        acc[0] += r;
      }
    }
  }

  /** Clips seen. */
  public synchronized long count() {
    return count;
  }

  /** Fraction of clips whose top logit is the true class. */
  public synchronized double top1() {
    return count == 0 ? 0 : (double) top1 / count;
  }

  /** Fraction of clips whose true class is among the five top logits. */
  public synchronized double top5() {
    return count == 0 ? 0 : (double) top5 / count;
  }

  /** Mean dynamic GFLOPs per clip. */
  public synchronized double gflopsPerClip() {
    return count == 0 ? 0 : gflops / count;
  }

  /** Mean fraction of frames each navigation layer kept. */
  public synchronized Map<String, Double> selectionRatios() {
    Map<String, Double> out = new LinkedHashMap<>();
    selection.forEach((k, v) -> out.put(k, count == 0 ? 0 : v[0] / count));
    return out;
  }

  /** Accuracy of each class (NaN for a class with no clips). */
  public synchronized double[] perClassAccuracy() {
    double[] acc = new double[classes];
    for (int c = 0; c < classes; c++) {
      long total = 0;
      for (long v : confusion[c]) {
        total += v;
      }
      acc[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
    }
    return acc;
  }

  /** {@code [true][predicted]} counts. */
  public synchronized long[][] confusionMatrix() {
    long[][] copy = new long[classes][];
    for (int c = 0; c < classes; c++) {
      copy[c] = confusion[c].clone();
    }
    return copy;
  }

  /** A readable report: totals, per-class accuracy and the confusion matrix. */
  public synchronized String report(List<String> labelNames) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT, "clips %d  top1 %.4f  top5 %.4f  GFLOPs/clip %.4f%n", count, top1(), top5(), gflopsPerClip()));
    selectionRatios().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  selection %-20s %.3f%n", k, v)));
    double[] per = perClassAccuracy();
    int width = 8;
    for (String name : labelNames) {
      width = Math.max(width, name.length());
    }
    sb.append("per-class accuracy and confusion (rows: true, columns: predicted)\n");
    for (int c = 0; c < classes; c++) {
      String name = c < labelNames.size() ? labelNames.get(c) : Integer.toString(c);
      sb.append(String.format(Locale.ROOT, "  %-" + width + "s %6.3f  ", name, per[c]));
      for (int p = 0; p < classes; p++) {
        sb.append(String.format(Locale.ROOT, "%5d", confusion[c][p]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
