package io.saccade.runtime.interop;

import io.saccade.runtime.weights.Conversion;
import io.saccade.runtime.weights.NpyArray;
import io.saccade.runtime.weights.WeightMapping;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key → parameter rules of every {@link PretrainedLayout}, for the networks the processor generates.
 *
 * <p>ResNets go through {@link OfficialAfNetKeys}, whose dense-stage rules ({@code layer4.2.conv1}) are
 * torchvision's names. MobileNets are matched block by block: the file's inverted-residual blocks in
 * order (torchvision {@code features.N}, timm {@code blocks.S.B}) onto the network's
 * ({@code stem/block0}, {@code stage1/block0}, …), and inside a block its convolutions in order onto
 * {@code expand} (when there are three), {@code depthwise} and {@code project}, each batch norm onto the
 * convolution before it, the squeeze-and-excite's two 1×1 convs onto {@code se/fc1} and {@code se/fc2}.
 * Keys these rules do not place are left out, so the import reports them as unexpected.
 */
final class PretrainedKeys {

  /** torchvision's MobileNetV3 BatchNorm eps; Saccade's is {@link io.saccade.runtime.nn.BatchNorm#DEFAULT_EPSILON}. */
  static final float TORCHVISION_MOBILENET_V3_EPSILON = 1e-3f;

  private static final Pattern BLOCK_PARAMETER = Pattern.compile("(stem|stage(\\d+))/block(\\d+)/.*");
  private static final Pattern TV_STEM = Pattern.compile("features\\.0\\.([01])\\.(\\w+)");
  private static final Pattern TV_BLOCK = Pattern.compile("features\\.(\\d+)\\.(?:block|conv)\\.(.+)\\.(\\w+)");
  private static final Pattern TV_LAST = Pattern.compile("features\\.(\\d+)\\.([01])\\.(\\w+)");
  private static final Pattern TV_CLASSIFIER = Pattern.compile("classifier(?:\\.(\\d))?\\.(weight|bias)");
  private static final Pattern TIMM_BLOCK = Pattern.compile("blocks\\.(\\d+)\\.(\\d+)\\.(.+)\\.(\\w+)");
  private static final Pattern TIMM_STEM = Pattern.compile("(conv_stem|bn1)\\.(\\w+)");
  private static final Pattern TIMM_HEAD = Pattern.compile("(conv_head|bn2|classifier)\\.(\\w+)");
  private static final Pattern SE_UNIT = Pattern.compile("(?:.*\\.)?(fc1|fc2|conv_reduce|conv_expand)");

  private PretrainedKeys() {}

  /**
   * Where each key of {@code source} goes in a network with parameters {@code parameters}.
   *
   * @param source prefix-stripped keys and their shapes
   * @throws IllegalArgumentException when the file's and the network's MobileNet block counts differ
   */
  static Map<String, WeightMapping.Target> targets(
      PretrainedLayout layout, Map<String, long[]> source, Set<String> parameters) {
    return switch (layout) {
      case TORCHVISION_RESNET, AFNET_RESNET -> resnet(source);
      case AFNET_MOBILENET_V3 -> afMobileNet(source);
      case ADAFOCUSV2_RECURRENT, ADAFOCUSV2_PER_CLIP ->
          throw new IllegalStateException(layout + " is mapped by OfficialAdaFocusV2Keys");
      default -> mobileNet(layout, source, parameters);
    };
  }

  /** Whether {@code key} belongs to the final classifier, which is re-initialised when its class count differs. */
  static boolean isClassifier(PretrainedLayout layout, String key) {
    return switch (layout) {
      case TORCHVISION_RESNET, AFNET_RESNET -> key.startsWith("fc.");
      case AFNET_MOBILENET_V3 -> key.startsWith("fc.3.");
      case TORCHVISION_MOBILENET_V2 -> key.startsWith("classifier.1.");
      case TORCHVISION_MOBILENET_V3 -> key.startsWith("classifier.3.");
      case TONYLINS_MOBILENET_V2, TIMM_MOBILENET_V2, TIMM_MOBILENET_V3 -> key.startsWith("classifier.");
      case ADAFOCUSV2_RECURRENT, ADAFOCUSV2_PER_CLIP -> false;
    };
  }

  /** The network's final classifier parameters as generated ({@code head/fc/…} or, after a hidden layer, {@code head/fc2/…}). */
  static List<String> classifierParameters(Set<String> parameters) {
    String fc = parameters.contains("head/fc2/weight") ? "head/fc2/" : "head/fc/";
    return List.of(fc + "weight", fc + "bias");
  }

  private static Map<String, WeightMapping.Target> resnet(Map<String, long[]> source) {
    Map<String, WeightMapping.Target> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : source.entrySet()) {
      try {
        OfficialAfNetKeys.target(e.getKey(), e.getValue().length)
            .ifPresent(t -> out.put(e.getKey(), new WeightMapping.Target(t.parameter(), conversion(t.layout()))));
      } catch (IllegalArgumentException unknown) {
        // left out: reported as unexpected by the import
      }
    }
    return out;
  }

  private static Map<String, WeightMapping.Target> afMobileNet(Map<String, long[]> source) {
    Map<String, WeightMapping.Target> out = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : source.entrySet()) {
      try {
        OfficialAfMobileNetKeys.target(e.getKey(), e.getValue(), source.keySet()).ifPresent(t -> out.put(e.getKey(), t));
      } catch (IllegalArgumentException unknown) {
        // left out: reported as unexpected by the import
      }
    }
    return out;
  }

  static Conversion conversion(OfficialAfNetKeys.Layout layout) {
    return switch (layout) {
      case CONV_OIHW_TO_HWIO -> Conversion.OIHW_TO_HWIO;
      case LINEAR_TRANSPOSE -> Conversion.LINEAR_TO_IN_OUT;
      case AS_IS -> Conversion.IDENTITY;
    };
  }

  // ---- MobileNets ----

  /** One layer (conv, batch norm or squeeze-and-excite conv) of a file's block, with its tensors. */
  private record Unit(String name, Map<String, String> tensors) {}

  private static Map<String, WeightMapping.Target> mobileNet(
      PretrainedLayout layout, Map<String, long[]> source, Set<String> parameters) {
    boolean timm = layout == PretrainedLayout.TIMM_MOBILENET_V2 || layout == PretrainedLayout.TIMM_MOBILENET_V3;
    boolean v3 = layout == PretrainedLayout.TIMM_MOBILENET_V3 || layout == PretrainedLayout.TORCHVISION_MOBILENET_V3;
    String last = parameters.contains("head/last/conv/kernel") ? "head/last/" : "last/";
    String classifier = v3 ? "head/fc2/" : "head/fc/";
    Map<String, WeightMapping.Target> out = new LinkedHashMap<>();
    // block id (torchvision [N], timm [S, B]) → unit name → tensor name → key
    TreeMap<List<Integer>, Map<String, Map<String, String>>> blocks = new TreeMap<>(PretrainedKeys::compareIds);
    int lastFeature = timm ? -1 : lastFeature(source.keySet());
    int timmLastStage = timm && v3 ? timmConvStage(source.keySet()) : -1;
    for (String key : source.keySet()) {
      long[] shape = source.get(key);
      Matcher m;
      if (!timm && (m = TV_STEM.matcher(key)).matches()) {
        put(out, key, "stem/" + (m.group(1).equals("0") ? "conv" : "bn"), m.group(2), shape);
      } else if (!timm && (m = TV_BLOCK.matcher(key)).matches()) {
        blocks.computeIfAbsent(List.of(Integer.parseInt(m.group(1))), k -> new TreeMap<>(PretrainedKeys::compareUnits))
            .computeIfAbsent(m.group(2), k -> new LinkedHashMap<>()).put(m.group(3), key);
      } else if (!timm && (m = TV_LAST.matcher(key)).matches() && Integer.parseInt(m.group(1)) == lastFeature) {
        put(out, key, last + (m.group(2).equals("0") ? "conv" : "bn"), m.group(3), shape);
      } else if (!timm && (m = TV_CLASSIFIER.matcher(key)).matches()) {
        String index = m.group(1) == null ? "" : m.group(1);
        String fc =
            switch (layout) {
              case TORCHVISION_MOBILENET_V3 -> index.equals("0") ? "head/fc1/" : index.equals("3") ? classifier : null;
              case TORCHVISION_MOBILENET_V2 -> index.equals("1") ? classifier : null;
              default -> index.isEmpty() ? classifier : null;
            };
        if (fc != null) {
          out.put(key, linear(fc, m.group(2)));
        }
      } else if (timm && (m = TIMM_STEM.matcher(key)).matches()) {
        put(out, key, "stem/" + (m.group(1).equals("conv_stem") ? "conv" : "bn"), m.group(2), shape);
      } else if (timm && (m = TIMM_BLOCK.matcher(key)).matches()) {
        int stage = Integer.parseInt(m.group(1));
        if (stage == timmLastStage && (m.group(3).equals("conv") || m.group(3).equals("bn1"))) {
          put(out, key, last + (m.group(3).equals("conv") ? "conv" : "bn"), m.group(4), shape);
        } else {
          blocks.computeIfAbsent(List.of(stage, Integer.parseInt(m.group(2))), k -> new TreeMap<>(PretrainedKeys::compareUnits))
              .computeIfAbsent(m.group(3), k -> new LinkedHashMap<>()).put(m.group(4), key);
        }
      } else if (timm && (m = TIMM_HEAD.matcher(key)).matches()) {
        String tensor = m.group(2);
        switch (m.group(1)) {
          case "conv_head" -> {
            if (v3) {
              // timm's conv_head is the hidden linear layer as a 1×1 conv with bias: [out, in, 1, 1].
              out.put(key, tensor.equals("weight") && shape.length == 4
                  ? new WeightMapping.Target("head/fc1/weight",
                      Conversion.reshape(shape[0], shape[1]).andThen(Conversion.LINEAR_TO_IN_OUT))
                  : linear("head/fc1/", tensor));
            } else {
              put(out, key, last + "conv", tensor, shape);
            }
          }
          case "bn2" -> put(out, key, last + "bn", tensor, shape);
          default -> out.put(key, linear(classifier, tensor));
        }
      }
    }
    List<String> targetBlocks = blockPaths(parameters);
    if (blocks.size() != targetBlocks.size()) {
      throw new IllegalArgumentException(String.format(
          "the file is a %s with %d inverted-residual blocks, the network has %d (%s … %s): a different backbone "
              + "(MobileNetV3-Large has 15 blocks, -Small 11, MobileNetV2 17)",
          layout, blocks.size(), targetBlocks.size(),
          targetBlocks.isEmpty() ? "none" : targetBlocks.get(0),
          targetBlocks.isEmpty() ? "none" : targetBlocks.get(targetBlocks.size() - 1)));
    }
    int b = 0;
    for (Map<String, Map<String, String>> units : blocks.values()) {
      block(out, targetBlocks.get(b++), units, source, timm);
    }
    return out;
  }

  /** Maps one file block's units onto {@code path}'s expand / depthwise / se / project layers. */
  private static void block(
      Map<String, WeightMapping.Target> out, String path, Map<String, Map<String, String>> units,
      Map<String, long[]> source, boolean timm) {
    List<String> convs = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> u : units.entrySet()) {
      String weight = u.getValue().get("weight");
      if (!SE_UNIT.matcher(u.getKey()).matches() && weight != null && source.get(weight).length == 4) {
        convs.add(u.getKey());
      }
    }
    boolean separable = !units.containsKey("conv_pwl");
    if (timm) {
      convs.sort(Comparator.comparingInt(u -> timmUnitOrder(u, separable)));
    }
    List<String> roles = convs.size() == 3 ? List.of("expand", "depthwise", "project") : List.of("depthwise", "project");
    String current = null;
    int conv = 0;
    List<Map.Entry<String, Map<String, String>>> ordered = new ArrayList<>(units.entrySet());
    if (timm) {
      ordered.sort(Comparator.comparingInt(e -> timmUnitOrder(e.getKey(), separable)));
    }
    for (Map.Entry<String, Map<String, String>> u : ordered) {
      String name = u.getKey();
      Matcher se = SE_UNIT.matcher(name);
      String layer;
      if (se.matches()) {
        layer = path + "/se/" + (se.group(1).equals("fc1") || se.group(1).equals("conv_reduce") ? "fc1" : "fc2");
      } else if (convs.contains(name)) {
        if (conv >= roles.size()) {
          continue; // more convs than a block has: left out, reported as unexpected
        }
        current = roles.get(conv++);
        layer = path + "/" + current + "/conv";
      } else if (current != null) {
        layer = path + "/" + current + "/bn";
      } else {
        continue; // a batch norm before any conv: left out, reported as unexpected
      }
      for (Map.Entry<String, String> t : u.getValue().entrySet()) {
        String key = t.getValue();
        if (se.matches()) {
          out.put(key, t.getKey().equals("bias")
              ? new WeightMapping.Target(layer + "/bias", Conversion.IDENTITY)
              : new WeightMapping.Target(layer + "/kernel", Conversion.OIHW_TO_HWIO));
        } else {
          put(out, key, layer, t.getKey(), source.get(key));
        }
      }
    }
  }

  /**
   * A timm unit's place in its block. Depthwise-separable block (no {@code conv_pwl}): conv_dw, bn1, se,
   * conv_pw, bn2. Inverted residual: conv_pw, bn1, conv_dw, bn2, se, conv_pwl, bn3.
   */
  private static int timmUnitOrder(String unit, boolean separable) {
    if (unit.startsWith("se.")) {
      return separable ? 2 : 4;
    }
    List<String> order = separable
        ? List.of("conv_dw", "bn1", "", "conv_pw", "bn2")
        : List.of("conv_pw", "bn1", "conv_dw", "bn2", "", "conv_pwl", "bn3");
    int i = order.indexOf(unit);
    return i < 0 ? 100 : i;
  }

  /** A conv or batch-norm tensor under {@code layer}: kernel (depthwise when {@code [C, 1, k, k]}, k &gt; 1), γ, β, statistics. */
  private static void put(Map<String, WeightMapping.Target> out, String key, String layer, String tensor, long[] shape) {
    WeightMapping.Target t =
        switch (tensor) {
          case "weight" -> {
            if (shape.length != 4) {
              yield new WeightMapping.Target(layer + "/gamma", Conversion.IDENTITY);
            }
            boolean depthwise = shape[1] == 1 && shape[2] * shape[3] > 1;
            yield new WeightMapping.Target(
                layer + "/kernel", depthwise ? Conversion.DEPTHWISE_OIHW_TO_HWCM : Conversion.OIHW_TO_HWIO);
          }
          case "bias" -> new WeightMapping.Target(layer + (layer.endsWith("/conv") ? "/bias" : "/beta"), Conversion.IDENTITY);
          case "running_mean" -> new WeightMapping.Target(layer + "/moving_mean", Conversion.IDENTITY);
          case "running_var" -> new WeightMapping.Target(layer + "/moving_variance", Conversion.IDENTITY);
          default -> null; // num_batches_tracked and unknown tensors: not mapped
        };
    if (t != null) {
      out.put(key, t);
    }
  }

  private static WeightMapping.Target linear(String layer, String tensor) {
    return tensor.equals("weight")
        ? new WeightMapping.Target(layer + "weight", Conversion.LINEAR_TO_IN_OUT)
        : new WeightMapping.Target(layer + "bias", Conversion.IDENTITY);
  }

  /**
   * {@code moving_variance + (eps − 1e-5)}: a batch norm trained with a larger eps computes, in inference,
   * exactly what Saccade's eps-1e-5 batch norm computes with this variance.
   */
  static Conversion foldEpsilon(float sourceEpsilon) {
    float delta = sourceEpsilon - io.saccade.runtime.nn.BatchNorm.DEFAULT_EPSILON;
    return Conversion.of(
        String.format(java.util.Locale.ROOT, "+%.3g (BatchNorm eps %s -> %s)", delta, sourceEpsilon,
            io.saccade.runtime.nn.BatchNorm.DEFAULT_EPSILON),
        long[]::clone,
        a -> {
          float[] v = a.floats();
          for (int i = 0; i < v.length; i++) {
            v[i] += delta;
          }
          return NpyArray.ofFloats(v, a.shape());
        });
  }

  /** The network's inverted-residual blocks in order: {@code stem/block0}, {@code stage1/block0}, … */
  static List<String> blockPaths(Set<String> parameters) {
    TreeMap<List<Integer>, String> blocks = new TreeMap<>(PretrainedKeys::compareIds);
    for (String p : parameters) {
      Matcher m = BLOCK_PARAMETER.matcher(p);
      if (m.matches()) {
        int stage = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int block = Integer.parseInt(m.group(3));
        blocks.put(List.of(stage, block), (m.group(2) == null ? "stem" : "stage" + stage) + "/block" + block);
      }
    }
    return new ArrayList<>(blocks.values());
  }

  private static int lastFeature(Set<String> keys) {
    int max = -1;
    for (String k : keys) {
      Matcher m = TV_LAST.matcher(k);
      if (m.matches()) {
        max = Math.max(max, Integer.parseInt(m.group(1)));
      }
    }
    return max;
  }

  /** The timm MobileNetV3 stage holding the last 1×1 ConvBnAct ({@code blocks.S.0.conv}). */
  private static int timmConvStage(Set<String> keys) {
    Pattern conv = Pattern.compile("blocks\\.(\\d+)\\.0\\.conv\\.weight");
    return keys.stream().map(conv::matcher).filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1)))
        .max().orElse(-1);
  }

  private static int compareIds(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = Integer.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** Natural order of dotted unit paths: {@code 0.0 < 0.1 < 1 < 2 < 2.fc1 < 3.0 < 10}. */
  static int compareUnits(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean nx = x[i].chars().allMatch(Character::isDigit);
      boolean ny = y[i].chars().allMatch(Character::isDigit);
      int c = nx && ny ? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }
}
