package io.saccade.processor;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.Interpolation;
import io.saccade.dsl.LocalEncoder;
import io.saccade.dsl.PatchPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One network declaration as read from its annotations: plain values (what the user wrote, defaults
 * filled in) plus, for each annotation, the {@link Source} that diagnostics point at. Immutable; the
 * {@link Reader} builds it, the {@link Validator} checks it, the {@link Planner} lays it out.
 *
 * <pre>{@code
 * NetworkSpec spec = NetworkSpec.builder("demo", "TsnResNet50", new Network(8, 174, 224, "", 0.5, Source.NONE))
 *     .backbone(new BackboneDecl(Backbones.RESNET50, false, 8, 1.0, Source.NONE))
 *     .build();
 * }</pre>
 *
 * @param packageName package of the declaring type (and of the generated class)
 * @param typeName simple name of the declaring type
 * @param type where the declaring type is, for errors about the type itself
 */
record NetworkSpec(
    String packageName,
    String typeName,
    Origin type,
    Network network,
    Optional<BackboneDecl> backbone,
    Optional<AmpleDecl> ample,
    Optional<FocalDecl> focal,
    Optional<NavigationDecl> navigation,
    List<StageDecl> stages,
    Optional<GlobalEncoderDecl> globalEncoder,
    Optional<PatchPolicyDecl> patchPolicy,
    Optional<LocalEncoderDecl> localEncoder,
    Optional<ClassifierDecl> classifier,
    Optional<ConditionalExitDecl> conditionalExit,
    Optional<BudgetDecl> budget) {

  /** What kind of network the annotations declare. */
  enum Family {
    /** A 2-D CNN on every frame, averaged (TSN; TSM with a temporal shift). */
    DENSE,
    /** AFNet: ample and focal branches with navigation in the adaptive stages. */
    AFNET,
    /** AdaFocusV2: global encoder, patch policy, local encoder. */
    ADAFOCUS_V2
  }

  NetworkSpec {
    Objects.requireNonNull(packageName, "packageName");
    Objects.requireNonNull(typeName, "typeName");
    stages = List.copyOf(stages);
  }

  /** Starts a spec; everything but {@code network} is optional. */
  static Builder builder(String packageName, String typeName, Network network) {
    return new Builder(packageName, typeName, network);
  }

  /** Whether any AFNet annotation is present. */
  boolean declaresAfNet() {
    return ample.isPresent() || focal.isPresent() || navigation.isPresent() || !stages.isEmpty();
  }

  /** Whether any AdaFocusV2 annotation is present. */
  boolean declaresAdaFocus() {
    return globalEncoder.isPresent()
        || patchPolicy.isPresent()
        || localEncoder.isPresent()
        || classifier.isPresent()
        || conditionalExit.isPresent();
  }

  /** The family (meaningful once the {@link Validator} has accepted the spec). */
  Family family() {
    if (declaresAdaFocus()) {
      return Family.ADAFOCUS_V2;
    }
    return declaresAfNet() ? Family.AFNET : Family.DENSE;
  }

  /** The generated class's simple name: {@code name} if given, else {@code <Type>Network}. */
  String generatedName() {
    return network.name().isEmpty() ? typeName + "Network" : network.name();
  }

  /** {@code @VideoNetwork}. */
  record Network(int frames, int classes, int inputSize, String name, double dropout, Source src) {}

  /** {@code @Backbone}; {@code width} multiplies a ResNet's channels. */
  record BackboneDecl(Backbones value, boolean temporalShift, int shiftDivisor, double width, Source src) {}

  /** {@code @AmpleBranch}; {@code channelDivisor} 0 means the backbone's official value. */
  record AmpleDecl(int channelDivisor, int resolutionStride, Source src) {}

  /** {@code @FocalBranch}. */
  record FocalDecl(int groups, Source src) {}

  /** {@code @Anneal}. */
  record AnnealDecl(double from, double to, int epochs, Source src) {}

  /** {@code @SpatialMask}. */
  record SpatialDecl(double targetRatio, Source src) {}

  /** {@code @Navigation}; {@code spatial} holds what the user wrote (the validator allows at most one). */
  record NavigationDecl(
      double targetRatio,
      double lossWeight,
      AnnealDecl temperature,
      boolean mixFrames,
      List<SpatialDecl> spatial,
      double keepMargin,
      Source src) {
    NavigationDecl {
      spatial = List.copyOf(spatial);
    }

    /** RS of the spatial mask, or 0 for none. */
    double spatialRatio() {
      return spatial.isEmpty() ? 0 : spatial.get(0).targetRatio();
    }
  }

  /** {@code @Stage}; {@code navigation} holds what the user wrote (at most one is allowed). */
  record StageDecl(int index, boolean af, List<NavigationDecl> navigation, Source src) {
    StageDecl {
      navigation = List.copyOf(navigation);
    }
  }

  /** {@code @GlobalEncoder}; {@code inputSize} 0 means the network's. */
  record GlobalEncoderDecl(Backbones backbone, int inputSize, boolean temporalShift, Source src) {}

  /** {@code @PatchPolicy}. */
  record PatchPolicyDecl(int patchSize, boolean recurrent, Interpolation interpolation, int hidden, Source src) {
    /** The policy's hidden width: as declared, or the official one. */
    int hiddenOrOfficial() {
      return hidden != PatchPolicy.OFFICIAL ? hidden : recurrent ? PatchPolicy.OFFICIAL_RECURRENT_HIDDEN : PatchPolicy.OFFICIAL_CLIP_HIDDEN;
    }
  }

  /** {@code @LocalEncoder}; {@code frames} 0 means the official count. */
  record LocalEncoderDecl(Backbones backbone, boolean temporalShift, int frames, Source src) {
    /**
     * Tf, the frames the local CNN sees: as declared, or the official count for a network of {@code t}
     * frames, {@code int(1.5·t)} per clip ({@code num_segments_focuser}) and {@code t} recurrent.
     */
    int framesOrOfficial(int t, boolean recurrent) {
      return frames != LocalEncoder.OFFICIAL ? frames : recurrent ? t : officialFocusFrames(t);
    }

    /** {@code int(1.5·t)}, the official Something-Something/Jester focus frame count. */
    static int officialFocusFrames(int t) {
      return (int) (3L * t / 2);
    }
  }

  /** {@code @Classifier}. */
  record ClassifierDecl(int hidden, Source src) {}

  /** {@code @ConditionalExit}. */
  record ConditionalExitDecl(FrameOrder order, Source src) {}

  /** {@code @Budget}. */
  record BudgetDecl(double maxGflops, Source src) {}

  /** Collects the optional parts of a spec. */
  static final class Builder {
    private final String packageName;
    private final String typeName;
    private final Network network;
    private Origin type = Origin.NONE;
    private BackboneDecl backbone;
    private AmpleDecl ample;
    private FocalDecl focal;
    private NavigationDecl navigation;
    private final List<StageDecl> stages = new ArrayList<>();
    private GlobalEncoderDecl globalEncoder;
    private PatchPolicyDecl patchPolicy;
    private LocalEncoderDecl localEncoder;
    private ClassifierDecl classifier;
    private ConditionalExitDecl conditionalExit;
    private BudgetDecl budget;

    private Builder(String packageName, String typeName, Network network) {
      this.packageName = packageName;
      this.typeName = typeName;
      this.network = Objects.requireNonNull(network, "network");
    }

    Builder type(Origin o) {
      this.type = o;
      return this;
    }

    Builder backbone(BackboneDecl d) {
      this.backbone = d;
      return this;
    }

    Builder ample(AmpleDecl d) {
      this.ample = d;
      return this;
    }

    Builder focal(FocalDecl d) {
      this.focal = d;
      return this;
    }

    Builder navigation(NavigationDecl d) {
      this.navigation = d;
      return this;
    }

    Builder stage(StageDecl d) {
      this.stages.add(d);
      return this;
    }

    Builder globalEncoder(GlobalEncoderDecl d) {
      this.globalEncoder = d;
      return this;
    }

    Builder patchPolicy(PatchPolicyDecl d) {
      this.patchPolicy = d;
      return this;
    }

    Builder localEncoder(LocalEncoderDecl d) {
      this.localEncoder = d;
      return this;
    }

    Builder classifier(ClassifierDecl d) {
      this.classifier = d;
      return this;
    }

    Builder conditionalExit(ConditionalExitDecl d) {
      this.conditionalExit = d;
      return this;
    }

    Builder budget(BudgetDecl d) {
      this.budget = d;
      return this;
    }

    NetworkSpec build() {
      return new NetworkSpec(
          packageName,
          typeName,
          type,
          network,
          Optional.ofNullable(backbone),
          Optional.ofNullable(ample),
          Optional.ofNullable(focal),
          Optional.ofNullable(navigation),
          stages,
          Optional.ofNullable(globalEncoder),
          Optional.ofNullable(patchPolicy),
          Optional.ofNullable(localEncoder),
          Optional.ofNullable(classifier),
          Optional.ofNullable(conditionalExit),
          Optional.ofNullable(budget));
    }
  }
}
