package io.saccade.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * Where a run's time goes: TensorFlow's step statistics (a full-trace run) summed by op type (as the
 * kernels that actually ran, after Grappler's fusions, name them) and by part of the network (stem,
 * ample, focal, navigation, select, gather, scatter, fusion, attention, rest), averaged over the traced runs.
 * Op times are kernel times summed over threads, so with more than one thread they can exceed the wall time.
 *
 * <pre>{@code
 * OpProfile p = new OpProfile(null);
 * p.add(latency.traced(true));
 * p.print("AfResNet50 skip kept=0.50", 12);
 * }</pre>
 */
final class OpProfile {

  private final Map<String, double[]> byType = new LinkedHashMap<>(); // {micros, nodes}
  private final Map<String, double[]> byPart = new LinkedHashMap<>();
  private final String listPart;
  private int runs;

  /** @param listPart a part whose nodes of the first run are listed one by one, or null */
  OpProfile(String listPart) {
    this.listPart = listPart;
  }
  private long nodes;

  /** Adds one traced run. */
  void add(RunMetadata metadata) {
    runs++;
    for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
      for (NodeExecStats n : device.getNodeStatsList()) {
        if (n.getNodeName().equals("_SOURCE") || n.getNodeName().equals("_SINK")) {
          continue;
        }
        nodes++;
        double micros = n.getAllEndRelMicros();
        accumulate(byType, opType(n), micros);
        accumulate(byPart, part(n.getNodeName()), micros);
        if (runs == 1 && part(n.getNodeName()).equals(listPart)) {
          System.out.printf(Locale.ROOT, "PROFILE_NODE part=%s node=%s op=%s us=%d%n", listPart, n.getNodeName(), opType(n), n.getAllEndRelMicros());
        }
      }
    }
  }

  private static void accumulate(Map<String, double[]> to, String key, double micros) {
    double[] v = to.computeIfAbsent(key, k -> new double[2]);
    v[0] += micros;
    v[1]++;
  }

  /** The kernel that ran, from the timeline label {@code "name = Type(inputs)"}. */
  static String opType(NodeExecStats n) {
    String label = n.getTimelineLabel();
    int eq = label.indexOf(" = ");
    if (eq < 0) {
      return "?";
    }
    int paren = label.indexOf('(', eq);
    return label.substring(eq + 3, paren < 0 ? label.length() : paren).trim();
  }

  /** The part of an AFNet (or dense) network a node belongs to, from its scope path ({@code focal_3/} counts as {@code focal/}). */
  static String part(String name) {
    String n = name.replaceAll("_\\d+/", "/");
    if (n.contains("/gather/")) {
      return "gather";
    }
    if (n.contains("/scatter/") || n.contains("/assemble/")) {
      return "scatter";
    }
    if (n.contains("/select/")) {
      return "select";
    }
    if (n.contains("/expand_zero_frame/")) {
      return "f(0) expand";
    }
    if (n.matches(".*/nav\\d+/.*")) {
      return "navigation";
    }
    if (n.contains("/focal/")) {
      return "focal";
    }
    if (n.contains("/ample/")) {
      return "ample";
    }
    if (n.contains("/fusion/attention/")) {
      return "attention";
    }
    if (n.contains("/fusion/")) {
      return "fusion";
    }
    if (n.contains("stem")) {
      return "stem";
    }
    if (n.matches(".*(stage|layer)\\d+/.*")) {
      return "dense stages";
    }
    return "rest";
  }

  /** Prints the total and the {@code top} most expensive op types and every part, in ms per run. */
  void print(String label, int top) {
    double total = byType.values().stream().mapToDouble(v -> v[0]).sum() / runs / 1000;
    System.out.printf(Locale.ROOT, "PROFILE %s runs=%d nodes_per_run=%d kernel_ms=%.2f%n", label, runs, nodes / runs, total);
    for (Map.Entry<String, double[]> e : sorted(byType).subList(0, Math.min(top, byType.size()))) {
      print(label, "op", e, total);
    }
    for (Map.Entry<String, double[]> e : sorted(byPart)) {
      print(label, "part", e, total);
    }
  }

  private void print(String label, String kind, Map.Entry<String, double[]> e, double total) {
    double ms = e.getValue()[0] / runs / 1000;
    System.out.printf(Locale.ROOT, "PROFILE %s %s=%s ms=%.3f share=%.3f nodes=%d%n", label, kind, e.getKey(), ms, ms / total,
        Math.round(e.getValue()[1] / runs));
  }

  private static List<Map.Entry<String, double[]>> sorted(Map<String, double[]> m) {
    List<Map.Entry<String, double[]>> l = new ArrayList<>(m.entrySet());
    l.sort((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]));
    return l;
  }
}
