package io.saccade.runtime.interop;

import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.weights.ImportPlan;
import io.saccade.runtime.weights.NpyArray;
import io.saccade.runtime.weights.Npz;
import io.saccade.runtime.weights.SafeTensors;
import io.saccade.runtime.weights.WeightFileException;
import io.saccade.runtime.weights.WeightImport;
import io.saccade.runtime.weights.WeightImportException;
import io.saccade.runtime.weights.WeightImportException.Kind;
import io.saccade.runtime.weights.WeightImportException.Problem;
import io.saccade.runtime.weights.WeightMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Session;

/**
 * An official AdaFocusV2 checkpoint (github.com/LeapLabTHU/AdaFocusV2, converted to {@code .npz} or
 * {@code .safetensors}) loaded into a generated AdaFocusV2, strictly: every parameter must come from the
 * file with its exact shape, and every file key must be used (the backbones' ImageNet heads and
 * BatchNorm counters excepted, see {@link OfficialAdaFocusV2Keys#unused}). The layout — recurrent
 * (ActivityNet/FCVID/Mini-Kinetics) or per clip (Something-Something/Jester) — is chosen from the
 * file's keys; DataParallel's {@code module.} prefix and the TSM wrapper's {@code .net} are accepted.
 *
 * <pre>{@code
 * OfficialAdaFocusV2Weights w = OfficialAdaFocusV2Weights.read(Path.of("minik_p128.npz"));
 * w.load(session, store);   // after AdaFocusV2MiniKineticsNetwork was built into store's graph
 * }</pre>
 *
 * <p>Problems raise {@link WeightImportException} listing each by official key: a missing key (with the
 * shape the network expects and the parameter it would fill), an extra key, a key whose shape does not fit.
 */
public final class OfficialAdaFocusV2Weights {

  private final String source;
  private final Map<String, NpyArray> tensors;
  private final OfficialAdaFocusV2Keys.Variant variant;

  private OfficialAdaFocusV2Weights(String source, Map<String, NpyArray> tensors, OfficialAdaFocusV2Keys.Variant variant) {
    this.source = source;
    this.tensors = tensors;
    this.variant = variant;
  }

  /**
   * Reads {@code .npz} or {@code .safetensors}.
   *
   * @throws WeightFileException for a missing or unreadable file
   * @throws IllegalArgumentException when the keys are not an official AdaFocusV2 layout
   */
  public static OfficialAdaFocusV2Weights read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new WeightFileException(file.toString(), null, "no such file", null);
    }
    String name = file.getFileName().toString();
    if (name.toLowerCase(Locale.ROOT).matches(".*\\.(pth|pt|bin|ckpt|tar)$")) {
      throw new WeightFileException(file.toString(), null,
          "a PyTorch checkpoint; convert it once with\n"
              + "  import numpy as np, torch\n"
              + "  ck = torch.load(\"" + name + "\", map_location=\"cpu\"); sd = ck.get(\"state_dict\", ck)\n"
              + "  np.savez(\"weights.npz\", **{k: v.numpy() for k, v in sd.items()})",
          null);
    }
    Map<String, NpyArray> tensors =
        name.toLowerCase(Locale.ROOT).endsWith(".safetensors") ? SafeTensors.read(file) : Npz.read(file);
    return of(name, tensors);
  }

  /**
   * Weights already in memory, under the official keys (with or without {@code module.}).
   *
   * @param source shown in messages, e.g. the file name
   * @throws IllegalArgumentException when the keys are not an official AdaFocusV2 layout, or two keys are
   *     the same once normalised
   */
  public static OfficialAdaFocusV2Weights of(String source, Map<String, NpyArray> tensors) {
    Objects.requireNonNull(source, "source");
    Map<String, NpyArray> normalised = new LinkedHashMap<>();
    for (Map.Entry<String, NpyArray> e : tensors.entrySet()) {
      String key = OfficialAdaFocusV2Keys.normalise(e.getKey());
      if (normalised.put(key, e.getValue()) != null) {
        throw new IllegalArgumentException(source + ": two entries are " + key + " once 'module.' and '.net' are dropped");
      }
    }
    OfficialAdaFocusV2Keys.Variant variant =
        OfficialAdaFocusV2Keys.detect(normalised.keySet())
            .orElseThrow(() -> new IllegalArgumentException(String.format(Locale.ROOT,
                "%s is not an official AdaFocusV2 state dict (%d entries, e.g. %s): the recurrent code's files have %s,"
                    + " the per-clip (Something-Something/Jester) code's %s",
                source, normalised.size(), String.join(", ", normalised.keySet().stream().limit(3).toList()),
                OfficialAdaFocusV2Keys.Variant.RECURRENT.telltale(), OfficialAdaFocusV2Keys.Variant.PER_CLIP.telltale())));
    return new OfficialAdaFocusV2Weights(source, normalised, variant);
  }

  /** The layout recognised from the keys. */
  public OfficialAdaFocusV2Keys.Variant variant() {
    return variant;
  }

  /** The tensors under their normalised keys, in file order. */
  public Map<String, NpyArray> tensors() {
    return tensors;
  }

  /**
   * Checks every key and shape against the network's parameters.
   *
   * @throws WeightImportException naming every missing, extra or mis-shaped key
   * @throws IllegalArgumentException when the file's variant is not the network's
   */
  public ImportPlan plan(ParameterStore store) {
    Objects.requireNonNull(store, "store");
    Map<String, long[]> parameters = new LinkedHashMap<>();
    for (Parameter p : store.all()) {
      parameters.put(p.name(), p.shape().asArray());
    }
    OfficialAdaFocusV2Keys.Variant network = OfficialAdaFocusV2Keys.variantOf(parameters.keySet());
    if (network != variant) {
      throw new IllegalArgumentException(
          source + " is the " + variant + " layout, but the network is " + (network == OfficialAdaFocusV2Keys.Variant.RECURRENT
              ? "recurrent (@PatchPolicy(recurrent = true))" : "per clip (@PatchPolicy(recurrent = false))"));
    }
    List<OfficialAdaFocusV2Keys.Expected> expected = OfficialAdaFocusV2Keys.expected(variant, parameters);
    List<Problem> problems = new ArrayList<>();
    Map<String, OfficialAdaFocusV2Keys.Expected> byKey = new LinkedHashMap<>();
    for (OfficialAdaFocusV2Keys.Expected e : expected) {
      byKey.put(e.key(), e);
      NpyArray value = tensors.get(e.key());
      if (value == null) {
        problems.add(new Problem(Kind.MISSING, e.key(), e.target().parameter(), String.format(Locale.ROOT,
            "%s: key %s %s is missing (it fills %s)", source, e.key(), Arrays.toString(e.shape()), e.target().parameter())));
      } else if (!Arrays.equals(value.shape(), e.shape())) {
        problems.add(new Problem(Kind.SHAPE, e.key(), e.target().parameter(), String.format(Locale.ROOT,
            "%s: key %s has shape %s, the network needs %s (for %s)", source, e.key(), Arrays.toString(value.shape()),
            Arrays.toString(e.shape()), e.target().parameter())));
      }
    }
    WeightMapping.Builder mapping = WeightMapping.builder();
    for (Map.Entry<String, NpyArray> t : tensors.entrySet()) {
      String key = t.getKey();
      OfficialAdaFocusV2Keys.Expected e = byKey.get(key);
      if (e != null) {
        mapping.exact(key, e.target().parameter(), e.target().conversion());
      } else if (OfficialAdaFocusV2Keys.unused(variant, key)) {
        mapping.ignore("^" + java.util.regex.Pattern.quote(key) + "$");
      } else {
        problems.add(new Problem(Kind.UNEXPECTED, key, null, String.format(Locale.ROOT,
            "%s: extra key %s %s: the network has no parameter for it", source, key, Arrays.toString(t.getValue().shape()))));
      }
    }
    if (!problems.isEmpty()) {
      problems.sort(java.util.Comparator.comparing(Problem::kind));
      throw new WeightImportException(String.format(Locale.ROOT,
          "%s does not fit the network (%s): %d problem%s; nothing was loaded",
          source, variant, problems.size(), problems.size() == 1 ? "" : "s"), problems);
    }
    return WeightImport.plan(tensors, parameters, mapping.build());
  }

  /**
   * Checks, then writes every value in one {@code Session.run}.
   *
   * @throws WeightImportException naming every problem; nothing is loaded then
   */
  public ImportPlan load(Session session, ParameterStore store) {
    ImportPlan plan = plan(store);
    plan.load(session, store);
    return plan;
  }
}
