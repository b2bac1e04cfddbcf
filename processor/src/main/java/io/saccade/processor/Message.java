package io.saccade.processor;

import java.util.Locale;

/**
 * Every diagnostic the processor can report, each with a stable tag (searchable, and what tests
 * assert), the problem, and how to fix it. Arguments fill the {@code %s} slots of problem and fix in
 * order.
 *
 * <pre>{@code
 * Message.RATIO_RANGE.format("targetRatio", "1.5", "")
 * // "[saccade:ratio-range] targetRatio = 1.5 is outside (0, 1]. Give a fraction of ..."
 * }</pre>
 */
enum Message {
  // ---- the declaration as a whole
  MISSING_NETWORK(
      "missing-network",
      "@%s on %s does nothing without @VideoNetwork",
      "Add @VideoNetwork(frames = ..., classes = ...) to the same type."),
  TYPE_KIND(
      "type-kind",
      "Saccade cannot generate a network for %s: %s",
      "Declare networks on a top-level or static nested class or interface that is not private and has no type parameters."),
  NAME_INVALID(
      "name",
      "name = \"%s\" is not a valid Java class name",
      "Use a simple identifier such as \"%s\", or leave name empty for %s."),
  NAME_CLASH(
      "name-clash",
      "%s and %s would both generate %s",
      "Give one of them its own @VideoNetwork(name = ...)."),
  CONFLICT(
      "conflict",
      "%s",
      "%s"),
  MISSING_ANNOTATION(
      "missing-annotation",
      "%s",
      "%s"),

  // ---- @VideoNetwork
  FRAMES("frames", "frames = %s: a clip needs at least 1 frame", "AFNet uses 8-12 frames, AdaFocusV2 16."),
  CLASSES("classes", "classes = %s: a classifier needs at least 1 class", "Set classes to the size of your label set, e.g. 174 for Something-Something."),
  INPUT_SIZE(
      "input-stride",
      "%s = %s is not a positive multiple of 32, the total stride of %s",
      "Did you mean %s?"),
  DROPOUT("dropout", "dropout = %s is outside [0, 1)", "Use 0 for none, or a rate such as 0.5."),

  // ---- @Backbone
  SHIFT_FRAMES(
      "shift-frames",
      "temporalShift = true with frames = %s: a temporal shift exchanges channels between neighbouring frames and needs at least 2",
      "Use frames >= 2 (TSM uses 8), or temporalShift = false."),
  SHIFT_DIVISOR(
      "shift-divisor",
      "shiftDivisor = %s %s",
      "TSM and AFNet shift 1/8 of the channels each way: shiftDivisor = 8."),
  WIDTH("width", "width = %s %s", "%s"),
  AF_BACKBONE(
      "af-backbone",
      "%s has no AFNet layout",
      "AFNet is defined for RESNET50, RESNET101, MOBILENET_V3_LARGE and MOBILENET_V3_SMALL; use one of them, or drop @AmpleBranch, @FocalBranch and @Navigation for a dense network."),

  // ---- AFNet branches
  GROUPS_RANGE("groups", "groups = %s must be at least 1", "The official focal branch uses groups = 2."),
  GROUPS(
      "groups",
      "groups = %s does not divide the focal channels of %s (%s)",
      "Use a value that divides the channels of every adaptive stage: %s."),
  AMPLE_CHANNELS(
      "ample-channels",
      "channelDivisor = %s %s",
      "%s"),
  AMPLE_STRIDE(
      "ample-stride",
      "resolutionStride = %s is not supported: the ample branch runs at half the focal resolution",
      "Use resolutionStride = 2 (the default)."),

  // ---- @Navigation and @Anneal
  RATIO_RANGE(
      "ratio-range",
      "%s = %s is outside (0, 1]",
      "Give the fraction of %s to compute, e.g. 0.5 for half.%s"),
  LOSS_WEIGHT("loss-weight", "lossWeight = %s is negative", "Use λ >= 0; the released AFNet scripts use 0.5."),
  TEMPERATURE_RISES(
      "temperature-rises",
      "the temperature schedule rises from %s to %s",
      "Gumbel-softmax is annealed downwards so the masks harden: swap them, @Anneal(from = %s, to = %s)."),
  TEMPERATURE_POSITIVE(
      "temperature-positive",
      "%s = %s: a Gumbel-softmax temperature must be > 0",
      "The softmax divides by τ; the official schedule goes from 1.0 to 0.01."),
  ANNEAL_EPOCHS("anneal-epochs", "epochs = %s: the schedule needs at least 1 epoch", "The official schedule anneals over 50 epochs."),
  KEEP_MARGIN(
      "keep-margin",
      "keepMargin = %s: every frame must start kept, so the margin of keep over skip must be > 0, and at most 1e6",
      "Use the official 9, or 1 for short runs that should learn to drop frames quickly."),
  SPATIAL_COUNT("spatial-count", "%s @SpatialMask annotations on one @Navigation", "Declare at most one spatial mask per navigation."),
  SPATIAL_BACKBONE(
      "spatial-backbone",
      "a @SpatialMask on %s: spatial masks are defined for the bottleneck ResNets only (the official AF-MobileNetV3 selects frames, not positions)",
      "Remove spatial = ..., or use a RESNET50 / RESNET101 backbone."),
  NAVIGATION_FRAMES(
      "navigation-frames",
      "frames = %s: AFNet's navigation chooses frames within a clip and needs at least 2",
      "Use frames >= 2 (AFNet uses 8-12), or remove @AmpleBranch, @FocalBranch and @Navigation for a per-frame network."),

  // ---- @Stage
  STAGE_INDEX("stage-index", "@Stage(index = %s): %s has stages %s to %s", "%s"),
  STAGE_DUPLICATE(
      "stage-duplicate",
      "stage %s is configured by more than one @Stage",
      "Merge them into one @Stage(index = %s, ...)."),
  STAGE_OVERRIDE("stage-override", "%s", "%s"),
  NO_ADAPTIVE_STAGE(
      "no-adaptive-stage",
      "every stage of %s is dense (af = false)",
      "Leave at least one stage adaptive, or drop @AmpleBranch, @FocalBranch and @Navigation for a dense network."),
  STAGE_LAYOUT("stage-layout", "stage %s of %s cannot be adaptive: %s", "%s"),

  // ---- AdaFocusV2
  PATCH_SIZE(
      "patch-size",
      "patchSize = %s is larger than the %s-pixel input",
      "Use a patch smaller than the frame; AdaFocusV2 uses 96, 128 or 160 at 224."),
  PATCH_SIZE_RANGE("patch-size", "patchSize = %s must be at least 1", "AdaFocusV2 uses 96, 128 or 160 at 224."),
  GLOBAL_INPUT(
      "global-input",
      "inputSize = %s is larger than the network's %s-pixel frames",
      "The global encoder sees downscaled frames: use at most %s (AdaFocusV2 uses 224 for MobileNetV2, 96 for ResNet-50)."),
  CLASSIFIER_HIDDEN("classifier-hidden", "hidden = %s must be at least 1", "The official classifier uses 4096."),
  POLICY_HIDDEN("policy-hidden", "hidden = %s: the policy's hidden width must be %s", "Use PatchPolicy.OFFICIAL (2048 recurrent, 1024 per clip) or a smaller width such as 256."),

  // ---- @Budget
  BUDGET_RANGE("budget-range", "maxGflops = %s must be > 0", "Give the largest GFLOPs per clip you accept, e.g. 30."),
  BUDGET(
      "budget",
      "%s costs %s GFLOPs per clip, over the budget of %s GFLOPs",
      "Lower frames, inputSize or targetRatio, choose a lighter backbone, or raise maxGflops. Largest stages: %s."),

  // ---- limits of the current runtime, kept in one place so they are easy to lift
  UNSUPPORTED("unsupported", "%s is not supported by this version of the Saccade runtime", "%s"),

  // ---- our own failure
  INTERNAL(
      "internal",
      "Saccade failed while processing %s: %s",
      "This is a bug in the Saccade processor; please report it with this declaration.");

  private final String tag;
  private final String problem;
  private final String fix;

  Message(String tag, String problem, String fix) {
    this.tag = tag;
    this.problem = problem;
    this.fix = fix;
  }

  /** The stable tag, e.g. {@code ratio-range}. */
  String tag() {
    return tag;
  }

  /** {@code [saccade:tag] problem. fix.} with {@code args} filling problem's then fix's slots. */
  String format(Object... args) {
    String text = String.format(Locale.ROOT, "[saccade:" + tag + "] " + problem + ". " + fix, args).strip();
    return text.endsWith(".") || text.endsWith("?") ? text : text + ".";
  }
}
