package io.saccade.processor;

import io.saccade.architecture.AfNetLayout;
import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.BackboneLayout.Shortcut;
import io.saccade.architecture.BackboneLayout.StageLayout;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.Classifier;
import io.saccade.processor.NetworkPlan.AfStagePlan;
import io.saccade.processor.NetworkPlan.CnnPlan;
import io.saccade.processor.NetworkPlan.DenseStagePlan;
import io.saccade.processor.NetworkPlan.FocusPlan;
import io.saccade.processor.NetworkPlan.NavigationPlan;
import io.saccade.processor.NetworkPlan.Schedule;
import io.saccade.processor.NetworkPlan.StagePlan;
import io.saccade.processor.NetworkSpec.NavigationDecl;
import io.saccade.processor.NetworkSpec.StageDecl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Lays a checked {@link NetworkSpec} out as a {@link NetworkPlan}. For AFNet it follows the official
 * code: an adaptive stage runs all its blocks at its input resolution, so its downsampling moves into
 * the block before it (the previous AF stage's fusion block, or a dense stage's last block); ResNet-50
 * at 224 goes 56 → 28 → 14 → 14 → 7 with stages 1-3 adaptive.
 *
 * <pre>{@code
 * NetworkPlan plan = new Planner().plan(spec);    // spec already accepted by the Validator
 * }</pre>
 */
final class Planner {

  /** The plan of {@code spec}; assumes the {@link Validator} accepted it. */
  NetworkPlan plan(NetworkSpec spec) {
    NetworkSpec.Network n = spec.network();
    return switch (spec.family()) {
      case DENSE -> {
        var b = spec.backbone().orElseThrow();
        yield new NetworkPlan(
            spec.family(), spec.typeName(), n.frames(), n.classes(), n.inputSize(), n.dropout(),
            Optional.of(dense(b.value(), b.width(), n.inputSize(), shiftFrames(b.temporalShift(), n.frames()), b.shiftDivisor())),
            Optional.empty(), Optional.empty());
      }
      case AFNET -> afNet(spec);
      case ADAFOCUS_V2 -> adaFocus(spec);
    };
  }

  /** Which stages are adaptive: the backbone's defaults, changed by {@code @Stage} overrides. */
  static TreeSet<Integer> adaptiveStages(BackboneLayout layout, List<StageDecl> stages) {
    TreeSet<Integer> adaptive = new TreeSet<>(layout.defaultAdaptive());
    for (StageDecl s : stages) {
      if (s.af()) {
        adaptive.add(s.index());
      } else {
        adaptive.remove(s.index());
      }
    }
    return adaptive;
  }

  /** A dense per-frame CNN with torchvision's strides and shortcuts, its channels multiplied by {@code width}. */
  static CnnPlan dense(Backbones backbone, double width, int inputSize, int shiftFrames, int shiftDivisor) {
    BackboneLayout layout = BackboneLayout.of(backbone, width);
    List<StagePlan> stages = new ArrayList<>();
    for (StageLayout s : layout.stages()) {
      stages.add(new DenseStagePlan(s.index(), s.blocks()));
    }
    return new CnnPlan(layout, inputSize, shiftFrames, shiftDivisor, Shortcut.STRIDED_CONV, stages);
  }

  private NetworkPlan afNet(NetworkSpec spec) {
    NetworkSpec.Network n = spec.network();
    var backbone = spec.backbone().orElseThrow();
    BackboneLayout layout = BackboneLayout.afNet(backbone.value(), backbone.width());
    TreeSet<Integer> adaptive = adaptiveStages(layout, spec.stages());
    NavigationDecl navigation = spec.navigation().orElseThrow();
    int alpha = spec.ample().orElseThrow().channelDivisor();
    if (alpha == 0) {
      alpha = layout.officialChannelDivisor();
    }
    int groups = spec.focal().orElseThrow().groups();
    int ampleStride = spec.ample().orElseThrow().resolutionStride();

    List<StagePlan> stages = new ArrayList<>();
    for (StageLayout s : layout.stages()) {
      int i = s.index();
      if (adaptive.contains(i)) {
        // The stage's own downsampling is taken over by the block before it (AfNetLayout's rule).
        AfNetLayout.Stage af = AfNetLayout.stage(layout, adaptive, i, alpha, groups, ampleStride);
        stages.add(new AfStagePlan(i, af.blocks(), alpha, groups, ampleStride, af.fusionStride(),
            navigationPlan(navigation, navigationOf(spec, i))));
      } else {
        stages.add(new DenseStagePlan(i, AfNetLayout.denseBlocks(layout, adaptive, i)));
      }
    }
    CnnPlan cnn = new CnnPlan(layout, n.inputSize(), shiftFrames(backbone.temporalShift(), n.frames()), backbone.shiftDivisor(),
        Shortcut.AVG_POOL_CONV, stages);
    var t = navigation.temperature();
    return new NetworkPlan(spec.family(), spec.typeName(), n.frames(), n.classes(), n.inputSize(), n.dropout(), Optional.of(cnn),
        Optional.empty(), Optional.of(new Schedule(navigation.lossWeight(), t.from(), t.to(), t.epochs())));
  }

  /** A stage's navigation: its override's written attributes, the type's for the rest. */
  static NavigationPlan navigationPlan(NavigationDecl type, Optional<NavigationDecl> override) {
    if (override.isEmpty()) {
      return new NavigationPlan(type.targetRatio(), type.mixFrames(), type.spatialRatio(), type.keepMargin());
    }
    NavigationDecl o = override.get();
    Source src = o.src();
    return new NavigationPlan(
        o.targetRatio(),
        src.isExplicit("mixFrames") ? o.mixFrames() : type.mixFrames(),
        src.isExplicit("spatial") ? o.spatialRatio() : type.spatialRatio(),
        src.isExplicit("keepMargin") ? o.keepMargin() : type.keepMargin());
  }

  private static Optional<NavigationDecl> navigationOf(NetworkSpec spec, int index) {
    return spec.stages().stream()
        .filter(s -> s.index() == index && !s.navigation().isEmpty())
        .map(s -> s.navigation().get(0))
        .findFirst();
  }

  private NetworkPlan adaFocus(NetworkSpec spec) {
    NetworkSpec.Network n = spec.network();
    var g = spec.globalEncoder().orElseThrow();
    var p = spec.patchPolicy().orElseThrow();
    var l = spec.localEncoder().orElseThrow();
    int globalInput = g.inputSize() == 0 ? n.inputSize() : g.inputSize();
    int focusFrames = l.framesOrOfficial(n.frames(), p.recurrent());
    FocusPlan focus = new FocusPlan(
        dense(g.backbone(), 1.0, globalInput, shiftFrames(g.temporalShift(), n.frames()), 8),
        dense(l.backbone(), 1.0, p.patchSize(), shiftFrames(l.temporalShift(), focusFrames), 8),
        focusFrames,
        p.patchSize(),
        p.recurrent(),
        p.interpolation(),
        p.hiddenOrOfficial(),
        spec.classifier().map(NetworkSpec.ClassifierDecl::hidden).orElse(Classifier.OFFICIAL_HIDDEN),
        spec.conditionalExit().map(NetworkSpec.ConditionalExitDecl::order));
    return new NetworkPlan(spec.family(), spec.typeName(), n.frames(), n.classes(), n.inputSize(), n.dropout(), Optional.empty(),
        Optional.of(focus), Optional.empty());
  }

  private static int shiftFrames(boolean shift, int frames) {
    return shift ? frames : 0;
  }
}
