package io.saccade.runtime.interop;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the key names of the official AFNet PyTorch {@code state_dict} (AFNet-pytorch,
 * {@code ops/backbone/AF_ResNet.py}) to Saccade's parameter paths, with the layout change each needs.
 *
 * <table>
 *   <caption>Official → Saccade</caption>
 *   <tr><td>{@code conv1.weight}, {@code bn1.*}</td><td>{@code stem/conv/kernel}, {@code stem/bn/*}</td></tr>
 *   <tr><td>{@code layer1.list_gen.0.conv_pool.weight}</td><td>{@code stage1/nav0/conv_pool/kernel}</td></tr>
 *   <tr><td>{@code layer1.base_module.0.conv2.weight}</td><td>{@code stage1/ample/block0/conv2/kernel}</td></tr>
 *   <tr><td>{@code layer1.refine_module.1.bn3.running_var}</td><td>{@code stage1/focal/block1/bn3/moving_variance}</td></tr>
 *   <tr><td>{@code layer1.base_module.0.downsample.1.weight}</td><td>{@code stage1/ample/block0/shortcut/conv/kernel}</td></tr>
 *   <tr><td>{@code layer1.base_transform.0.weight}</td><td>{@code stage1/fusion/project/conv/kernel}</td></tr>
 *   <tr><td>{@code layer1.att_gen.fc.0.weight}</td><td>{@code stage1/fusion/attention/fc1/weight}</td></tr>
 *   <tr><td>{@code layer1.fusion.0.conv1.weight}</td><td>{@code stage1/fusion/block/conv1/kernel}</td></tr>
 *   <tr><td>{@code layer4.2.conv1.weight}</td><td>{@code stage4/block2/conv1/kernel}</td></tr>
 *   <tr><td>{@code fc.weight}</td><td>{@code head/fc/weight}</td></tr>
 * </table>
 *
 * <p>A {@code downsample.j} entry is the shortcut's conv when its weight is 4-D and its batch norm
 * otherwise (the official Sequential puts an AvgPool first when the shortcut is strided, which shifts
 * the indices). {@code num_batches_tracked} counters have no counterpart and are ignored.
 */
public final class OfficialAfNetKeys {

  /** How a tensor's layout changes on the way in. */
  public enum Layout {
    /** Conv weight OIHW → HWIO ({@code transpose(2, 3, 1, 0)}). */
    CONV_OIHW_TO_HWIO,
    /** Linear weight {@code [out, in]} → {@code [in, out]}. */
    LINEAR_TRANSPOSE,
    /** Vectors (biases, BN) copy as they are. */
    AS_IS
  }

  /**
   * Where one official tensor goes.
   *
   * @param parameter Saccade parameter path
   * @param layout the layout change
   */
  public record Target(String parameter, Layout layout) {}

  private static final Pattern STEM = Pattern.compile("(conv1|bn1)\\.(\\w+)");
  private static final Pattern NAV = Pattern.compile("layer(\\d)\\.list_gen\\.(\\d+)\\.(conv_pool|bn|conv_gs)\\.(\\w+)");
  private static final Pattern AF_BLOCK =
      Pattern.compile("layer(\\d)\\.(base_module|refine_module|fusion)\\.(\\d+)\\.(.+)");
  private static final Pattern PROJECT = Pattern.compile("layer(\\d)\\.base_transform\\.(\\d)\\.(\\w+)");
  private static final Pattern ATTENTION = Pattern.compile("layer(\\d)\\.att_gen\\.fc\\.(\\d)\\.weight");
  private static final Pattern DENSE_BLOCK = Pattern.compile("layer(\\d)\\.(\\d+)\\.(.+)");
  private static final Pattern FC = Pattern.compile("fc\\.(weight|bias)");
  private static final Pattern IN_BLOCK = Pattern.compile("(conv[123]|bn[123])\\.(\\w+)|downsample\\.(\\d)\\.(\\w+)");

  private OfficialAfNetKeys() {}

  /**
   * The Saccade parameter for an official key, or empty for keys without one ({@code num_batches_tracked}).
   *
   * @param key official state_dict key
   * @param rank number of dimensions of its tensor (tells a shortcut's conv from its batch norm)
   * @throws IllegalArgumentException for a key this mapping does not know
   */
  public static Optional<Target> target(String key, int rank) {
    if (key.endsWith("num_batches_tracked")) {
      return Optional.empty();
    }
    Matcher m;
    if ((m = STEM.matcher(key)).matches()) {
      return Optional.of(layer("stem/" + (m.group(1).equals("conv1") ? "conv" : "bn"), m.group(2), rank));
    }
    if ((m = NAV.matcher(key)).matches()) {
      return Optional.of(layer("stage" + m.group(1) + "/nav" + m.group(2) + "/" + m.group(3), m.group(4), rank));
    }
    if ((m = PROJECT.matcher(key)).matches()) {
      String part = m.group(2).equals("0") ? "conv" : "bn";
      return Optional.of(layer("stage" + m.group(1) + "/fusion/project/" + part, m.group(3), rank));
    }
    if ((m = ATTENTION.matcher(key)).matches()) {
      String fc = m.group(2).equals("0") ? "fc1" : "fc2";
      return Optional.of(new Target("stage" + m.group(1) + "/fusion/attention/" + fc + "/weight", Layout.LINEAR_TRANSPOSE));
    }
    if ((m = AF_BLOCK.matcher(key)).matches()) {
      String stage = "stage" + m.group(1);
      String block =
          switch (m.group(2)) {
            case "base_module" -> stage + "/ample/block" + m.group(3);
            case "refine_module" -> stage + "/focal/block" + m.group(3);
            default -> stage + "/fusion/block";
          };
      return Optional.of(inBlock(block, m.group(4), rank, key));
    }
    if ((m = DENSE_BLOCK.matcher(key)).matches()) {
      return Optional.of(inBlock("stage" + m.group(1) + "/block" + m.group(2), m.group(3), rank, key));
    }
    if ((m = FC.matcher(key)).matches()) {
      return Optional.of(
          m.group(1).equals("weight")
              ? new Target("head/fc/weight", Layout.LINEAR_TRANSPOSE)
              : new Target("head/fc/bias", Layout.AS_IS));
    }
    throw new IllegalArgumentException("unknown official AFNet key " + key);
  }

  private static Target inBlock(String block, String rest, int rank, String key) {
    Matcher m = IN_BLOCK.matcher(rest);
    if (!m.matches()) {
      throw new IllegalArgumentException("unknown official AFNet key " + key);
    }
    if (m.group(1) != null) {
      return layer(block + "/" + m.group(1), m.group(2), rank);
    }
    boolean conv = m.group(4).equals("weight") && rank == 4;
    return layer(block + "/shortcut/" + (conv ? "conv" : "bn"), m.group(4), rank);
  }

  /** A conv or BN tensor: PyTorch's {@code weight} is a conv kernel when 4-D, else BN's γ. */
  private static Target layer(String path, String tensor, int rank) {
    return switch (tensor) {
      case "weight" ->
          rank == 4
              ? new Target(path + "/kernel", Layout.CONV_OIHW_TO_HWIO)
              : new Target(path + "/gamma", Layout.AS_IS);
      case "bias" -> new Target(path + (path.endsWith("conv_gs") ? "/bias" : "/beta"), Layout.AS_IS);
      case "running_mean" -> new Target(path + "/moving_mean", Layout.AS_IS);
      case "running_var" -> new Target(path + "/moving_variance", Layout.AS_IS);
      default -> throw new IllegalArgumentException("unknown tensor '" + tensor + "' under " + path);
    };
  }
}
