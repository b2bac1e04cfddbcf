package io.saccade.runtime.interop;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The key layouts of pretrained weights that {@link PretrainedWeights} recognises, each told apart by keys
 * only it has. Keys are compared after stripping the {@code module.} (DataParallel) and {@code base_model.}
 * (the official TSN wrapper) prefixes.
 *
 * <pre>{@code
 * PretrainedLayout.detect(weights.keySet());   // Optional[TORCHVISION_RESNET] for a torchvision resnet50 state dict
 * }</pre>
 */
public enum PretrainedLayout {
  /**
   * torchvision's (and timm's, which uses the same names) ResNet-50/101: {@code conv1}, {@code bn1},
   * {@code layer1.0.conv1} … {@code layer4.2.downsample.1}, {@code fc}.
   */
  TORCHVISION_RESNET(
      "torchvision/timm ResNet", "conv1.weight, layer1.0.conv1.weight, fc.weight",
      keys -> keys.contains("conv1.weight") && keys.contains("layer1.0.conv1.weight")),
  /** torchvision's MobileNetV2: {@code features.0.0}, {@code features.1.conv.0.0}, {@code features.18.0}, {@code classifier.1}. */
  TORCHVISION_MOBILENET_V2(
      "torchvision MobileNetV2", "features.1.conv.0.0.weight, classifier.1.weight",
      keys -> keys.contains("features.1.conv.0.0.weight")),
  /**
   * tonylins/pytorch-mobilenet-v2, the ImageNet MobileNetV2 AdaFocusV2's global CNN starts from:
   * {@code features.1.conv.0}, {@code features.2.conv.6}, {@code classifier}.
   */
  TONYLINS_MOBILENET_V2(
      "tonylins MobileNetV2 (AdaFocusV2's global CNN)", "features.1.conv.0.weight, features.1.conv.3.weight",
      keys -> keys.contains("features.1.conv.0.weight") && keys.contains("features.1.conv.3.weight")),
  /**
   * torchvision's MobileNetV3-Large and -Small: {@code features.1.block.0.0}, {@code features.4.block.2.fc1},
   * {@code classifier.0}, {@code classifier.3}; BatchNorm eps 0.001.
   */
  TORCHVISION_MOBILENET_V3(
      "torchvision MobileNetV3", "features.1.block.0.0.weight, classifier.3.weight",
      keys -> keys.contains("features.1.block.0.0.weight")),
  /** timm's {@code mobilenetv2_100}: {@code conv_stem}, {@code blocks.1.0.conv_pw}, {@code conv_head}, {@code bn2}, {@code classifier}. */
  TIMM_MOBILENET_V2(
      "timm MobileNetV2 (mobilenetv2_100)", "conv_stem.weight, blocks.0.0.conv_dw.weight, bn2.weight",
      keys -> keys.contains("conv_stem.weight") && keys.contains("blocks.0.0.conv_dw.weight") && keys.contains("bn2.weight")),
  /**
   * timm's {@code mobilenetv3_large_100} / {@code mobilenetv3_small_100}: {@code conv_stem},
   * {@code blocks.2.0.se.conv_reduce}, {@code blocks.6.0.conv} (the last 1×1 conv), {@code conv_head} (with
   * bias), {@code classifier}.
   */
  TIMM_MOBILENET_V3(
      "timm MobileNetV3 (mobilenetv3_large_100 / _small_100)", "conv_stem.weight, blocks.0.0.conv_dw.weight, conv_head.bias",
      keys -> keys.contains("conv_stem.weight") && keys.contains("blocks.0.0.conv_dw.weight") && keys.contains("conv_head.bias")),
  /**
   * The official AFNet AF-ResNet-50/101 (ImageNet or Something-Something, with or without TSM):
   * {@code layer1.base_module}, {@code layer1.refine_module}, {@code layer1.list_gen}, {@code fc} or {@code new_fc}.
   */
  AFNET_RESNET(
      "official AFNet AF-ResNet", "layer1.base_module.0.conv1.weight",
      keys -> keys.contains("layer1.base_module.0.conv1.weight")),
  /** The official AFNet AF-MobileNetV3: {@code features_head}, {@code features_stage2_base}, {@code list_gen2}, {@code fc.3}. */
  AFNET_MOBILENET_V3(
      "official AFNet AF-MobileNetV3", "features_head.0.conv1.weight",
      keys -> keys.contains("features_head.0.conv1.weight")),
  /** The official recurrent AdaFocusV2 (ActivityNet/FCVID/Mini-Kinetics), see {@link OfficialAdaFocusV2Keys}. */
  ADAFOCUSV2_RECURRENT(
      OfficialAdaFocusV2Keys.Variant.RECURRENT.toString(), OfficialAdaFocusV2Keys.Variant.RECURRENT.telltale(),
      keys -> OfficialAdaFocusV2Keys.detect(normalised(keys)).orElse(null) == OfficialAdaFocusV2Keys.Variant.RECURRENT),
  /** The official per-clip AdaFocusV2 (Something-Something/Jester), see {@link OfficialAdaFocusV2Keys}. */
  ADAFOCUSV2_PER_CLIP(
      OfficialAdaFocusV2Keys.Variant.PER_CLIP.toString(), OfficialAdaFocusV2Keys.Variant.PER_CLIP.telltale(),
      keys -> OfficialAdaFocusV2Keys.detect(normalised(keys)).orElse(null) == OfficialAdaFocusV2Keys.Variant.PER_CLIP);

  private static Set<String> normalised(Set<String> keys) {
    return keys.stream().map(OfficialAdaFocusV2Keys::normalise).collect(Collectors.toSet());
  }

  private final String title;
  private final String telltale;
  private final Predicate<Set<String>> test;

  PretrainedLayout(String title, String telltale, Predicate<Set<String>> test) {
    this.title = title;
    this.telltale = telltale;
    this.test = test;
  }

  /** The layout of a state dict with these (prefix-stripped) keys, if Saccade knows it. */
  public static Optional<PretrainedLayout> detect(Set<String> keys) {
    // Tonylins before torchvision MobileNetV2: both have features.N.conv.*; AF layouts before ResNet's.
    for (PretrainedLayout l : new PretrainedLayout[] {
        ADAFOCUSV2_RECURRENT, ADAFOCUSV2_PER_CLIP, AFNET_RESNET, AFNET_MOBILENET_V3, TORCHVISION_RESNET, TONYLINS_MOBILENET_V2, TORCHVISION_MOBILENET_V2,
        TORCHVISION_MOBILENET_V3, TIMM_MOBILENET_V2, TIMM_MOBILENET_V3}) {
      if (l.test.test(keys)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /** One line per layout: its title and the keys that identify it (for the "unknown layout" error). */
  public static String catalogue() {
    return Arrays.stream(values())
        .map(l -> "  " + l.title + ": " + l.telltale)
        .collect(Collectors.joining("\n"));
  }

  /** Whether this is an official AdaFocusV2 checkpoint (the whole network: encoders, policy, classifier). */
  public boolean isAdaFocusV2() {
    return this == ADAFOCUSV2_RECURRENT || this == ADAFOCUSV2_PER_CLIP;
  }

  /** Whether this is an AFNet layout (an AFNet's stages, navigation and fusion). */
  public boolean isAfNet() {
    return this == AFNET_RESNET || this == AFNET_MOBILENET_V3;
  }

  /** A readable name, e.g. {@code torchvision MobileNetV3}. */
  public String title() {
    return title;
  }

  @Override
  public String toString() {
    return title;
  }
}
