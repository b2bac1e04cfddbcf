package io.saccade.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every check has a bad source in {@code src/test/resources/bad}; its error must carry the tag, sit on
 * the line of the offending attribute, say what to do, and be the only error of the compilation.
 */
class BadSourcesTest {

  static Stream<Arguments> checks() {
    return Stream.of(
        // file, the catalogue entry (its tag), the line it must be on, a fragment of the message
        Arguments.of("RatioRange", Message.RATIO_RANGE, "targetRatio = 1.5", "targetRatio = 1.5 is outside (0, 1]"),
        Arguments.of("RatioPercent", Message.RATIO_RANGE, "targetRatio = 50", "Did you mean 0.5?"),
        Arguments.of("SpatialRatio", Message.RATIO_RANGE, "@SpatialMask(targetRatio = 0)", "positions of a selected frame"),
        Arguments.of("TemperatureRises", Message.TEMPERATURE_RISES, "to = 1.0", "@Anneal(from = 1, to = 0.01)"),
        Arguments.of("TemperaturePositive", Message.TEMPERATURE_POSITIVE, "@Anneal(to = 0)", "to = 0"),
        Arguments.of("AnnealEpochs", Message.ANNEAL_EPOCHS, "@Anneal(epochs = 0)", "at least 1 epoch"),
        Arguments.of("LossWeight", Message.LOSS_WEIGHT, "lossWeight = -1", "lossWeight = -1 is negative"),
        Arguments.of("SpatialCount", Message.SPATIAL_COUNT, "spatial = {", "at most one spatial mask"),
        Arguments.of("KeepMargin", Message.KEEP_MARGIN, "keepMargin = 0", "must start kept"),
        Arguments.of("SpatialMobileNet", Message.SPATIAL_BACKBONE, "spatial = @SpatialMask", "bottleneck ResNets only"),
        Arguments.of("GroupsNotDividing", Message.GROUPS, "@FocalBranch(groups = 3)", "stage 1 (64, 256 channels)"),
        Arguments.of("GroupsMobileNet", Message.GROUPS, "@FocalBranch(groups = 16)", "divides the channels of every adaptive stage: 1, 2, 4, 8"),
        Arguments.of("GroupsRange", Message.GROUPS_RANGE, "@FocalBranch(groups = 0)", "at least 1"),
        Arguments.of("AmpleChannels", Message.AMPLE_CHANNELS, "channelDivisor = 3", "stage 1 (64 channels)"),
        Arguments.of("AmpleStride", Message.AMPLE_STRIDE, "resolutionStride = 4", "resolutionStride = 2"),
        Arguments.of("NavigationFrames", Message.NAVIGATION_FRAMES, "frames = 1,", "needs at least 2"),
        Arguments.of("ShiftFrames", Message.SHIFT_FRAMES, "temporalShift = true)", "neighbouring frames"),
        Arguments.of("ShiftDivisor", Message.SHIFT_DIVISOR_RANGE, "shiftDivisor = 1)", "at least 2"),
        Arguments.of("WidthFraction", Message.WIDTH_FRACTION, "width = 0.3)", "19.2 stem channels, not a whole number"),
        Arguments.of("WidthRange", Message.WIDTH_RANGE, "width = 0)", "outside (0, 16]"),
        Arguments.of("WidthMobileNet", Message.WIDTH_MOBILENET, "width = 0.5)", "only ResNets have a width multiplier"),
        Arguments.of("WidthGroups", Message.WIDTH_FIT_GROUPS, "width = 0.0625)", "which groups = 8 does not divide. Use a width whose channels fit. Did you mean 0.125?"),
        Arguments.of("WidthAttention", Message.WIDTH_FIT_ATTENTION, "width = 0.015625)", "stage 1 with 4 output channels, fewer than the 16"),
        Arguments.of("WidthShift", Message.WIDTH_FIT_SHIFT, "width = 0.0625)", "4 input channels, too few to shift 1/8"),
        Arguments.of("InputStride", Message.INPUT_SIZE, "inputSize = 200)", "Did you mean 192 or 224?"),
        Arguments.of("Frames", Message.FRAMES, "frames = 0,", "at least 1 frame"),
        Arguments.of("Classes", Message.CLASSES, "classes = 0)", "at least 1 class"),
        Arguments.of("Dropout", Message.DROPOUT, "dropout = 1.0)", "outside [0, 1)"),
        Arguments.of("NameInvalid", Message.NAME_INVALID, "name = \"my-net\")", "such as \"mynet\""),
        Arguments.of("BudgetExceeded", Message.BUDGET, "@Budget(maxGflops = 20)", "costs 28.36 GFLOPs per clip, over the budget of 20"),
        Arguments.of("BudgetRange", Message.BUDGET_RANGE, "@Budget(maxGflops = 0)", "must be > 0"),
        Arguments.of("AfAndAdaFocus", Message.CONFLICT_FAMILIES, "@GlobalEncoder(", "both AFNet"),
        Arguments.of("BackboneOnAdaFocus", Message.CONFLICT_BACKBONE, "@Backbone(", "@Backbone has no meaning"),
        Arguments.of("ClassifierNotRecurrent", Message.CONFLICT_CLASSIFIER, "@Classifier(", "recurrent = true"),
        Arguments.of("ExitNotRecurrent", Message.CONFLICT_EXIT, "@ConditionalExit", "predicts once per clip"),
        Arguments.of("PolicyHidden", Message.POLICY_HIDDEN, "hidden = 1", "at least 2"),
        Arguments.of("LocalFrames", Message.LOCAL_FRAMES, "frames = -12)", "frames = -12: the local encoder needs at least 1 frame per clip. "
            + "Remove frames for the official count (LocalEncoder.OFFICIAL: int(1.5·T) = 12 per clip)"),
        Arguments.of("LocalFramesRecurrent", Message.LOCAL_FRAMES_RECURRENT, "frames = 24)", "sees the network's 16 frames"),
        Arguments.of("LocalFramesShift", Message.SHIFT_FRAMES, "frames = 1)", "temporalShift = true with frames = 1"),
        Arguments.of("LocalFramesClipSize", Message.CLIP_SIZE, "frames = 20000)", "a clip of 20008 frames of 224x224"),
        Arguments.of("FocalWithoutNavigation", Message.MISSING_AFNET, "@FocalBranch(groups = 2)", "needs @Navigation"),
        Arguments.of("NavigationWithoutBackbone", Message.MISSING_BACKBONE, "@Navigation(", "needs @Backbone"),
        Arguments.of("StageWithoutAfNet", Message.MISSING_AFNET, "@Stage(", "needs @AmpleBranch and @FocalBranch and @Navigation. "
            + "An AFNet network declares @AmpleBranch, @FocalBranch and @Navigation together: add @AmpleBranch and @FocalBranch and "
            + "@Navigation(targetRatio = 0.5)."),
        Arguments.of("NoBackbone", Message.MISSING_CNN, "@VideoNetwork(", "declares no CNN"),
        Arguments.of("AdaFocusIncomplete", Message.MISSING_ADAFOCUS, "@GlobalEncoder(", "needs @PatchPolicy"),
        Arguments.of("ExistingName", Message.NAME_EXISTS, "@VideoNetwork(", "would generate bad.ExistingNameNetwork, but that class already exists"),
        Arguments.of("MissingNetwork", Message.MISSING_NETWORK, "@Backbone(", "without @VideoNetwork"),
        Arguments.of("PatchTooLarge", Message.PATCH_SIZE, "patchSize = 256,", "larger than the 224-pixel input"),
        Arguments.of("GlobalInput", Message.GLOBAL_INPUT, "inputSize = 256)", "at most 224"),
        Arguments.of("AfOnMobileNetV2", Message.AF_BACKBONE, "@Backbone(", "MOBILENET_V2 has no AFNet layout"),
        Arguments.of("StageIndex", Message.STAGE_INDEX, "@Stage(index = 5)", "RESNET50 has stages 1 to 4"),
        Arguments.of("StageDuplicate", Message.STAGE_DUPLICATE, "@Stage(index = 2, af = false)", "more than one @Stage"),
        Arguments.of("StageOverride", Message.STAGE_NETWORK_WIDE, "lossWeight = 2.0", "network-wide"),
        Arguments.of("StageOverrideRepeated", Message.STAGE_NETWORK_WIDE, "temperature = @Anneal(to = 0.001)", "temperature is network-wide"),
        Arguments.of("StageLayout", Message.STAGE_STEM_STRIDE, "@Stage(index = 1)", "move into the stem"),
        Arguments.of("NoAdaptiveStage", Message.NO_ADAPTIVE_STAGE, "@Stage(index = 1, af = false)", "every stage"),
        Arguments.of("PrivateNested", Message.TYPE_KIND, "private interface Hidden", "it is private"),
        Arguments.of("InnerClass", Message.TYPE_KIND, "class Inner {}", "inner (non-static) class"),
        Arguments.of("GenericType", Message.TYPE_KIND, "interface GenericType<T>", "type parameters"),
        Arguments.of("EnumType", Message.TYPE_KIND, "enum EnumType", "it is an enum"),
        Arguments.of("LocalType", Message.TYPE_KIND_LOCAL, "@VideoNetwork(", "Local: it is local to a method"),
        Arguments.of("LossWeightNaN", Message.NOT_FINITE, "lossWeight = Double.NaN", "lossWeight = NaN is not a finite number. Give a number in [0, 1000000]"),
        Arguments.of("RatioInfinite", Message.NOT_FINITE, "targetRatio = Double.POSITIVE_INFINITY", "targetRatio = Infinity is not a finite number"),
        Arguments.of("BudgetInfinite", Message.NOT_FINITE, "maxGflops = Double.POSITIVE_INFINITY", "Give a number in (0, ∞)"),
        Arguments.of("WidthNaN", Message.NOT_FINITE, "width = Double.NaN", "width = NaN is not a finite number. Give a number in (0, 16]"),
        Arguments.of("RatioTiny", Message.FLOAT_ROUNDING, "targetRatio = 1e-50", "targetRatio = 1e-50 becomes 0.0 in float32"),
        Arguments.of("DropoutRounding", Message.FLOAT_ROUNDING, "dropout = 0.99999999999", "becomes 1.0 in float32"),
        Arguments.of("TemperatureRange", Message.TEMPERATURE_RANGE, "@Anneal(to = 1e-300)", "to = 1e-300 is outside [0.000001, 1000000]"),
        Arguments.of("LossWeightLarge", Message.LOSS_WEIGHT_LARGE, "lossWeight = 1e300", "lossWeight = 1e300 is above 1000000"),
        Arguments.of("ClipSize", Message.CLIP_SIZE, "frames = 100000,", "more than the 2,147,483,639 one Java array can hold"),
        Arguments.of("TooLarge", Message.TOO_LARGE, "@VideoNetwork(", "TooLarge is too large to build"),
        Arguments.of("NameOfType", Message.NAME_OF_TYPE, "name = \"NameOfType\")", "is the declaring type's own name"),
        Arguments.of("NameShadows", Message.NAME_SHADOWS, "name = \"Double\")", "which hides java.lang.Double from every source of package bad"),
        Arguments.of("NameRestricted", Message.NAME_INVALID, "name = \"var\")", "name = \"var\" is not a valid Java class name"),
        Arguments.of("ClassifierHidden", Message.CLASSIFIER_HIDDEN, "@Classifier(hidden = 0)", "hidden = 0 must be at least 1"),
        Arguments.of("RatioNotPercent", Message.RATIO_RANGE, "targetRatio = 250", "targetRatio = 250 is outside (0, 1]"),
        Arguments.of("ShiftDivisorChannels", Message.SHIFT_DIVISOR_CHANNELS, "shiftDivisor = 128)",
            "leaves no channel to shift in the narrowest block input of RESNET50 (64 channels)"),
        Arguments.of("WidthAmple", Message.WIDTH_FIT_AMPLE, "width = 0.0625)", "stage 1 with 4 bottleneck channels, which channelDivisor = 8"),
        Arguments.of("AmpleChannelsRange", Message.AMPLE_CHANNELS_RANGE, "channelDivisor = -2", "must be at least 1"),
        Arguments.of("AmpleChannelsMobileNet", Message.AMPLE_CHANNELS_MOBILENET, "channelDivisor = 2", "keep the focal channels"),
        Arguments.of("StageIndexZero", Message.STAGE_INDEX_ZERO, "@Stage(index = 0)", "numbered from 1"),
        Arguments.of("StageNavigations", Message.STAGE_NAVIGATIONS, "navigation = {", "declares 2 @Navigation annotations"),
        Arguments.of("StageDenseNavigation", Message.STAGE_DENSE_NAVIGATION, "af = false, navigation", "stage 2 is dense"),
        Arguments.of("PatchSizeRange", Message.PATCH_SIZE_RANGE, "patchSize = 0", "patchSize = 0 must be at least 1"),
        Arguments.of("GlobalInputStride", Message.GLOBAL_INPUT_STRIDE, "inputSize = 100)", "the total stride of MOBILENET_V2. Did you mean 96 or 128?"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("checks")
  void reportsOneErrorOnTheOffendingLine(String file, Message entry, String line, String text) {
    JavaFileObject source = Fixtures.source("bad/" + file + ".java");
    Compilation c = Fixtures.compiler().compile(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[saccade:" + entry.tag() + "]").inFile(source).onLineContaining(line);
    assertThat(c).hadErrorContaining(text);
    // one cause, one error
    assertThat(c).hadErrorCount(1);
    String reported = c.errors().get(0).getMessage(null);
    assertTrue(Catalogue.isFrom(entry, reported), "not " + entry + ": " + reported);
  }

  /** The wording of a message is true for the value it is about. */
  @Test
  void messagesSayWhatIsTrueOfTheValue() {
    Compilation nan = Fixtures.compile("bad/LossWeightNaN.java");
    assertTrue(nan.errors().stream().noneMatch(d -> d.getMessage(null).contains("negative")), "NaN is not negative: " + nan.errors());
    // 1.5 and 250 are not percentages: no hint; 50 is
    for (String file : new String[] {"bad/RatioRange.java", "bad/RatioNotPercent.java"}) {
      Compilation c = Fixtures.compile(file);
      assertTrue(c.errors().stream().noneMatch(d -> d.getMessage(null).contains("Did you mean")), file + ": " + c.errors());
    }
    Compilation type = Fixtures.compile("bad/NameOfType.java");
    assertTrue(type.errors().stream().noneMatch(d -> d.getMessage(null).contains("not a valid Java class name")), type.errors().toString());
  }

  /** A bug in the processor is an [saccade:internal] error on the declaration, with its stack trace as a note. */
  @Test
  void anInternalErrorCarriesItsStackTrace() {
    JavaFileObject source = Fixtures.source("good/TsnResNet50.java");
    Compilation c = com.google.testing.compile.Compiler.javac()
        .withProcessors(new NetworkProcessor(type -> {
          throw new IllegalStateException("injected for the test");
        }))
        .compile(source);
    assertThat(c).hadErrorContaining("[saccade:internal] Saccade failed while processing demo.TsnResNet50: "
        + "java.lang.IllegalStateException: injected for the test").inFile(source).onLineContaining("interface TsnResNet50");
    assertThat(c).hadErrorCount(1);
    assertTrue(c.notes().stream().anyMatch(n -> n.getMessage(null).contains("injected for the test")
        && n.getMessage(null).contains("at io.saccade.processor.BadSourcesTest")), "the stack trace as a note: " + c.notes());
  }

  @Test
  void twoTypesGeneratingOneClassClash() {
    JavaFileObject a = Fixtures.source("bad/NameClashA.java");
    JavaFileObject b = Fixtures.source("bad/NameClashB.java");
    Compilation c = Fixtures.compiler().compile(a, b);
    assertThat(c).hadErrorContaining("[saccade:name-clash]").inFile(b).onLineContaining("@VideoNetwork(");
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void isDeclaredDynamicForGradle() throws java.io.IOException {
    try (var in = NetworkProcessor.class.getResourceAsStream("/META-INF/gradle/incremental.annotation.processors")) {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
      org.junit.jupiter.api.Assertions.assertEquals("io.saccade.processor.NetworkProcessor,dynamic", text);
    }
  }

  @Test
  void anErroneousValueIsLeftToJavac() {
    Compilation c = Fixtures.compile("bad/ErroneousValue.java");
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertTrue(c.errors().stream().noneMatch(d -> d.getMessage(null).contains("[saccade:")), c.errors().toString());
  }

  @Test
  void everyMessageEndsWithAFix() {
    for (Message m : Message.values()) {
      String text = m.format(new Object[m.slots()]);
      assertTrue(text.startsWith("[saccade:" + m.tag() + "] "), text);
      assertTrue(text.contains(". "), "problem, then fix: " + text);
    }
    Compilation c = Fixtures.compile("bad/GroupsNotDividing.java");
    Diagnostic<? extends JavaFileObject> d = c.errors().get(0);
    assertTrue(d.getMessage(null).contains("Use a value that divides the channels of every adaptive stage: 1, 2, 4, 8, 16, 32."),
        d.getMessage(null));
  }
}
