package io.saccade.processor;

import java.util.Locale;

/**
 * Every diagnostic the processor can report, each with a stable tag (searchable, and what tests
 * assert), the problem, and how to fix it. Arguments fill the {@code %s} slots of problem and fix in
 * order; they are values (numbers, names, lists of them) or a {@link Phrase}, so every word a user reads
 * is in this file.
 *
 * <pre>{@code
 * Message.RATIO_RANGE.format("50", Phrase.OF_FRAMES.format(), Phrase.DID_YOU_MEAN.format("0.5"))
 * // "[saccade:ratio-range] targetRatio = 50 is outside (0, 1]. Give the fraction of frames to compute,
 * //  e.g. 0.5 for half. Did you mean 0.5?"
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
  TYPE_KIND_LOCAL(
      "type-kind",
      "Saccade cannot generate a network for %s: it is local to a method, and javac gives processors no local types",
      "Move it out of the method body: declare it as a top-level or static nested class or interface."),
  NAME_INVALID(
      "name",
      "name = \"%s\" is not a valid Java class name",
      "Use a simple identifier such as \"%s\", or leave name empty for %s."),
  NAME_OF_TYPE(
      "name-clash",
      "name = \"%s\" is the declaring type's own name: the generated class would clash with %s",
      "Give the generated class another name, e.g. \"%s\", or leave name empty for it."),
  NAME_CLASH(
      "name-clash",
      "%s and %s would both generate %s",
      "Give one of them its own @VideoNetwork(name = ...)."),
  NAME_SHADOWS(
      "name-clash",
      "%s would generate %s, which hides %s from every source of package %s",
      "Give the generated class a name that no class of java.lang or io.saccade.dsl has, e.g. \"%s\"."),
  NAME_EXISTS(
      "name-clash",
      "%s would generate %s, but that class already exists",
      "Give the generated class another name with @VideoNetwork(name = ...), or rename the existing class."),
  CONFLICT_FAMILIES(
      "conflict",
      "%s declares both AFNet (%s) and AdaFocusV2 (%s)",
      "A network is one family: keep either the AFNet annotations or the AdaFocusV2 ones."),
  CONFLICT_BACKBONE(
      "conflict",
      "@Backbone has no meaning on the AdaFocusV2 network %s",
      "AdaFocusV2 names its CNNs in @GlobalEncoder(backbone = ...) and @LocalEncoder(backbone = ...): remove @Backbone."),
  CONFLICT_EXIT(
      "conflict",
      "@ConditionalExit stops after the first confident frame, but @PatchPolicy(recurrent = false) predicts once per clip",
      "Remove @ConditionalExit, or use @PatchPolicy(recurrent = true)."),
  CONFLICT_CLASSIFIER(
      "conflict",
      "@Classifier describes the recurrent variant's classifier, but @PatchPolicy(recurrent = false) sums the encoders' own heads",
      "Remove @Classifier, or use @PatchPolicy(recurrent = true)."),
  MISSING_ADAFOCUS(
      "missing-annotation",
      "%s on %s needs %s",
      "An AdaFocusV2 network declares @GlobalEncoder, @PatchPolicy and @LocalEncoder together: add %s."),
  MISSING_BACKBONE(
      "missing-annotation",
      "%s on %s needs @Backbone",
      "Add @Backbone(Backbones.RESNET50) (or another backbone) to choose the CNN whose stages become adaptive."),
  MISSING_AFNET(
      "missing-annotation",
      "%s on %s needs %s",
      "An AFNet network declares @AmpleBranch, @FocalBranch and @Navigation together: add %s."),
  MISSING_CNN(
      "missing-annotation",
      "%s declares no CNN",
      "Add @Backbone(Backbones.RESNET50) for a dense or AFNet network, or @GlobalEncoder, @PatchPolicy and @LocalEncoder for AdaFocusV2."),

  // ---- any number
  NOT_FINITE(
      "not-finite",
      "%s = %s is not a finite number",
      "Give a number in %s."),
  FLOAT_ROUNDING(
      "float-range",
      "%s = %s becomes %s in float32, the precision the generated code and the runtime use, which is outside %s",
      "Give a value that stays inside %s as a float, e.g. %s."),

  // ---- @VideoNetwork
  FRAMES("frames", "frames = %s: a clip needs at least 1 frame", "AFNet uses 8-12 frames, AdaFocusV2 16."),
  CLASSES("classes", "classes = %s: a classifier needs at least 1 class", "Set classes to the size of your label set, e.g. 174 for Something-Something."),
  INPUT_SIZE(
      "input-stride",
      "inputSize = %s is not a positive multiple of 32, the total stride of %s",
      "Did you mean %s?"),
  CLIP_SIZE(
      "clip-size",
      "a clip of %s frames of %sx%s RGB pixels holds %s values, more than the %s one Java array can hold",
      "The runtime loads a clip into one float array: lower frames or inputSize."),
  TOO_LARGE(
      "too-large",
      "%s is too large to build: a channel count overflows the 32-bit sizes TensorFlow shapes use, or a parameter count 64 bits",
      "Lower frames, inputSize, classes or the hidden widths."),
  DROPOUT("dropout", "dropout = %s is outside [0, 1)", "Use 0 for none, or a rate such as 0.5."),

  // ---- @Backbone
  SHIFT_FRAMES(
      "shift-frames",
      "temporalShift = true with frames = %s: a temporal shift exchanges channels between neighbouring frames and needs at least 2",
      "Use frames >= 2 (TSM uses 8), or temporalShift = false."),
  SHIFT_DIVISOR_RANGE(
      "shift-divisor",
      "shiftDivisor = %s must be at least 2: C/shiftDivisor channels move forward and as many back",
      "TSM and AFNet shift 1/8 of the channels each way: shiftDivisor = 8."),
  SHIFT_DIVISOR_CHANNELS(
      "shift-divisor",
      "shiftDivisor = %s leaves no channel to shift in the narrowest block input of %s (%s channels)",
      "Use a divisor of at most %s; TSM and AFNet use 8."),
  WIDTH_MOBILENET(
      "width",
      "width = %s is not supported for %s: only ResNets have a width multiplier",
      "Use width = 1.0 (the default) with a MobileNet, or a ResNet backbone."),
  WIDTH_RANGE(
      "width",
      "width = %s is outside (0, %s]",
      "1.0 gives the published widths, 0.25 a quarter of the channels."),
  WIDTH_FRACTION(
      "width",
      "width = %s gives %s stem channels, not a whole number",
      "Use a multiple of 1/64 (stem channels 64·width). %s"),
  WIDTH_FIT_AMPLE(
      "width",
      "width = %s leaves stage %s with %s bottleneck channels, which channelDivisor = %s does not divide",
      "Use a width whose channels fit. %s"),
  WIDTH_FIT_GROUPS(
      "width",
      "width = %s leaves stage %s with focal convolutions of %s channels, which groups = %s does not divide",
      "Use a width whose channels fit. %s"),
  WIDTH_FIT_ATTENTION(
      "width",
      "width = %s leaves stage %s with %s output channels, fewer than the %s its fusion attention divides them by",
      "Use a width whose channels fit. %s"),
  WIDTH_FIT_SHIFT(
      "width",
      "width = %s leaves a block with %s input channels, too few to shift 1/%s of them each way",
      "Use a width whose channels fit. %s"),
  AF_BACKBONE(
      "af-backbone",
      "%s has no AFNet layout",
      "AFNet is defined for RESNET50, RESNET101, MOBILENET_V3_LARGE and MOBILENET_V3_SMALL; use one of them, or drop @AmpleBranch, @FocalBranch and @Navigation for a dense network."),

  // ---- AFNet branches
  GROUPS_RANGE("groups", "groups = %s must be at least 1", "The official focal branch uses groups = 2."),
  GROUPS(
      "groups",
      "groups = %s does not divide the focal channels of stage %s (%s channels)",
      "Use a value that divides the channels of every adaptive stage: %s."),
  AMPLE_CHANNELS_RANGE(
      "ample-channels",
      "channelDivisor = %s must be at least 1 (or AmpleBranch.OFFICIAL)",
      "The official ample branch of a ResNet halves the channels: channelDivisor = 2."),
  AMPLE_CHANNELS_MOBILENET(
      "ample-channels",
      "channelDivisor = %s does not fit %s: its ample blocks keep the focal channels, as in the official code",
      "Use channelDivisor = 1 or AmpleBranch.OFFICIAL."),
  AMPLE_CHANNELS(
      "ample-channels",
      "channelDivisor = %s does not divide the bottleneck width of stage %s (%s channels)",
      "Use a divisor of %s, e.g. %s."),
  AMPLE_STRIDE(
      "ample-stride",
      "resolutionStride = %s is not supported: the ample branch runs at half the focal resolution",
      "Use resolutionStride = 2 (the default)."),

  // ---- @Navigation and @Anneal
  RATIO_RANGE(
      "ratio-range",
      "targetRatio = %s is outside (0, 1]",
      "Give the fraction of %s to compute, e.g. 0.5 for half. %s"),
  LOSS_WEIGHT("loss-weight", "lossWeight = %s is negative", "Use λ >= 0; the released AFNet scripts use 0.5."),
  LOSS_WEIGHT_LARGE("loss-weight", "lossWeight = %s is above %s, where the ratio loss would swamp the classification loss", "Use λ in [0, %s]; the released AFNet scripts use 0.5."),
  TEMPERATURE_RISES(
      "temperature-rises",
      "the temperature schedule rises from %s to %s",
      "Gumbel-softmax is annealed downwards so the masks harden: swap them, @Anneal(from = %s, to = %s)."),
  TEMPERATURE_POSITIVE(
      "temperature-positive",
      "%s = %s: a Gumbel-softmax temperature must be > 0",
      "The softmax divides by τ; the official schedule goes from 1.0 to 0.01."),
  TEMPERATURE_RANGE(
      "temperature-positive",
      "%s = %s is outside [%s, %s], where float32 logits divided by τ stay finite and distinct",
      "The official schedule goes from 1.0 to 0.01."),
  ANNEAL_EPOCHS("anneal-epochs", "epochs = %s: the schedule needs at least 1 epoch", "The official schedule anneals over 50 epochs."),
  KEEP_MARGIN(
      "keep-margin",
      "keepMargin = %s: every frame must start kept, so the margin of keep over skip must be > 0, and at most %s",
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
  STAGE_INDEX_ZERO("stage-index", "@Stage(index = 0): %s has stages 1 to %s", "Stages are numbered from 1, after the stem."),
  STAGE_INDEX("stage-index", "@Stage(index = %s): %s has stages 1 to %s", "Use an index from 1 to %s."),
  STAGE_DUPLICATE(
      "stage-duplicate",
      "stage %s is configured by more than one @Stage",
      "Merge them into one @Stage(index = %s, ...)."),
  STAGE_NETWORK_WIDE(
      "stage-override",
      "%s is network-wide and cannot change per stage",
      "Set it on the type's @Navigation."),
  STAGE_NAVIGATIONS(
      "stage-override",
      "@Stage(index = %s) declares %s @Navigation annotations",
      "Give a stage at most one @Navigation."),
  STAGE_DENSE_NAVIGATION(
      "stage-override",
      "stage %s is dense (af = false) but declares a @Navigation",
      "Remove af = false to make the stage adaptive with this navigation, or remove the navigation."),
  NO_ADAPTIVE_STAGE(
      "no-adaptive-stage",
      "every stage of %s is dense (af = false)",
      "Leave at least one stage adaptive, or drop @AmpleBranch, @FocalBranch and @Navigation for a dense network."),
  STAGE_ONE_BLOCK(
      "stage-layout",
      "stage %s of %s cannot be adaptive: it has only %s block; an AFNet stage needs at least 2",
      "Keep stage %s dense (af = false)."),
  STAGE_STEM_STRIDE(
      "stage-layout",
      "stage 1 of %s cannot be adaptive: its downsampling would have to move into the stem",
      "Keep stage 1 dense and make later stages adaptive."),
  STAGE_PREVIOUS_STRIDE(
      "stage-layout",
      "stage %s of %s cannot be adaptive: its downsampling would have to move into stage %s, whose only block already downsamples",
      "Make stage %s adaptive too, or keep stage %s dense."),

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
  GLOBAL_INPUT_STRIDE(
      "input-stride",
      "inputSize = %s is not a positive multiple of 32, the total stride of %s",
      "Did you mean %s?"),
  CLASSIFIER_HIDDEN("classifier-hidden", "hidden = %s must be at least 1", "The official classifier uses 4096."),
  LOCAL_FRAMES(
      "local-frames",
      "frames = %s: the local encoder needs at least 1 frame per clip",
      "Remove frames for the official count (LocalEncoder.OFFICIAL: %s), or give a positive count."),
  LOCAL_FRAMES_RECURRENT(
      "local-frames",
      "frames = %s: the recurrent policy gives one patch per glance frame, so its local encoder sees the network's %s frames",
      "Remove frames (LocalEncoder.OFFICIAL), or use @PatchPolicy(recurrent = false) for focus frames sampled apart from the glance's."),
  POLICY_HIDDEN("policy-hidden", "hidden = %s: the policy's hidden width must be %s", "Use PatchPolicy.OFFICIAL (2048 recurrent, 1024 per clip) or a smaller width such as 256."),

  // ---- @Budget
  BUDGET_RANGE("budget-range", "maxGflops = %s must be > 0", "Give the largest GFLOPs per clip you accept, e.g. 30."),
  BUDGET(
      "budget",
      "%s costs %s GFLOPs per clip, over the budget of %s GFLOPs",
      "Lower frames, inputSize or targetRatio, choose a lighter backbone, or raise maxGflops. Largest stages: %s."),

  // ---- our own failure
  INTERNAL(
      "internal",
      "Saccade failed while processing %s: %s at %s",
      "This is a bug in the Saccade processor; please report it with this declaration and the stack trace in the note below."),
  INTERNAL_WRITE(
      "internal",
      "Saccade could not write %s: %s",
      "Check that the output directory is writable; if it is, this is a bug in Saccade: please report it.");

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

  /** How many arguments {@link #format} takes: the {@code %s} slots of problem and fix. */
  int slots() {
    return count(problem) + count(fix);
  }

  private static int count(String text) {
    int n = 0;
    for (int i = text.indexOf("%s"); i >= 0; i = text.indexOf("%s", i + 2)) {
      n++;
    }
    return n;
  }

  /** The problem, with its {@code %s} slots. */
  String problem() {
    return problem;
  }

  /** The fix, with its {@code %s} slots. */
  String fix() {
    return fix;
  }

  /**
   * {@code [saccade:tag] problem. fix.} with {@code args} filling problem's then fix's slots.
   *
   * @throws IllegalArgumentException unless there is exactly one argument per slot
   */
  String format(Object... args) {
    if (args.length != slots()) {
      throw new IllegalArgumentException(name() + " takes " + slots() + " arguments, got " + args.length);
    }
    String text = String.format(Locale.ROOT, "[saccade:" + tag + "] " + problem + ". " + fix, args).strip();
    return text.endsWith(".") || text.endsWith("?") ? text : text + ".";
  }

  /**
   * The words a message argument is sometimes made of: why a type cannot be generated for, a hint that
   * is given only when there is one ({@link #NOTHING} otherwise), a wording that depends on the
   * declaration.
   *
   * <pre>{@code
   * Phrase.DID_YOU_MEAN.format("0.125 or 0.25")   // "Did you mean 0.125 or 0.25?"
   * }</pre>
   */
  enum Phrase {
    /** No hint: a message ending in a hint slot then ends after its fix. */
    NOTHING(""),
    DID_YOU_MEAN("Did you mean %s?"),

    // why a type cannot declare a network (Message.TYPE_KIND)
    IS_ENUM("it is an enum"),
    IS_ANNOTATION_TYPE("it is an annotation type"),
    HAS_TYPE_PARAMETERS("it has type parameters %s"),
    IS_PRIVATE("it is private"),
    IN_PRIVATE_TYPE("it is nested in the private type %s"),
    IS_LOCAL("it is local to a method"),
    IS_INNER_CLASS("it is an inner (non-static) class of %s"),
    IN_INNER_CLASS("it is nested in the inner class %s"),

    // what a target ratio is a fraction of (Message.RATIO_RANGE)
    OF_FRAMES("frames"),
    OF_POSITIONS("positions of a selected frame"),

    /** Whose total stride an input size must be a multiple of, when no backbone is named. */
    GLOBAL_ENCODER("the global encoder"),
    /** The @Navigation a declaration missing one should add (Message.MISSING_AFNET). */
    ADD_NAVIGATION("@Navigation(targetRatio = 0.5)"),

    // the smallest policy width (Message.POLICY_HIDDEN)
    HIDDEN_RECURRENT("at least 1"),
    HIDDEN_PER_CLIP("at least 2 (its second layer is half as wide)"),

    // the official focus frame count (Message.LOCAL_FRAMES)
    FOCUS_RECURRENT("T = %s"),
    FOCUS_PER_CLIP("int(1.5·T) = %s per clip");

    private final String text;

    Phrase(String text) {
      this.text = text;
    }

    /** The phrase with {@code args} in its slots. */
    String format(Object... args) {
      if (args.length != count(text)) {
        throw new IllegalArgumentException(name() + " takes " + count(text) + " arguments, got " + args.length);
      }
      return String.format(Locale.ROOT, text, args);
    }
  }
}
