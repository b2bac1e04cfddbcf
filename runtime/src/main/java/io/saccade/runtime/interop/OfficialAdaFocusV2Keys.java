package io.saccade.runtime.interop;

import io.saccade.runtime.weights.Conversion;
import io.saccade.runtime.weights.WeightMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key layouts of the official AdaFocusV2 {@code state_dict}s (github.com/LeapLabTHU/AdaFocusV2) and
 * where each key goes in a generated AdaFocusV2. Built from the network's side: every parameter names the
 * one official key that fills it, so a missing key is reported by its official name.
 *
 * <table>
 *   <caption>Official → Saccade ({@link Variant#RECURRENT}; {@link Variant#PER_CLIP} in brackets)</caption>
 *   <tr><td>{@code global_CNN.features.0.0.weight} ({@code global_CNN.base_model.features.0.0.weight})</td>
 *       <td>{@code global/stem/conv/kernel}</td></tr>
 *   <tr><td>{@code global_CNN.features.2.conv.3.weight}</td><td>{@code global/stage1/block0/depthwise/conv/kernel}</td></tr>
 *   <tr><td>{@code global_CNN.features.18.1.running_var}</td><td>{@code global/last/bn/moving_variance}</td></tr>
 *   <tr><td>{@code local_CNN.layer1.0.downsample.0.weight} ({@code local_CNN.base_model.layer1.0.downsample.0.weight})</td>
 *       <td>{@code local/stage1/block0/shortcut/conv/kernel}</td></tr>
 *   <tr><td>{@code policy_stn.encoder.0 / .1 / .4 / .5} ({@code policy_stn.0 / .1 / .4 / .5 / .7 / .8})</td>
 *       <td>{@code policy/conv}, {@code bn0}, {@code fc1}, {@code bn1} ({@code fc2}, {@code bn2})</td></tr>
 *   <tr><td>{@code policy_stn.gru.weight_ih_l0} (gates r | z | n)</td><td>{@code policy/gru/weight_ih}</td></tr>
 *   <tr><td>{@code policy_stn.fc.0} ({@code policy_stn.10})</td><td>{@code policy/fc2} ({@code policy/fc3})</td></tr>
 *   <tr><td>{@code classifier.mlp.layers.0 / .1}</td><td>{@code classifier/fc}, {@code classifier/bn}</td></tr>
 *   <tr><td>{@code classifier.classifiers.7.1}</td><td>{@code classifier/step7}</td></tr>
 *   <tr><td>{@code global_CNN_fc.1}, {@code local_CNN_fc.1} ({@code global_CNN.new_fc}, {@code global_CNN.new_new_fc}, …)</td>
 *       <td>{@code classifier/global/fc}, {@code classifier/local/fc} ({@code classifier/global/fc}, {@code classifier/global/aux_fc}, …)</td></tr>
 * </table>
 *
 * <p>File keys are read after {@link #normalise}: DataParallel's {@code module.} prefix is dropped and the
 * TSM wrapper's {@code .net} step ({@code conv1.net.weight}, the temporal shift's wrapped conv) removed.
 * Conv weights are OIHW (depthwise {@code [C, 1, k, k]}), linear and GRU weights {@code [out, in]}.
 */
public final class OfficialAdaFocusV2Keys {

  /** The two official code bases, told apart by their policy's keys. */
  public enum Variant {
    /** {@code Experiments on ActivityNet, FCVID and Mini-Kinetics/models/adafocus_v2.py}: GRU policy, one patch per frame. */
    RECURRENT("official AdaFocusV2, recurrent (ActivityNet/FCVID/Mini-Kinetics, models/adafocus_v2.py)", "policy_stn.gru.weight_ih_l0"),
    /** {@code Experiments on Sth-Sth and Jester/main.py}: TSN/TSM encoders, one patch per clip. */
    PER_CLIP("official AdaFocusV2, per clip (Something-Something/Jester, main.py with TSN/TSM)", "policy_stn.0.weight");

    private final String title;
    private final String telltale;

    Variant(String title, String telltale) {
      this.title = title;
      this.telltale = telltale;
    }

    /** The key only this layout has. */
    public String telltale() {
      return telltale;
    }

    @Override
    public String toString() {
      return title;
    }
  }

  /**
   * One official key a network expects.
   *
   * @param key the official key, normalised ({@link #normalise})
   * @param shape its official shape (OIHW, {@code [out, in]})
   * @param target the parameter it fills and the layout change
   */
  public record Expected(String key, long[] shape, WeightMapping.Target target) {}

  private static final Pattern DATA_PARALLEL = Pattern.compile("^module\\.");
  private static final Pattern TSM_WRAPPER = Pattern.compile("\\.net(?=\\.)");
  private static final Pattern RESNET_BLOCK = Pattern.compile("stage(\\d+)/block(\\d+)/(.+)");
  private static final Pattern STEP = Pattern.compile("classifier/step(\\d+)/(weight|bias)");

  private OfficialAdaFocusV2Keys() {}

  /** {@code module.} dropped, the TSM wrapper's {@code .net} removed. */
  public static String normalise(String key) {
    return TSM_WRAPPER.matcher(DATA_PARALLEL.matcher(key).replaceFirst("")).replaceAll("");
  }

  /** The variant of a state dict with these (normalised) keys, if it is an official AdaFocusV2 one. */
  public static Optional<Variant> detect(Set<String> keys) {
    if (keys.contains(Variant.RECURRENT.telltale) || keys.contains("policy_stn.encoder.0.weight")) {
      return Optional.of(Variant.RECURRENT);
    }
    if (keys.contains(Variant.PER_CLIP.telltale)) {
      return Optional.of(Variant.PER_CLIP);
    }
    return Optional.empty();
  }

  /** The variant a generated AdaFocusV2 with these parameters is (a GRU policy is the recurrent one). */
  public static Variant variantOf(Set<String> parameters) {
    return parameters.contains("policy/gru/weight_ih") ? Variant.RECURRENT : Variant.PER_CLIP;
  }

  /**
   * Keys of an official file that the network does not use: the backbones' ImageNet heads (recurrent
   * code: {@code global_CNN.classifier.*}, {@code local_CNN.fc.*}) and BatchNorm step counters.
   */
  public static boolean unused(Variant variant, String key) {
    if (key.endsWith("num_batches_tracked")) {
      return true;
    }
    return variant == Variant.RECURRENT
        && (key.startsWith("global_CNN.classifier.") || key.startsWith("global_CNN.fc.") || key.startsWith("local_CNN.fc."));
  }

  /**
   * Every official key a network with these parameters (name → shape) expects, in parameter order.
   *
   * @throws IllegalArgumentException for a parameter no official key fills (not an official AdaFocusV2 layout)
   */
  public static List<Expected> expected(Variant variant, Map<String, long[]> parameters) {
    boolean recurrent = variant == Variant.RECURRENT;
    String global = recurrent ? "global_CNN." : "global_CNN.base_model.";
    String local = recurrent ? "local_CNN." : "local_CNN.base_model.";
    Map<String, String> globalMobileNet = mobileNetKeys("global/", parameters);
    Map<String, String> localMobileNet = mobileNetKeys("local/", parameters);
    List<Expected> out = new ArrayList<>();
    for (Map.Entry<String, long[]> p : parameters.entrySet()) {
      String name = p.getKey();
      String key;
      if (name.startsWith("global/")) {
        key = global + encoderKey(name.substring("global/".length()), globalMobileNet, name);
      } else if (name.startsWith("local/")) {
        key = local + encoderKey(name.substring("local/".length()), localMobileNet, name);
      } else if (name.startsWith("policy/")) {
        key = policyKey(recurrent, name);
      } else if (name.startsWith("classifier/")) {
        key = classifierKey(recurrent, name);
      } else {
        key = null;
      }
      if (key == null) {
        throw new IllegalArgumentException(
            "parameter " + name + " has no counterpart in the " + variant + " layout (is this an AdaFocusV2 as the official code"
                + " builds it?)");
      }
      Conversion conversion = conversion(name, p.getValue());
      out.add(new Expected(key, officialShape(conversion, p.getValue()), new WeightMapping.Target(name, conversion)));
    }
    return out;
  }

  /** The official key of a parameter inside an encoder ({@code stem/conv/kernel} → {@code conv1.weight} or {@code features.0.0.weight}). */
  private static String encoderKey(String inner, Map<String, String> mobileNet, String name) {
    int slash = inner.lastIndexOf('/');
    String layer = inner.substring(0, slash);
    String tensor = tensorName(inner.substring(slash + 1));
    if (!mobileNet.isEmpty()) {
      String module = mobileNet.get(layer);
      return module == null || tensor == null ? null : module + "." + tensor;
    }
    if (tensor == null) {
      return null;
    }
    if (layer.equals("stem/conv")) {
      return "conv1." + tensor;
    }
    if (layer.equals("stem/bn")) {
      return "bn1." + tensor;
    }
    Matcher m = RESNET_BLOCK.matcher(layer);
    if (!m.matches()) {
      return null;
    }
    String block = "layer" + m.group(1) + "." + m.group(2) + ".";
    return switch (m.group(3)) {
      case "conv1", "conv2", "conv3", "bn1", "bn2", "bn3" -> block + m.group(3) + "." + tensor;
      case "shortcut/conv" -> block + "downsample.0." + tensor;
      case "shortcut/bn" -> block + "downsample.1." + tensor;
      default -> null;
    };
  }

  /**
   * A MobileNetV2 encoder's layers under {@code prefix} → the tonylins module names: {@code stem/conv} →
   * {@code features.0.0}, the inverted residuals in order → {@code features.1} …, inside a block its
   * convs and batch norms → {@code conv.0}, {@code conv.1}, {@code conv.3}, … (a ReLU6 sits between), the
   * last 1×1 conv → {@code features.N.0}. Empty when the encoder is not a MobileNet.
   */
  private static Map<String, String> mobileNetKeys(String prefix, Map<String, long[]> parameters) {
    Set<String> inner = new TreeSet<>();
    for (String p : parameters.keySet()) {
      if (p.startsWith(prefix)) {
        inner.add(p.substring(prefix.length()));
      }
    }
    List<String> blocks = PretrainedKeys.blockPaths(inner);
    Map<String, String> out = new LinkedHashMap<>();
    if (blocks.isEmpty() || inner.stream().noneMatch(p -> p.contains("/depthwise/"))) {
      return out;
    }
    out.put("stem/conv", "features.0.0");
    out.put("stem/bn", "features.0.1");
    for (int b = 0; b < blocks.size(); b++) {
      String block = blocks.get(b);
      String module = "features." + (b + 1) + ".conv.";
      boolean expands = inner.contains(block + "/expand/conv/kernel");
      int index = 0;
      for (String role : expands ? List.of("expand", "depthwise", "project") : List.of("depthwise", "project")) {
        out.put(block + "/" + role + "/conv", module + index);
        out.put(block + "/" + role + "/bn", module + (index + 1));
        index += 3;
      }
    }
    out.put("last/conv", "features." + (blocks.size() + 1) + ".0");
    out.put("last/bn", "features." + (blocks.size() + 1) + ".1");
    return out;
  }

  private static String policyKey(boolean recurrent, String name) {
    int slash = name.lastIndexOf('/');
    String layer = name.substring("policy/".length(), slash);
    String t = name.substring(slash + 1);
    if (layer.equals("gru")) {
      return recurrent && t.matches("weight_ih|weight_hh|bias_ih|bias_hh") ? "policy_stn.gru." + t + "_l0" : null;
    }
    String tensor = tensorName(t);
    String module =
        recurrent
            ? switch (layer) {
                case "conv" -> "policy_stn.encoder.0";
                case "bn0" -> "policy_stn.encoder.1";
                case "fc1" -> "policy_stn.encoder.4";
                case "bn1" -> "policy_stn.encoder.5";
                case "fc2" -> "policy_stn.fc.0";
                default -> null;
              }
            : switch (layer) {
                case "conv" -> "policy_stn.0";
                case "bn0" -> "policy_stn.1";
                case "fc1" -> "policy_stn.4";
                case "bn1" -> "policy_stn.5";
                case "fc2" -> "policy_stn.7";
                case "bn2" -> "policy_stn.8";
                case "fc3" -> "policy_stn.10";
                default -> null;
              };
    return module == null || tensor == null ? null : module + "." + tensor;
  }

  private static String classifierKey(boolean recurrent, String name) {
    int slash = name.lastIndexOf('/');
    String layer = name.substring("classifier/".length(), slash);
    String tensor = tensorName(name.substring(slash + 1));
    if (tensor == null) {
      return null;
    }
    Matcher step = STEP.matcher(name);
    if (recurrent && step.matches()) {
      return "classifier.classifiers." + step.group(1) + ".1." + tensor;
    }
    String module =
        recurrent
            ? switch (layer) {
                case "fc" -> "classifier.mlp.layers.0";
                case "bn" -> "classifier.mlp.layers.1";
                case "global/fc" -> "global_CNN_fc.1";
                case "local/fc" -> "local_CNN_fc.1";
                default -> null;
              }
            : switch (layer) {
                case "global/fc" -> "global_CNN.new_fc";
                case "global/aux_fc" -> "global_CNN.new_new_fc";
                case "local/fc" -> "local_CNN.new_fc";
                case "local/aux_fc" -> "local_CNN.new_new_fc";
                default -> null;
              };
    return module == null ? null : module + "." + tensor;
  }

  /** PyTorch's tensor name for one of ours. */
  private static String tensorName(String ours) {
    return switch (ours) {
      case "kernel", "gamma", "weight" -> "weight";
      case "beta", "bias" -> "bias";
      case "moving_mean" -> "running_mean";
      case "moving_variance" -> "running_var";
      default -> null;
    };
  }

  private static Conversion conversion(String name, long[] shape) {
    if (name.endsWith("/kernel")) {
      return name.contains("/depthwise/") ? Conversion.DEPTHWISE_OIHW_TO_HWCM : Conversion.OIHW_TO_HWIO;
    }
    if (shape.length == 2) {
      return Conversion.LINEAR_TO_IN_OUT; // linear and GRU weights: [out, in] -> [in, out]
    }
    return Conversion.IDENTITY;
  }

  /** The official shape that {@code conversion} turns into {@code ours}. */
  private static long[] officialShape(Conversion conversion, long[] ours) {
    if (conversion == Conversion.OIHW_TO_HWIO) {
      return new long[] {ours[3], ours[2], ours[0], ours[1]};
    }
    if (conversion == Conversion.DEPTHWISE_OIHW_TO_HWCM) {
      return new long[] {ours[2], ours[3], ours[0], ours[1]};
    }
    if (conversion == Conversion.LINEAR_TO_IN_OUT) {
      return new long[] {ours[1], ours[0]};
    }
    return ours.clone();
  }
}
