package io.saccade.runtime.interop;

import io.saccade.runtime.weights.ImportPlan;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a pretrained start did: which tensors loaded into which parameters, which parameters were
 * re-initialised (a classifier for another number of classes), which file entries were ignored, and
 * what was adjusted on the way (a batch norm's eps folded into its variance). {@link #toString()} is
 * the print-out for the user.
 *
 * <pre>{@code
 * ImportReport report = PretrainedWeights.read(Path.of("resnet50.safetensors")).load(session, store);
 * System.out.println(report);
 * // pretrained weights resnet50.safetensors (torchvision/timm ResNet): 320 entries
 * //   loaded          267 tensors, 25,502,912 values: stem 5, stage1 50, stage2 65, stage3 95, stage4 50, head 2
 * //   re-initialised  head/fc/weight [2048, 10]: the file's fc.weight [1000, 2048] has 1000 classes, the network 10
 * //   ...
 * }</pre>
 *
 * @param source the file (or description) the weights came from
 * @param layout the key layout recognised
 * @param entries how many entries the file has
 * @param loaded the tensors loaded, in file order
 * @param reinitialised parameters that keep their initial values, with the reason
 * @param ignored file entries not loaded, with the reason
 * @param adjustments notes on value changes beyond layout (e.g. a batch-norm eps fold), one per kind
 */
public record ImportReport(
    String source,
    PretrainedLayout layout,
    int entries,
    List<ImportPlan.Assignment> loaded,
    List<Reinitialised> reinitialised,
    List<Ignored> ignored,
    List<String> adjustments) {

  /** A parameter that keeps its initial value, and why. */
  public record Reinitialised(String parameter, long[] shape, String reason) {
    @Override
    public String toString() {
      return parameter + " " + Arrays.toString(shape) + ": " + reason;
    }
  }

  /** A file entry that was not loaded, and why. */
  public record Ignored(String key, long[] shape, String reason) {
    @Override
    public String toString() {
      return key + " " + Arrays.toString(shape) + ": " + reason;
    }
  }

  public ImportReport {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(layout, "layout");
    loaded = List.copyOf(loaded);
    reinitialised = List.copyOf(reinitialised);
    ignored = List.copyOf(ignored);
    adjustments = List.copyOf(adjustments);
  }

  /** The parameters that were loaded, in file order. */
  public List<String> loadedParameters() {
    return loaded.stream().map(ImportPlan.Assignment::parameter).toList();
  }

  /** The parameters that kept their initial values. */
  public List<String> reinitialisedParameters() {
    return reinitialised.stream().map(Reinitialised::parameter).toList();
  }

  /** The file keys that were ignored. */
  public List<String> ignoredKeys() {
    return ignored.stream().map(Ignored::key).toList();
  }

  /** Values loaded in all. */
  public long loadedValues() {
    return loaded.stream().mapToLong(a -> Arrays.stream(a.shape()).reduce(1, Math::multiplyExact)).sum();
  }

  /** Several lines: a title, then loaded (counted per top-level block), re-initialised, ignored, adjusted. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "pretrained weights %s (%s): %d entries%n", source, layout, entries));
    Map<String, Integer> perPart = new LinkedHashMap<>();
    for (ImportPlan.Assignment a : loaded) {
      String p = a.parameter();
      perPart.merge(p.contains("/") ? p.substring(0, p.indexOf('/')) : p, 1, Integer::sum);
    }
    out.append(String.format(Locale.ROOT, "  loaded          %d tensors, %,d values: %s%n", loaded.size(), loadedValues(),
        perPart.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
    if (reinitialised.isEmpty()) {
      out.append("  re-initialised  none\n");
    }
    for (int i = 0; i < reinitialised.size(); i++) {
      out.append(i == 0 ? "  re-initialised  " : "                  ").append(reinitialised.get(i)).append('\n');
    }
    Map<String, Long> reasons =
        ignored.stream().collect(Collectors.groupingBy(Ignored::reason, LinkedHashMap::new, Collectors.counting()));
    if (reasons.isEmpty()) {
      out.append("  ignored         none\n");
    }
    int line = 0;
    for (Map.Entry<String, Long> r : reasons.entrySet()) {
      List<String> keys = ignored.stream().filter(g -> g.reason().equals(r.getKey())).map(Ignored::key).toList();
      String examples = keys.size() <= 3 ? String.join(", ", keys) : keys.get(0) + ", " + keys.get(1) + ", …";
      out.append(line++ == 0 ? "  ignored         " : "                  ")
          .append(String.format(Locale.ROOT, "%d: %s (%s)%n", r.getValue(), r.getKey(), examples));
    }
    for (int i = 0; i < adjustments.size(); i++) {
      out.append(i == 0 ? "  adjusted        " : "                  ").append(adjustments.get(i)).append('\n');
    }
    return out.toString().stripTrailing();
  }
}
