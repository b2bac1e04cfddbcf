package io.saccade.runtime.interop;

import io.saccade.runtime.weights.Conversion;
import io.saccade.runtime.weights.NpyArray;
import io.saccade.runtime.weights.WeightMapping;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the key names of the official AF-MobileNetV3 {@code state_dict} (AFNet-pytorch,
 * {@code ops/backbone/AF_MobileNetv3.py}) to Saccade's parameter paths (the blocks of
 * {@link io.saccade.runtime.blocks.MobileNetV3} and {@link io.saccade.runtime.blocks.MobileNetAfStage} as
 * the processor generates an AF-MobileNetV3: {@code stem/}, {@code stage1/} … {@code stage5/}, {@code head/}),
 * with the conversion each needs.
 *
 * <table>
 *   <caption>Official → Saccade</caption>
 *   <tr><td>{@code conv.weight}, {@code bn.*}</td><td>{@code stem/conv/kernel}, {@code stem/bn/*}</td></tr>
 *   <tr><td>{@code features_head.0.conv1.weight} (no expansion)</td><td>{@code stem/block0/depthwise/conv/kernel}</td></tr>
 *   <tr><td>{@code features_stage1.1.conv1.weight}</td><td>{@code stage1/block1/expand/conv/kernel}</td></tr>
 *   <tr><td>{@code features_stage4.0.se.fc.0.weight}</td><td>{@code stage4/block0/se/fc1/kernel}</td></tr>
 *   <tr><td>{@code list_gen2.1.conv_gs.bias}</td><td>{@code stage2/nav1/conv_gs/bias}</td></tr>
 *   <tr><td>{@code features_stage2_base.0.bn2.running_var}</td><td>{@code stage2/ample/block0/depthwise/bn/moving_variance}</td></tr>
 *   <tr><td>{@code features_stage3_refine.0.res_connect.0.weight}</td><td>{@code stage3/focal/block0/shortcut/conv/kernel}</td></tr>
 *   <tr><td>{@code features_stage2_fuse.0.conv3.weight}</td><td>{@code stage2/fusion/block/project/conv/kernel}</td></tr>
 *   <tr><td>{@code att_gen3.fc.2.bias}</td><td>{@code stage3/fusion/attention/fc2/bias}</td></tr>
 *   <tr><td>{@code conv_last.weight}, {@code bn_last.*}</td><td>{@code head/last/conv/kernel}, {@code head/last/bn/*}</td></tr>
 *   <tr><td>{@code fc.0.*}, {@code fc.3.*}</td><td>{@code head/fc1/*}, {@code head/fc2/*}</td></tr>
 * </table>
 *
 * <p>In a block with expansion {@code conv1/bn1} are the expand conv, {@code conv2/bn2} the depthwise and
 * {@code conv3/bn3} the projection; in a block without ({@code features_head.0}, no {@code conv3}) conv1 is the
 * depthwise and conv2 the projection. Conv kernels OIHW → HWIO, depthwise {@code [C, 1, k, k]} →
 * {@code [k, k, C, 1]}, SE linears {@code [out, in]} → 1×1 conv {@code [1, 1, in, out]}, other linears →
 * {@code [in, out]}. {@code num_batches_tracked} counters are ignored.
 */
public final class OfficialAfMobileNetKeys {

  private static final Pattern STEM = Pattern.compile("(conv|bn)\\.(\\w+)");
  private static final Pattern LAST = Pattern.compile("(conv|bn)_last\\.(\\w+)");
  private static final Pattern DENSE = Pattern.compile("features_(head|stage[145])\\.(\\d+)\\.(.+)");
  private static final Pattern AF_BLOCK = Pattern.compile("features_stage([23])_(base|refine|fuse)\\.(\\d+)\\.(.+)");
  private static final Pattern NAV = Pattern.compile("list_gen([23])\\.(\\d+)\\.(conv_pool|bn|conv_gs)\\.(\\w+)");
  private static final Pattern ATTENTION = Pattern.compile("att_gen([23])\\.fc\\.([02])\\.(weight|bias)");
  private static final Pattern FC = Pattern.compile("fc\\.([03])\\.(weight|bias)");
  private static final Pattern IN_BLOCK =
      Pattern.compile("(conv|bn)([123])\\.(\\w+)|se\\.fc\\.([02])\\.(weight|bias)|res_connect\\.([01])\\.(\\w+)");

  private OfficialAfMobileNetKeys() {}

  /** The weight mapping for an official {@code state_dict} (its keys and shapes decide each target). */
  public static WeightMapping mapping(Map<String, NpyArray> source) {
    WeightMapping.Builder b = WeightMapping.builder().ignore("num_batches_tracked$");
    Map<String, long[]> shapes = new LinkedHashMap<>();
    source.forEach((k, v) -> shapes.put(k, v.shape()));
    for (String key : shapes.keySet()) {
      target(key, shapes.get(key), shapes.keySet()).ifPresent(t -> b.exact(key, t.parameter(), t.conversion()));
    }
    return b.build();
  }

  /**
   * The Saccade parameter for an official key, or empty for keys without one ({@code num_batches_tracked}).
   *
   * @param key official state_dict key
   * @param shape its tensor's shape
   * @param allKeys every key of the state_dict (tells a block without expansion by its missing {@code conv3})
   * @throws IllegalArgumentException for a key this mapping does not know
   */
  public static Optional<WeightMapping.Target> target(String key, long[] shape, Set<String> allKeys) {
    if (key.endsWith("num_batches_tracked")) {
      return Optional.empty();
    }
    Matcher m;
    if ((m = STEM.matcher(key)).matches()) {
      return Optional.of(layer("stem/" + m.group(1), m.group(2), shape));
    }
    if ((m = LAST.matcher(key)).matches()) {
      return Optional.of(layer("head/last/" + m.group(1), m.group(2), shape));
    }
    if ((m = DENSE.matcher(key)).matches()) {
      // features_head is the block that ends the stem of a generated MobileNet
      String stage = m.group(1).equals("head") ? "stem" : m.group(1);
      String prefix = "features_" + m.group(1) + "." + m.group(2) + ".";
      return Optional.of(inBlock(stage + "/block" + m.group(2), prefix, m.group(3), shape, allKeys, key));
    }
    if ((m = AF_BLOCK.matcher(key)).matches()) {
      String stage = "stage" + m.group(1);
      String block =
          switch (m.group(2)) {
            case "base" -> stage + "/ample/block" + m.group(3);
            case "refine" -> stage + "/focal/block" + m.group(3);
            default -> stage + "/fusion/block";
          };
      String prefix = "features_stage" + m.group(1) + "_" + m.group(2) + "." + m.group(3) + ".";
      return Optional.of(inBlock(block, prefix, m.group(4), shape, allKeys, key));
    }
    if ((m = NAV.matcher(key)).matches()) {
      return Optional.of(layer("stage" + m.group(1) + "/nav" + m.group(2) + "/" + m.group(3), m.group(4), shape));
    }
    if ((m = ATTENTION.matcher(key)).matches()) {
      String fc = "stage" + m.group(1) + "/fusion/attention/" + (m.group(2).equals("0") ? "fc1" : "fc2");
      return Optional.of(linear(fc, m.group(3)));
    }
    if ((m = FC.matcher(key)).matches()) {
      return Optional.of(linear("head/" + (m.group(1).equals("0") ? "fc1" : "fc2"), m.group(2)));
    }
    throw new IllegalArgumentException("unknown official AF-MobileNetV3 key " + key);
  }

  private static WeightMapping.Target inBlock(
      String block, String prefix, String rest, long[] shape, Set<String> allKeys, String key) {
    Matcher m = IN_BLOCK.matcher(rest);
    if (!m.matches()) {
      throw new IllegalArgumentException("unknown official AF-MobileNetV3 key " + key);
    }
    if (m.group(1) != null) {
      boolean expands = allKeys.contains(prefix + "conv3.weight");
      int index = Integer.parseInt(m.group(2));
      String part =
          expands
              ? switch (index) {
                case 1 -> "expand";
                case 2 -> "depthwise";
                default -> "project";
              }
              : switch (index) {
                case 1 -> "depthwise";
                case 2 -> "project";
                default -> throw new IllegalArgumentException("unknown official AF-MobileNetV3 key " + key);
              };
      return layer(block + "/" + part + "/" + m.group(1), m.group(3), shape);
    }
    if (m.group(4) != null) {
      String fc = block + "/se/" + (m.group(4).equals("0") ? "fc1" : "fc2");
      if (m.group(5).equals("bias")) {
        return new WeightMapping.Target(fc + "/bias", Conversion.IDENTITY);
      }
      // Linear [out, in] → 1×1 conv kernel [1, 1, in, out].
      return new WeightMapping.Target(
          fc + "/kernel", Conversion.LINEAR_TO_IN_OUT.andThen(Conversion.reshape(1, 1, shape[1], shape[0])));
    }
    String part = m.group(6).equals("0") ? "conv" : "bn";
    return layer(block + "/shortcut/" + part, m.group(7), shape);
  }

  /** A conv or BN tensor: {@code weight} is a kernel when 4-D (depthwise when {@code [C, 1, k, k]} with k > 1), else BN's γ. */
  private static WeightMapping.Target layer(String path, String tensor, long[] shape) {
    return switch (tensor) {
      case "weight" -> {
        if (shape.length != 4) {
          yield new WeightMapping.Target(path + "/gamma", Conversion.IDENTITY);
        }
        boolean depthwise = shape[1] == 1 && shape[2] * shape[3] > 1;
        yield new WeightMapping.Target(
            path + "/kernel", depthwise ? Conversion.DEPTHWISE_OIHW_TO_HWCM : Conversion.OIHW_TO_HWIO);
      }
      case "bias" -> new WeightMapping.Target(path + (path.endsWith("conv_gs") ? "/bias" : "/beta"), Conversion.IDENTITY);
      case "running_mean" -> new WeightMapping.Target(path + "/moving_mean", Conversion.IDENTITY);
      case "running_var" -> new WeightMapping.Target(path + "/moving_variance", Conversion.IDENTITY);
      default -> throw new IllegalArgumentException("unknown tensor '" + tensor + "' under " + path);
    };
  }

  private static WeightMapping.Target linear(String path, String tensor) {
    return tensor.equals("weight")
        ? new WeightMapping.Target(path + "/weight", Conversion.LINEAR_TO_IN_OUT)
        : new WeightMapping.Target(path + "/bias", Conversion.IDENTITY);
  }
}
