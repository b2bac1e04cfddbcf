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
    return plan(parameters, false).plan();
  }

  /**
   * What a start from an official checkpoint loads: the plan, the class-count heads re-initialised and the
   * file entries left out.
   */
  record Start(ImportPlan plan, List<ImportReport.Reinitialised> reinitialised, List<ImportReport.Ignored> ignored) {}

  /** A classifier output whose width is the class count (per-step heads, auxiliary heads). */
  private static final java.util.regex.Pattern CLASS_HEAD =
      java.util.regex.Pattern.compile("classifier/(step\\d+|(global|local)/(aux_)?fc)/(weight|bias)");

  /** The official per-step head {@code classifier.classifiers.N.1.*}. */
  private static final java.util.regex.Pattern STEP_HEAD_KEY =
      java.util.regex.Pattern.compile("classifier\\.classifiers\\.(\\d+)\\..*");

  /**
   * Plans the import into parameters by name and shape. Strict, every key must fit; or, to start
   * training from the checkpoint ({@code fineTuning}), heads made for another class count are
   * re-initialised, per-step heads the network lacks are ignored and those the file lacks re-initialised.
   */
  Start plan(Map<String, long[]> parameters, boolean fineTuning) {
    OfficialAdaFocusV2Keys.Variant network = OfficialAdaFocusV2Keys.variantOf(parameters.keySet());
    if (network != variant) {
      throw new IllegalArgumentException(
          source + " is the " + variant + " layout, but the network is " + (network == OfficialAdaFocusV2Keys.Variant.RECURRENT
              ? "recurrent (@PatchPolicy(recurrent = true))" : "per clip (@PatchPolicy(recurrent = false))"));
    }
    List<OfficialAdaFocusV2Keys.Expected> expected = OfficialAdaFocusV2Keys.expected(variant, parameters);
    List<Problem> problems = new ArrayList<>();
    List<ImportReport.Reinitialised> reinitialised = new ArrayList<>();
    List<ImportReport.Ignored> ignored = new ArrayList<>();
    Map<String, OfficialAdaFocusV2Keys.Expected> byKey = new LinkedHashMap<>();
    java.util.Set<String> reinitialisedKeys = new java.util.HashSet<>();
    WeightMapping.Builder mapping = WeightMapping.builder();
    for (OfficialAdaFocusV2Keys.Expected e : expected) {
      String parameter = e.target().parameter();
      boolean head = fineTuning && CLASS_HEAD.matcher(parameter).matches();
      NpyArray value = tensors.get(e.key());
      if (value == null) {
        if (head) {
          reinitialised.add(new ImportReport.Reinitialised(parameter, parameters.get(parameter), "the file has no " + e.key()));
          mapping.keepInitial(java.util.regex.Pattern.quote(parameter));
          continue;
        }
        problems.add(new Problem(Kind.MISSING, e.key(), parameter, String.format(Locale.ROOT,
            "%s: key %s %s is missing (it fills %s)", source, e.key(), Arrays.toString(e.shape()), parameter)));
      } else if (!Arrays.equals(value.shape(), e.shape())) {
        if (head && value.shape().length == e.shape().length && value.shape()[0] != e.shape()[0]) {
          reinitialised.add(new ImportReport.Reinitialised(parameter, parameters.get(parameter), String.format(Locale.ROOT,
              "the file's %s %s is for %d classes, the network has %d", e.key(), Arrays.toString(value.shape()),
              value.shape()[0], e.shape()[0])));
          mapping.keepInitial(java.util.regex.Pattern.quote(parameter));
          mapping.ignore("^" + java.util.regex.Pattern.quote(e.key()) + "$");
          reinitialisedKeys.add(e.key());
          continue;
        }
        problems.add(new Problem(Kind.SHAPE, e.key(), parameter, String.format(Locale.ROOT,
            "%s: key %s has shape %s, the network needs %s (for %s)", source, e.key(), Arrays.toString(value.shape()),
            Arrays.toString(e.shape()), parameter)));
      }
      byKey.put(e.key(), e);
    }
    for (Map.Entry<String, NpyArray> t : tensors.entrySet()) {
      String key = t.getKey();
      OfficialAdaFocusV2Keys.Expected e = byKey.get(key);
      if (reinitialisedKeys.contains(key)) {
        continue; // a head for another class count: its parameter keeps its initial value
      } else if (e != null) {
        mapping.exact(key, e.target().parameter(), e.target().conversion());
      } else if (OfficialAdaFocusV2Keys.unused(variant, key)) {
        mapping.ignore("^" + java.util.regex.Pattern.quote(key) + "$");
        if (fineTuning) {
          ignored.add(new ImportReport.Ignored(key, t.getValue().shape(), "not used by the official forward pass either"));
        }
      } else if (fineTuning && STEP_HEAD_KEY.matcher(key).matches()) {
        mapping.ignore("^" + java.util.regex.Pattern.quote(key) + "$");
        ignored.add(new ImportReport.Ignored(key, t.getValue().shape(), "a head for a step the network does not have (fewer frames)"));
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
    return new Start(WeightImport.plan(tensors, parameters, mapping.build()), reinitialised, ignored);
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
