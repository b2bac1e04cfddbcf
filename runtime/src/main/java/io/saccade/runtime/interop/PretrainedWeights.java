package io.saccade.runtime.interop;

import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.weights.Conversion;
import io.saccade.runtime.weights.ImportPlan;
import io.saccade.runtime.weights.NpyArray;
import io.saccade.runtime.weights.Npz;
import io.saccade.runtime.weights.SafeTensors;
import io.saccade.runtime.weights.WeightFileException;
import io.saccade.runtime.weights.WeightImport;
import io.saccade.runtime.weights.WeightImportException;
import io.saccade.runtime.weights.WeightMapping;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.tensorflow.Session;

/**
 * Starts a network from pretrained weights: an ImageNet backbone from torchvision or timm, an official
 * AFNet checkpoint, in {@code .npz} or {@code .safetensors}. The key layout is recognised from the
 * file's keys ({@link PretrainedLayout}); the backbone must load completely and with the right shapes,
 * while a classifier for another number of classes is re-initialised, and so are an AFNet navigation's
 * frame-wise conv ({@code conv_gs}, 2 outputs per frame) made for another number of frames and navigation
 * the file lacks. Every name and shape is checked before any value is written; {@link ImportReport} says
 * what loaded, what was re-initialised and what was ignored.
 *
 * <pre>{@code
 * PretrainedWeights weights = PretrainedWeights.read(Path.of("resnet50.safetensors"));
 * ImportReport report = weights.load(session, store);   // after the network is built into store's graph
 * System.out.println(report);
 * }</pre>
 *
 * <p>Problems raise {@link WeightImportException} listing every one: a tensor whose shape does not fit
 * its parameter (outside the classifier) by key, converted shape and the parameter's shape; a key no
 * rule places; a parameter the file does not fill. An unknown layout raises
 * {@link IllegalArgumentException} listing the layouts Saccade recognises.
 */
public final class PretrainedWeights {

  /** Prefixes stripped from every key: DataParallel's and the official TSN wrapper's. */
  private static final List<String> PREFIXES = List.of("module.", "base_model.");

  /** An AFNet's navigation parameters, which keep their initial values when the file has none. */
  private static final Pattern NAVIGATION = Pattern.compile("stage\\d+/nav\\d+/.*");

  /** The navigation conv whose width is 2 × frames. */
  private static final Pattern NAVIGATION_FRAMES = Pattern.compile("stage\\d+/nav\\d+/conv_gs/(kernel|bias)");

  private final String source;
  private final Map<String, NpyArray> tensors;
  private final PretrainedLayout layout;
  private final List<String> renames;
  /** The sub-network the file is for ({@code "global"}, {@code "local"}), or null for the whole network. */
  private final String part;

  private PretrainedWeights(
      String source, Map<String, NpyArray> tensors, PretrainedLayout layout, List<String> renames, String part) {
    this.source = source;
    this.tensors = tensors;
    this.layout = layout;
    this.renames = List.copyOf(renames);
    this.part = part;
  }

  /**
   * The same weights, for one encoder of a network with two: AdaFocusV2's {@code "global"} (glance) or
   * {@code "local"} (focus) CNN, as the official code starts them from ImageNet MobileNetV2 and ResNet-50.
   * The file's backbone fills the parameters under {@code part/}; its classifier is ignored (the encoders
   * have none); every other parameter (the other encoder, the policy, the classifiers) keeps its value.
   *
   * <pre>{@code
   * Trainer.builder(new MyFocusNetwork())
   *     .initialWeights(PretrainedWeights.read(Path.of("mobilenet_v2.npz")).under("global"))
   *     .initialWeights(PretrainedWeights.read(Path.of("resnet50.npz")).under("local"))
   * }</pre>
   */
  public PretrainedWeights under(String part) {
    Objects.requireNonNull(part, "part");
    if (!part.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("a part is one name such as global or local, got '" + part + "'");
    }
    return new PretrainedWeights(source, tensors, layout, renames, part);
  }

  /** The sub-network these weights are for, if {@link #under} named one. */
  public Optional<String> part() {
    return Optional.ofNullable(part);
  }

  /**
   * Reads {@code .npz} or {@code .safetensors} (told apart by their first bytes) and recognises the layout.
   *
   * @throws WeightFileException for a missing, unreadable or unsupported file (a PyTorch pickle names the
   *     one-line conversion)
   * @throws IllegalArgumentException when the keys are in no layout Saccade knows
   */
  public static PretrainedWeights read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new WeightFileException(file.toString(), null, "no such file", null);
    }
    byte[] head = new byte[9];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, NpyArray> tensors;
    if (name.endsWith(".safetensors") || (n == 9 && head[8] == '{')) {
      tensors = SafeTensors.read(file);
    } else if (name.endsWith(".npz") || (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
        && !name.matches(".*\\.(pth|pt|bin|ckpt|tar)$")) {
      tensors = Npz.read(file);
    } else {
      throw new WeightFileException(file.toString(), null,
          "neither .npz nor .safetensors; convert a PyTorch checkpoint once with\n"
              + "  import numpy as np, torch\n"
              + "  sd = torch.load(\"" + file.getFileName() + "\", map_location=\"cpu\"); sd = sd.get(\"state_dict\", sd)\n"
              + "  np.savez(\"weights.npz\", **{k: v.numpy() for k, v in sd.items()})",
          null);
    }
    return of(file.getFileName().toString(), tensors);
  }

  /**
   * Weights already in memory.
   *
   * @param source shown in the report, e.g. the file name
   * @throws IllegalArgumentException when the keys are in no layout Saccade knows
   */
  public static PretrainedWeights of(String source, Map<String, NpyArray> tensors) {
    Objects.requireNonNull(source, "source");
    Map<String, NpyArray> normalised = new LinkedHashMap<>();
    List<String> renames = new ArrayList<>();
    for (Map.Entry<String, NpyArray> e : tensors.entrySet()) {
      String key = e.getKey();
      for (String prefix : PREFIXES) {
        if (key.startsWith(prefix)) {
          key = key.substring(prefix.length());
          String note = "key prefix '" + prefix + "' dropped";
          if (!renames.contains(note)) {
            renames.add(note);
          }
        }
      }
      if (key.startsWith("new_fc.")) {
        key = "fc." + key.substring("new_fc.".length());
        if (!renames.contains("new_fc.* read as fc.*")) {
          renames.add("new_fc.* read as fc.*");
        }
      }
      if (normalised.put(key, e.getValue()) != null) {
        throw new IllegalArgumentException(source + ": two entries are " + key + " once prefixes are dropped");
      }
    }
    PretrainedLayout layout =
        PretrainedLayout.detect(normalised.keySet())
            .orElseThrow(() -> new IllegalArgumentException(String.format(
                "%s: unknown key layout (%d entries, e.g. %s). Saccade recognises:%n%s",
                source, normalised.size(), String.join(", ", normalised.keySet().stream().limit(4).toList()),
                PretrainedLayout.catalogue())));
    return new PretrainedWeights(source, normalised, layout, renames, null);
  }

  /** The recognised key layout. */
  public PretrainedLayout layout() {
    return layout;
  }

  /** The file's tensors under their prefix-stripped keys, in file order. */
  public Map<String, NpyArray> tensors() {
    return tensors;
  }

  /**
   * Checks every name and shape against the parameters of {@code store} without loading anything.
   *
   * @throws WeightImportException listing every problem
   */
  public ImportReport check(ParameterStore store) {
    return plan(shapes(store)).report;
  }

  /**
   * Checks, then writes every loaded value in one {@code Session.run}; the parameters the report lists as
   * re-initialised keep their values (their initialisers run first).
   *
   * @param session a session on the graph the network was built into
   * @param store the network's parameters
   * @throws WeightImportException listing every problem; nothing is loaded then
   */
  public ImportReport load(Session session, ParameterStore store) {
    Planned p = plan(shapes(store));
    p.plan.load(session, store);
    return p.report;
  }

  private record Planned(ImportPlan plan, ImportReport report) {}

  private static Map<String, long[]> shapes(ParameterStore store) {
    Objects.requireNonNull(store, "store");
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (Parameter p : store.all()) {
      shapes.put(p.name(), p.shape().asArray());
    }
    return shapes;
  }

  /** Plans the import into parameters given by name and shape. */
  Planned plan(Map<String, long[]> network) {
    if (layout.isAdaFocusV2()) {
      if (part != null) {
        throw new IllegalArgumentException(source + " is a whole " + layout + " checkpoint: give it without '" + part + "='");
      }
      OfficialAdaFocusV2Weights.Start start = OfficialAdaFocusV2Weights.of(source, tensors).plan(network, true);
      return new Planned(start.plan(), new ImportReport(source, layout, tensors.size(), start.plan().assignments(),
          start.reinitialised(), start.ignored(), renames));
    }
    if (part == null
        && network.keySet().stream().anyMatch(n -> n.startsWith("global/"))
        && network.keySet().stream().anyMatch(n -> n.startsWith("local/"))) {
      throw new IllegalArgumentException(source + " is a " + layout + " backbone, and this network has two encoders, "
          + "global/ and local/: say which one it starts (--init global=FILE or --init local=FILE; in Java "
          + "weights.under(\"global\"))");
    }
    Map<String, long[]> targets = part == null ? network : within(network);
    Set<String> parameters = targets.keySet();
    boolean afNetwork = parameters.stream().anyMatch(p -> p.contains("/ample/") || p.contains("/focal/"));
    if (afNetwork && !layout.isAfNet()) {
      throw new IllegalArgumentException(source + " is a dense " + layout + "; this network is an AFNet, whose ample "
          + "branch has 1/α of the channels and whose focal convolutions are grouped, so a dense backbone's stages do "
          + "not fit (the official AFNet code has no such mapping either: it starts from its own ImageNet-trained "
          + "AF-ResNet / AF-MobileNetV3 checkpoints, which load here). Start the AFNet from an official AF checkpoint, "
          + "or use the dense network (TSN/TSM) for this file.");
    }
    if (!afNetwork && layout.isAfNet()) {
      throw new IllegalArgumentException(
          source + " is an " + layout + " checkpoint; this network has no AFNet stages (declare @AmpleBranch, "
              + "@FocalBranch and @Navigation on the same backbone to load it)");
    }
    Map<String, long[]> sourceShapes = new LinkedHashMap<>();
    tensors.forEach((k, v) -> sourceShapes.put(k, v.shape()));
    Map<String, WeightMapping.Target> mapped = PretrainedKeys.targets(layout, sourceShapes, parameters);

    List<ImportReport.Reinitialised> reinitialised = new ArrayList<>();
    List<ImportReport.Ignored> ignored = new ArrayList<>();
    List<String> adjustments = new ArrayList<>(renames);
    Map<String, NpyArray> planned = new LinkedHashMap<>();
    WeightMapping.Builder mapping = WeightMapping.builder();
    int folded = 0;
    for (Map.Entry<String, NpyArray> e : tensors.entrySet()) {
      String key = e.getKey();
      long[] shape = e.getValue().shape();
      WeightMapping.Target t = mapped.get(key);
      if (key.endsWith("num_batches_tracked")) {
        ignored.add(new ImportReport.Ignored(key, shape, "BatchNorm step counter, not used in inference"));
        continue;
      }
      if (t != null && PretrainedKeys.isClassifier(layout, key)) {
        long[] expected = targets.get(t.parameter());
        if (expected == null) {
          ignored.add(new ImportReport.Ignored(key, shape, "classifier; the network has no " + t.parameter()));
          continue;
        }
        if (!Arrays.equals(t.conversion().shape(shape), expected)) {
          reinitialised.add(new ImportReport.Reinitialised(full(t.parameter()), expected, String.format(Locale.ROOT,
              "the file's %s %s is for %d classes, the network has %d", key, Arrays.toString(shape),
              shape[0], expected[expected.length - 1])));
          continue;
        }
      }
      if (t != null && NAVIGATION_FRAMES.matcher(t.parameter()).matches() && targets.containsKey(t.parameter())) {
        // The navigation's last conv has 2 outputs per frame: a checkpoint for another clip length cannot fill it.
        long[] expected = targets.get(t.parameter());
        if (!Arrays.equals(t.conversion().shape(shape), expected)) {
          reinitialised.add(new ImportReport.Reinitialised(full(t.parameter()), expected, String.format(Locale.ROOT,
              "the file's %s %s is for %d frames, the network has %d", key, Arrays.toString(shape),
              shape[0] / 2, expected[expected.length - 1] / 2)));
          continue;
        }
      }
      if (part != null && t != null && t.parameter().startsWith("head/") && !targets.containsKey(t.parameter())) {
        ignored.add(new ImportReport.Ignored(key, shape, "ImageNet head; the " + part + " encoder has none"));
        continue;
      }
      planned.put(key, e.getValue());
      if (t == null) {
        continue; // the import reports it as unexpected
      }
      Conversion conversion = t.conversion();
      if (layout == PretrainedLayout.TORCHVISION_MOBILENET_V3 && t.parameter().endsWith("/moving_variance")) {
        conversion = conversion.andThen(PretrainedKeys.foldEpsilon(PretrainedKeys.TORCHVISION_MOBILENET_V3_EPSILON));
        folded++;
      }
      mapping.exact(key, full(t.parameter()), conversion);
    }
    if (folded > 0) {
      float saccade = io.saccade.runtime.nn.BatchNorm.DEFAULT_EPSILON;
      float torchvision = PretrainedKeys.TORCHVISION_MOBILENET_V3_EPSILON;
      adjustments.add(String.format(Locale.ROOT,
          "%d moving variances + %s: torchvision's MobileNetV3 batch norms use eps %s, Saccade's %s "
              + "(the same in inference; training normalises batches with eps %s)",
          folded, plain(torchvision - saccade), plain(torchvision), plain(saccade), plain(saccade)));
    }
    for (String p : PretrainedKeys.classifierParameters(parameters)) {
      mapping.keepInitial(Pattern.quote(full(p)));
    }
    if (layout.isAfNet()) {
      mapping.keepInitial(NAVIGATION.pattern());
    }
    if (part != null) {
      // The rest of the network (the other encoder, policy, classifiers) is not this file's business.
      mapping.keepInitial("(?!" + Pattern.quote(part + "/") + ").*");
    }
    ImportPlan plan = WeightImport.plan(planned, network, mapping.build());
    for (String p : plan.keptInitial()) {
      if (part != null && !p.startsWith(part + "/")) {
        continue;
      }
      String local = part == null ? p : p.substring(part.length() + 1);
      if (reinitialised.stream().noneMatch(r -> r.parameter().equals(local) || r.parameter().equals(p))) {
        String what = NAVIGATION.matcher(local).matches() ? "navigation" : "classifier";
        reinitialised.add(new ImportReport.Reinitialised(p, network.get(p), "the file has no " + what + " for it"));
      }
    }
    ImportReport report =
        new ImportReport(part == null ? source : source + " into " + part + "/", layout, tensors.size(), plan.assignments(),
            reinitialised, ignored, adjustments);
    return new Planned(plan, report);
  }

  /** The network's parameters under {@link #part}, named relative to it. */
  private Map<String, long[]> within(Map<String, long[]> network) {
    String prefix = part + "/";
    Map<String, long[]> out = new LinkedHashMap<>();
    network.forEach((name, shape) -> {
      if (name.startsWith(prefix)) {
        out.put(name.substring(prefix.length()), shape);
      }
    });
    if (out.isEmpty()) {
      throw new IllegalArgumentException(source + " is for '" + part + "', but the network has no parameters under "
          + prefix + " (AdaFocusV2 networks have global/ and local/ encoders)");
    }
    return out;
  }

  /** A parameter name relative to {@link #part} as the network's. */
  private String full(String name) {
    return part == null ? name : part + "/" + name;
  }

  private static String plain(float v) {
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }
}
