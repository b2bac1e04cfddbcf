package io.saccade.runtime.metrics;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The papers' main figure: top-1 accuracy against GFLOPs per clip, one coloured series per model family
 * (e.g. AFNet at several target ratios, joined by a line, beside the dense baseline), rendered to PNG
 * with Java2D — no charting dependency.
 *
 * <pre>{@code
 * new AccuracyFlopsPlot("Embedded dataset")
 *     .point("AFNet", "RT 0.25", 0.41, 0.93)
 *     .point("AFNet", "RT 0.5", 0.52, 0.94)
 *     .point("TSN", "dense", 0.88, 0.90)
 *     .write(Path.of("accuracy-vs-gflops.png"));
 * }</pre>
 */
public final class AccuracyFlopsPlot {

  private static final Color[] PALETTE = {
    new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C),
    new Color(0xFF, 0x7F, 0x0E), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B)
  };

  /** One measured run. */
  private record Point(String label, double gflops, double top1) {}

  private final String title;
  private final Map<String, List<Point>> series = new LinkedHashMap<>();

  public AccuracyFlopsPlot(String title) {
    this.title = title;
  }

  /** Adds a run to {@code series}; top-1 in [0, 1]. */
  public AccuracyFlopsPlot point(String series, String label, double gflopsPerClip, double top1) {
    if (!(gflopsPerClip >= 0) || !(top1 >= 0 && top1 <= 1)) {
      throw new IllegalArgumentException(
          "a point needs GFLOPs >= 0 and top-1 in [0, 1], got " + gflopsPerClip + " and " + top1);
    }
    this.series.computeIfAbsent(series, k -> new ArrayList<>()).add(new Point(label, gflopsPerClip, top1));
    return this;
  }

  /**
   * Adds a conditional-exit curve as {@code series}: one point per base p, labelled only at its ends
   * (the cheapest point with its p, the all-frames point "all frames").
   *
   * <pre>{@code
   * plot.curve("AdaFocusV2 + exit", evaluation.exitCurve());
   * }</pre>
   */
  public AccuracyFlopsPlot curve(String series, ExitCurve curve) {
    ExitCurve.Point cheapest = curve.cheapest();
    for (ExitCurve.Point p : curve.points()) {
      String label = p == curve.allFrames() ? "all frames" : p == cheapest ? "p=" + p.label() : "";
      point(series, label, p.expectedGflops(), p.accuracy());
    }
    return this;
  }

  /** Renders the figure (900×600 PNG) to {@code file}, creating its folder. */
  public void write(Path file) throws IOException {
    if (series.isEmpty()) {
      throw new IllegalStateException("nothing to plot: add at least one point");
    }
    int width = 900;
    int height = 600;
    int left = 90;
    int right = 220;
    int top = 60;
    int bottom = 70;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);

    double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
    for (List<Point> ps : series.values()) {
      for (Point p : ps) {
        minX = Math.min(minX, p.gflops());
        maxX = Math.max(maxX, p.gflops());
        minY = Math.min(minY, p.top1());
        maxY = Math.max(maxY, p.top1());
      }
    }
    double[] xr = niceRange(minX, maxX);
    double[] yr = niceRange(minY * 100, maxY * 100);
    // Accuracy lives in [0, 100] %: never draw the axis beyond it.
    yr[1] = Math.min(yr[1], 100);
    yr[0] = Math.max(0, Math.min(yr[0], yr[1] - yr[2]));
    int plotW = width - left - right;
    int plotH = height - top - bottom;

    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.setColor(Color.BLACK);
    g.drawString(title, left, 35);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();
    int xTicks = (int) Math.round((xr[1] - xr[0]) / xr[2]);
    for (int i = 0; i <= xTicks; i++) {
      int px = left + (int) Math.round(plotW * i / (double) xTicks);
      g.setColor(new Color(0xE5, 0xE5, 0xE5));
      g.drawLine(px, top, px, top + plotH);
      g.setColor(Color.DARK_GRAY);
      String s = format(xr[0] + i * xr[2], xr[2]);
      g.drawString(s, px - fm.stringWidth(s) / 2, top + plotH + 20);
    }
    int yTicks = (int) Math.round((yr[1] - yr[0]) / yr[2]);
    for (int i = 0; i <= yTicks; i++) {
      int py = top + plotH - (int) Math.round(plotH * i / (double) yTicks);
      g.setColor(new Color(0xE5, 0xE5, 0xE5));
      g.drawLine(left, py, left + plotW, py);
      g.setColor(Color.DARK_GRAY);
      String t = format(yr[0] + i * yr[2], yr[2]);
      g.drawString(t, left - 10 - fm.stringWidth(t), py + 5);
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, plotW, plotH);
    String xl = "GFLOPs per clip";
    g.drawString(xl, left + plotW / 2 - fm.stringWidth(xl) / 2, height - 25);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    String yl = "top-1 accuracy (%)";
    rotated.drawString(yl, -(top + plotH / 2 + fm.stringWidth(yl) / 2), 30);
    rotated.dispose();

    int index = 0;
    int legendY = top + 10;
    for (Map.Entry<String, List<Point>> e : series.entrySet()) {
      Color c = PALETTE[index++ % PALETTE.length];
      List<Point> ps = new ArrayList<>(e.getValue());
      ps.sort((a, b) -> Double.compare(a.gflops(), b.gflops()));
      g.setColor(c);
      g.setStroke(new BasicStroke(2f));
      int[] xs = new int[ps.size()];
      int[] ys = new int[ps.size()];
      for (int i = 0; i < ps.size(); i++) {
        xs[i] = left + (int) Math.round((ps.get(i).gflops() - xr[0]) / (xr[1] - xr[0]) * plotW);
        ys[i] = top + plotH - (int) Math.round((ps.get(i).top1() * 100 - yr[0]) / (yr[1] - yr[0]) * plotH);
      }
      g.drawPolyline(xs, ys, ps.size());
      int r = ps.size() > 8 ? 3 : 6; // dense curves (an exit sweep) get small markers
      for (int i = 0; i < ps.size(); i++) {
        g.fillOval(xs[i] - r, ys[i] - r, 2 * r, 2 * r);
        g.drawString(ps.get(i).label(), xs[i] + 9, ys[i] - 8);
      }
      g.fillRect(left + plotW + 20, legendY - 10, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(e.getKey(), left + plotW + 40, legendY + 2);
      legendY += 24;
    }
    g.dispose();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer available for " + file);
    }
  }

  /** {lo', hi', step}: a padded range around [lo, hi] whose ends are multiples of a 1-2-5 step. */
  private static double[] niceRange(double lo, double hi) {
    double span = hi - lo;
    if (span <= 0) {
      span = Math.max(Math.abs(hi) * 0.2, 1e-3);
    }
    double a = lo - span * 0.15;
    double b = hi + span * 0.15;
    double raw = (b - a) / 5;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / magnitude < 1.5 ? magnitude : raw / magnitude < 3.5 ? 2 * magnitude : raw / magnitude < 7.5 ? 5 * magnitude : 10 * magnitude;
    return new double[] {Math.floor(a / step) * step, Math.ceil(b / step) * step, step};
  }

  private static String format(double v, double step) {
    int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
