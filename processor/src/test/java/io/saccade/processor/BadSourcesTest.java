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
        // file, tag, the line it must be on, a fragment of the message
        Arguments.of("RatioRange", "ratio-range", "targetRatio = 1.5", "targetRatio = 1.5 is outside (0, 1]"),
        Arguments.of("RatioPercent", "ratio-range", "targetRatio = 50", "Did you mean 0.5?"),
        Arguments.of("SpatialRatio", "ratio-range", "@SpatialMask(targetRatio = 0)", "positions of a selected frame"),
        Arguments.of("TemperatureRises", "temperature-rises", "to = 1.0", "@Anneal(from = 1, to = 0.01)"),
        Arguments.of("TemperaturePositive", "temperature-positive", "@Anneal(to = 0)", "to = 0"),
        Arguments.of("AnnealEpochs", "anneal-epochs", "@Anneal(epochs = 0)", "at least 1 epoch"),
        Arguments.of("LossWeight", "loss-weight", "lossWeight = -1", "lossWeight = -1 is negative"),
        Arguments.of("SpatialCount", "spatial-count", "spatial = {", "at most one spatial mask"),
        Arguments.of("KeepMargin", "keep-margin", "keepMargin = 0", "must start kept"),
        Arguments.of("SpatialMobileNet", "spatial-backbone", "spatial = @SpatialMask", "bottleneck ResNets only"),
        Arguments.of("GroupsNotDividing", "groups", "@FocalBranch(groups = 3)", "stage 1 (64, 256 channels)"),
        Arguments.of("GroupsMobileNet", "groups", "@FocalBranch(groups = 16)", "divides the channels of every adaptive stage: 1, 2, 4, 8"),
        Arguments.of("GroupsRange", "groups", "@FocalBranch(groups = 0)", "at least 1"),
        Arguments.of("AmpleChannels", "ample-channels", "channelDivisor = 3", "stage 1 (64 channels)"),
        Arguments.of("AmpleStride", "ample-stride", "resolutionStride = 4", "resolutionStride = 2"),
        Arguments.of("NavigationFrames", "navigation-frames", "frames = 1,", "needs at least 2"),
        Arguments.of("ShiftFrames", "shift-frames", "temporalShift = true)", "neighbouring frames"),
        Arguments.of("ShiftDivisor", "shift-divisor", "shiftDivisor = 1)", "at least 2"),
        Arguments.of("WidthFraction", "width", "width = 0.3)", "19.2 stem channels, not a whole number"),
        Arguments.of("WidthRange", "width", "width = 0)", "outside (0, 16]"),
        Arguments.of("WidthMobileNet", "width", "width = 0.5)", "only ResNets have a width multiplier"),
        Arguments.of("WidthGroups", "width", "width = 0.0625)", "which groups = 8 does not divide. Use a width whose channels fit. Did you mean 0.125?"),
        Arguments.of("WidthAttention", "width", "width = 0.015625)", "stage 1 with 4 output channels, fewer than the 16"),
        Arguments.of("WidthShift", "width", "width = 0.0625)", "4 input channels, too few to shift 1/8"),
        Arguments.of("InputStride", "input-stride", "inputSize = 200)", "Did you mean 192 or 224?"),
        Arguments.of("Frames", "frames", "frames = 0,", "at least 1 frame"),
        Arguments.of("Classes", "classes", "classes = 0)", "at least 1 class"),
        Arguments.of("Dropout", "dropout", "dropout = 1.0)", "outside [0, 1)"),
        Arguments.of("NameInvalid", "name", "name = \"my-net\")", "such as \"mynet\""),
        Arguments.of("BudgetExceeded", "budget", "@Budget(maxGflops = 20)", "costs 28.36 GFLOPs per clip, over the budget of 20"),
        Arguments.of("BudgetRange", "budget-range", "@Budget(maxGflops = 0)", "must be > 0"),
        Arguments.of("AfAndAdaFocus", "conflict", "@GlobalEncoder(", "both AFNet"),
        Arguments.of("BackboneOnAdaFocus", "conflict", "@Backbone(", "@Backbone has no meaning"),
        Arguments.of("ClassifierNotRecurrent", "conflict", "@Classifier(", "recurrent = true"),
        Arguments.of("ExitNotRecurrent", "conflict", "@ConditionalExit", "predicts once per clip"),
        Arguments.of("PolicyHidden", "policy-hidden", "hidden = 1", "at least 2"),
        Arguments.of("LocalFrames", "local-frames", "frames = -12)", "frames = -12: the local encoder needs at least 1 frame per clip. "
            + "Remove frames for the official count (LocalEncoder.OFFICIAL: int(1.5·T) = 12 per clip)"),
        Arguments.of("LocalFramesRecurrent", "local-frames", "frames = 24)", "sees the network's 16 frames"),
        Arguments.of("LocalFramesShift", "shift-frames", "frames = 1)", "temporalShift = true with frames = 1"),
        Arguments.of("LocalFramesClipSize", "clip-size", "frames = 20000)", "a clip of 20008 frames of 224x224"),
        Arguments.of("FocalWithoutNavigation", "missing-annotation", "@FocalBranch(groups = 2)", "needs @Navigation"),
        Arguments.of("NavigationWithoutBackbone", "missing-annotation", "@Navigation(", "needs @Backbone"),
        Arguments.of("StageWithoutAfNet", "missing-annotation", "@Stage(", "needs @AmpleBranch and @FocalBranch and @Navigation. "
            + "An AFNet network declares @AmpleBranch, @FocalBranch and @Navigation together: add @AmpleBranch and @FocalBranch and "
            + "@Navigation(targetRatio = 0.5)."),
        Arguments.of("NoBackbone", "missing-annotation", "@VideoNetwork(", "declares no CNN"),
        Arguments.of("AdaFocusIncomplete", "missing-annotation", "@GlobalEncoder(", "needs @PatchPolicy"),
        Arguments.of("ExistingName", "name-clash", "@VideoNetwork(", "would generate bad.ExistingNameNetwork, but that class already exists"),
        Arguments.of("MissingNetwork", "missing-network", "@Backbone(", "without @VideoNetwork"),
        Arguments.of("PatchTooLarge", "patch-size", "patchSize = 256,", "larger than the 224-pixel input"),
        Arguments.of("GlobalInput", "global-input", "inputSize = 256)", "at most 224"),
        Arguments.of("AfOnMobileNetV2", "af-backbone", "@Backbone(", "MOBILENET_V2 has no AFNet layout"),
        Arguments.of("StageIndex", "stage-index", "@Stage(index = 5)", "RESNET50 has stages 1 to 4"),
        Arguments.of("StageDuplicate", "stage-duplicate", "@Stage(index = 2, af = false)", "more than one @Stage"),
        Arguments.of("StageOverride", "stage-override", "lossWeight = 2.0", "network-wide"),
        Arguments.of("StageOverrideRepeated", "stage-override", "temperature = @Anneal(to = 0.001)", "temperature is network-wide"),
        Arguments.of("StageLayout", "stage-layout", "@Stage(index = 1)", "move into the stem"),
        Arguments.of("NoAdaptiveStage", "no-adaptive-stage", "@Stage(index = 1, af = false)", "every stage"),
        Arguments.of("PrivateNested", "type-kind", "private interface Hidden", "it is private"),
        Arguments.of("InnerClass", "type-kind", "class Inner {}", "inner (non-static) class"),
        Arguments.of("GenericType", "type-kind", "interface GenericType<T>", "type parameters"),
        Arguments.of("EnumType", "type-kind", "enum EnumType", "it is an enum"),
        Arguments.of("LocalType", "type-kind", "@VideoNetwork(", "Local: it is local to a method"),
        Arguments.of("LossWeightNaN", "not-finite", "lossWeight = Double.NaN", "lossWeight = NaN is not a finite number. Give a number in [0, 1000000]"),
        Arguments.of("RatioInfinite", "not-finite", "targetRatio = Double.POSITIVE_INFINITY", "targetRatio = Infinity is not a finite number"),
        Arguments.of("BudgetInfinite", "not-finite", "maxGflops = Double.POSITIVE_INFINITY", "Give a number in (0, ∞)"),
        Arguments.of("WidthNaN", "not-finite", "width = Double.NaN", "width = NaN is not a finite number. Give a number in (0, 16]"),
        Arguments.of("RatioTiny", "float-range", "targetRatio = 1e-50", "targetRatio = 1e-50 becomes 0.0 in float32"),
        Arguments.of("DropoutRounding", "float-range", "dropout = 0.99999999999", "becomes 1.0 in float32"),
        Arguments.of("TemperatureRange", "temperature-positive", "@Anneal(to = 1e-300)", "to = 1e-300 is outside [0.000001, 1000000]"),
        Arguments.of("LossWeightLarge", "loss-weight", "lossWeight = 1e300", "lossWeight = 1e300 is above 1000000"),
        Arguments.of("ClipSize", "clip-size", "frames = 100000,", "more than the 2,147,483,639 one Java array can hold"),
        Arguments.of("TooLarge", "too-large", "@VideoNetwork(", "TooLarge is too large to build"),
        Arguments.of("NameOfType", "name-clash", "name = \"NameOfType\")", "is the declaring type's own name"),
        Arguments.of("NameShadows", "name-clash", "name = \"Double\")", "which hides java.lang.Double from every source of package bad"),
        Arguments.of("NameRestricted", "name", "name = \"var\")", "name = \"var\" is not a valid Java class name"),
        Arguments.of("ClassifierHidden", "classifier-hidden", "@Classifier(hidden = 0)", "hidden = 0 must be at least 1"),
        Arguments.of("RatioNotPercent", "ratio-range", "targetRatio = 250", "targetRatio = 250 is outside (0, 1]"));
  }

  @ParameterizedTest(name = "{0}: [saccade:{1}]")
  @MethodSource("checks")
  void reportsOneErrorOnTheOffendingLine(String file, String tag, String line, String text) {
    JavaFileObject source = Fixtures.source("bad/" + file + ".java");
    Compilation c = Fixtures.compiler().compile(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[saccade:" + tag + "]").inFile(source).onLineContaining(line);
    assertThat(c).hadErrorContaining(text);
    // one cause, one error
    assertThat(c).hadErrorCount(1);
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
