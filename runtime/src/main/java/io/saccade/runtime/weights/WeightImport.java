package io.saccade.runtime.weights;

import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tensorflow.Session;

/**
 * Imports weights from a source map (read by {@link Npz} or {@link SafeTensors}) into a network's
 * parameters: plan and check everything first, then load in one {@code Session.run}.
 *
 * <p>{@link #plan} reports <em>all</em> problems at once in one {@link WeightImportException} — source
 * keys no rule maps, keys mapped to parameters that do not exist, two keys for one parameter, converted
 * shapes that do not fit, and parameters nothing maps to — each by name and shape, before any value is
 * touched.
 *
 * <pre>{@code
 * Map<String, NpyArray> weights = Npz.read(Path.of("weights.npz"));
 * ImportPlan plan = WeightImport.plan(weights, store, mapping);   // throws, listing every problem
 * plan.load(session, store);
 * }</pre>
 */
public final class WeightImport {

  private WeightImport() {}

  /** Plans an import into every parameter of {@code store}. */
  public static ImportPlan plan(Map<String, NpyArray> source, ParameterStore store, WeightMapping mapping) {
    Objects.requireNonNull(store, "store");
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (Parameter p : store.all()) {
      shapes.put(p.name(), p.shape().asArray());
    }
    return plan(source, shapes, mapping);
  }

  /** Plans and loads in one call; returns the plan for its {@link ImportPlan#summary()}. */
  public static ImportPlan load(Session session, ParameterStore store, Map<String, NpyArray> source, WeightMapping mapping) {
    ImportPlan plan = plan(source, store, mapping);
    plan.load(session, store);
    return plan;
  }

  /**
   * Plans an import into parameters given by name and shape.
   *
   * @param source source tensors by key, in the order assignments should be listed
   * @param targets every parameter that must be filled, name → shape (e.g. HWIO for a conv kernel)
   * @param mapping source key → parameter name and conversion
   * @throws WeightImportException listing every problem, when there is at least one
   */
  public static ImportPlan plan(Map<String, NpyArray> source, Map<String, long[]> targets, WeightMapping mapping) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(mapping, "mapping");
    List<WeightImportException.Problem> problems = new ArrayList<>();
    List<ImportPlan.Assignment> assignments = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    Map<String, String> claimedBy = new HashMap<>();
    for (Map.Entry<String, NpyArray> e : source.entrySet()) {
      String key = e.getKey();
      NpyArray value = e.getValue();
      long[] sourceShape = value.shape();
      String described = key + " " + Arrays.toString(sourceShape) + " " + value.dtype();
      Optional<WeightMapping.Target> target = mapping.target(key);
      if (target.isEmpty()) {
        if (mapping.ignores(key)) {
          ignored.add(key);
        } else {
          problems.add(problem(WeightImportException.Kind.UNEXPECTED, key, null, described + ": no mapping rule matches"));
        }
        continue;
      }
      String parameter = target.get().parameter();
      Conversion conversion = target.get().conversion();
      long[] expected = targets.get(parameter);
      if (expected == null) {
        problems.add(problem(
            WeightImportException.Kind.UNKNOWN_PARAMETER, key, parameter,
            described + " maps to " + parameter + ", which the network does not have" + hint(parameter, targets)));
        continue;
      }
      String earlier = claimedBy.putIfAbsent(parameter, key);
      if (earlier != null) {
        problems.add(problem(
            WeightImportException.Kind.DUPLICATE, key, parameter,
            described + " and " + earlier + " both map to " + parameter));
        continue;
      }
      long[] converted;
      try {
        converted = conversion.shape(sourceShape);
      } catch (IllegalArgumentException ex) {
        problems.add(problem(
            WeightImportException.Kind.CONVERSION, key, parameter,
            described + " -> " + parameter + " " + Arrays.toString(expected) + ": conversion " + conversion
                + " does not apply (" + ex.getMessage() + ")"));
        continue;
      }
      if (!Arrays.equals(converted, expected)) {
        problems.add(problem(
            WeightImportException.Kind.SHAPE, key, parameter,
            described + " -(" + conversion + ")-> " + Arrays.toString(converted) + " does not fit " + parameter + " "
                + Arrays.toString(expected)));
        continue;
      }
      assignments.add(new ImportPlan.Assignment(key, sourceShape, parameter, expected.clone(), conversion));
    }
    List<String> keptInitial = new ArrayList<>();
    for (Map.Entry<String, long[]> t : targets.entrySet()) {
      String parameter = t.getKey();
      if (claimedBy.containsKey(parameter)) {
        continue;
      }
      if (mapping.keepsInitial(parameter)) {
        keptInitial.add(parameter);
      } else {
        problems.add(problem(
            WeightImportException.Kind.MISSING, null, parameter,
            parameter + " " + Arrays.toString(t.getValue()) + ": no source key maps to it"));
      }
    }
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparing(WeightImportException.Problem::kind));
      throw new WeightImportException(
          "weight import: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " ("
              + source.size() + " source tensors, " + targets.size() + " parameters); nothing was loaded",
          problems);
    }
    return new ImportPlan(source, assignments, ignored, keptInitial);
  }

  private static WeightImportException.Problem problem(
      WeightImportException.Kind kind, String key, String parameter, String message) {
    return new WeightImportException.Problem(kind, key, parameter, message);
  }

  /** "; did you mean X?" for the closest parameter name by edit distance, when it is close. */
  private static String hint(String name, Map<String, long[]> targets) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : targets.keySet()) {
      int d = editDistance(name, candidate, bestDistance);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 4) ? "; did you mean " + best + "?" : "";
  }

  /** Levenshtein distance, giving up (returning {@code limit}) once every path exceeds {@code limit}. */
  private static int editDistance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) >= limit) {
      return limit;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      int rowMin = current[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
        rowMin = Math.min(rowMin, current[j]);
      }
      if (rowMin >= limit) {
        return limit;
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
