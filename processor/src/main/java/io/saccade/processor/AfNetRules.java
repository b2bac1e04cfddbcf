package io.saccade.processor;

import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.Kind;
import io.saccade.architecture.BackboneLayout.StageLayout;
import io.saccade.architecture.BackboneLayout;
import io.saccade.processor.Message.Phrase;
import io.saccade.processor.NetworkSpec.AnnealDecl;
import io.saccade.processor.NetworkSpec.BackboneDecl;
import io.saccade.processor.NetworkSpec.NavigationDecl;
import io.saccade.processor.NetworkSpec.SpatialDecl;
import io.saccade.processor.NetworkSpec.StageDecl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rules of an AFNet declaration: a backbone with an AFNet layout, then navigation values, the stages
 * made adaptive, and the ample and focal branches against those stages' channels. The channel rules run
 * only on a clean stage report, the temporal-shift rules only when stages and ample branch are clean.
 *
 * <pre>{@code
 * ValidationReport backbone = AfNetRules.checkBackbone(spec);
 * if (backbone.isClean()) report.add(AfNetRules.check(spec));
 * }</pre>
 */
final class AfNetRules {

  private final NetworkSpec spec;
  private final BackboneLayout layout;

  private AfNetRules(NetworkSpec spec, BackboneLayout layout) {
    this.spec = spec;
    this.layout = layout;
  }

  /** Whether the backbone has an AFNet layout at all; nothing else is checked without one. */
  static ValidationReport checkBackbone(NetworkSpec spec) {
    BackboneDecl backbone = spec.backbone().orElseThrow();
    return BackboneLayout.afNet(backbone.value()).supportsAfNet()
        ? ValidationReport.clean()
        : ValidationReport.of(Message.AF_BACKBONE, backbone.src().at("value"), backbone.value());
  }

  /** Everything else, on a backbone with an AFNet layout. */
  static ValidationReport check(NetworkSpec spec) {
    return check(spec, BackboneLayout.afNet(spec.backbone().orElseThrow().value()));
  }

  /** {@link #check(NetworkSpec)} against {@code layout} (tests: layouts no backbone has yet). */
  static ValidationReport check(NetworkSpec spec, BackboneLayout layout) {
    return new AfNetRules(spec, layout).check();
  }

  private ValidationReport check() {
    ValidationReport.Builder report = ValidationReport.builder();
    BackboneDecl backbone = spec.backbone().orElseThrow();
    int frames = spec.network().frames();
    boolean framesReported = frames < 1;
    if (frames == 1) {
      report.error(Message.NAVIGATION_FRAMES, spec.network().src().at("frames"), frames);
      framesReported = true;
    }
    report.add(navigation(spec.navigation().orElseThrow(), true));
    if (layout.kind() == Kind.MOBILENET) {
      List<NavigationDecl> navigations = new ArrayList<>(List.of(spec.navigation().orElseThrow()));
      spec.stages().forEach(st -> navigations.addAll(st.navigation()));
      for (NavigationDecl nav : navigations) {
        if (!nav.spatial().isEmpty()) {
          report.error(Message.SPATIAL_BACKBONE, nav.src().at("spatial"), backbone.value());
        }
      }
    }
    boolean stagesOk = report.add(stages());
    boolean ampleOk = report.add(ample(stagesOk));
    if (stagesOk) {
      report.add(groups());
    }
    if (stagesOk && ampleOk) {
      report.add(BackboneRules.checkShift(spec, backbone, framesReported));
    }
    return report.build();
  }

  /** A {@code @Navigation}'s values; {@code typeLevel} false for a stage's override. */
  private static ValidationReport navigation(NavigationDecl nav, boolean typeLevel) {
    ValidationReport.Builder report = ValidationReport.builder();
    ratio(report, nav.targetRatio(), nav.src().at("targetRatio"), Phrase.OF_FRAMES);
    Origin lossWeight = nav.src().at("lossWeight");
    if (typeLevel && Ranges.representable(report, nav.lossWeight(), lossWeight, "lossWeight", Ranges.LOSS_WEIGHT, true)) {
      String max = Format.number(Ranges.LOSS_WEIGHT.max());
      if (nav.lossWeight() < 0) {
        report.error(Message.LOSS_WEIGHT, lossWeight, Format.number(nav.lossWeight()));
      } else if (!Ranges.LOSS_WEIGHT.contains(nav.lossWeight())) {
        report.error(Message.LOSS_WEIGHT_LARGE, lossWeight, Format.number(nav.lossWeight()), max, max);
      }
    }
    AnnealDecl t = nav.temperature();
    boolean positive = temperature(report, t.from(), t.src().at("from"), "from");
    positive &= temperature(report, t.to(), t.src().at("to"), "to");
    if (positive && t.to() > t.from()) {
      Origin at = t.src().isExplicit("to") || !t.src().isExplicit("from") ? t.src().at("to") : t.src().at("from");
      report.error(Message.TEMPERATURE_RISES, at, Format.number(t.from()), Format.number(t.to()), Format.number(t.to()),
          Format.number(t.from()));
    }
    if (t.epochs() < 1) {
      report.error(Message.ANNEAL_EPOCHS, t.src().at("epochs"), t.epochs());
    }
    if (nav.spatial().size() > 1) {
      report.error(Message.SPATIAL_COUNT, nav.src().at("spatial"), nav.spatial().size());
    }
    Origin keepMargin = nav.src().at("keepMargin");
    if (Ranges.representable(report, nav.keepMargin(), keepMargin, "keepMargin", Ranges.KEEP_MARGIN, true)
        && !Ranges.KEEP_MARGIN.contains(nav.keepMargin())) {
      report.error(Message.KEEP_MARGIN, keepMargin, Format.number(nav.keepMargin()), Format.number(Ranges.KEEP_MARGIN.max()));
    }
    for (SpatialDecl s : nav.spatial()) {
      ratio(report, s.targetRatio(), s.src().at("targetRatio"), Phrase.OF_POSITIONS);
    }
    if (!typeLevel) {
      for (String networkWide : List.of("lossWeight", "temperature")) {
        if (nav.src().isExplicit(networkWide)) {
          report.error(Message.STAGE_NETWORK_WIDE, nav.src().at(networkWide), networkWide);
        }
      }
    }
    return report.build();
  }

  /** A Gumbel temperature: finite, > 0, and in the range where float32 logits divided by it stay usable. */
  private static boolean temperature(ValidationReport.Builder report, double tau, Origin at, String attribute) {
    if (!Ranges.representable(report, tau, at, attribute, Ranges.TEMPERATURE, true)) {
      return false;
    }
    if (!(tau > 0)) {
      report.error(Message.TEMPERATURE_POSITIVE, at, attribute, Format.number(tau));
      return false;
    }
    if (!Ranges.TEMPERATURE.contains(tau)) {
      report.error(Message.TEMPERATURE_RANGE, at, attribute, Format.number(tau), Format.number(Ranges.TEMPERATURE.min()),
          Format.number(Ranges.TEMPERATURE.max()));
      return false;
    }
    return true;
  }

  private static void ratio(ValidationReport.Builder report, double ratio, Origin at, Phrase ofWhat) {
    if (!Ranges.representable(report, ratio, at, "targetRatio", Ranges.RATIO, true) || Ranges.RATIO.contains(ratio)) {
      return;
    }
    // a whole number from 2 to 100 reads as a percentage; 1.5 or 250 do not
    boolean percentage = ratio >= 2 && ratio <= 100 && ratio == Math.rint(ratio);
    String didYouMean = percentage ? Phrase.DID_YOU_MEAN.format(Format.number(ratio / 100)) : Phrase.NOTHING.format();
    report.error(Message.RATIO_RANGE, at, Format.number(ratio), ofWhat.format(), didYouMean);
  }

  /** Stage indices, duplicates and overrides, then the layout of the adaptive stages. */
  private ValidationReport stages() {
    ValidationReport.Builder report = ValidationReport.builder();
    Set<Integer> seen = new HashSet<>();
    for (StageDecl s : spec.stages()) {
      if (s.index() == 0) {
        report.error(Message.STAGE_INDEX_ZERO, s.src().at("index"), layout.id(), layout.lastStage());
        continue;
      }
      if (s.index() < 1 || s.index() > layout.lastStage()) {
        report.error(Message.STAGE_INDEX, s.src().at("index"), s.index(), layout.id(), layout.lastStage(), layout.lastStage());
        continue;
      }
      if (!seen.add(s.index())) {
        report.error(Message.STAGE_DUPLICATE, s.src().at("index"), s.index(), s.index());
        continue;
      }
      if (s.navigation().size() > 1) {
        report.error(Message.STAGE_NAVIGATIONS, s.src().at("navigation"), s.index(), s.navigation().size());
      } else if (!s.af() && !s.navigation().isEmpty()) {
        report.error(Message.STAGE_DENSE_NAVIGATION, s.src().at("navigation"), s.index());
      }
      for (NavigationDecl n : s.navigation()) {
        report.add(navigation(n, false));
      }
    }
    if (!report.isClean()) {
      return report.build();
    }
    TreeSet<Integer> adaptive = Planner.adaptiveStages(layout, spec.stages());
    if (adaptive.isEmpty()) {
      Origin at = spec.stages().stream().filter(s -> !s.af()).findFirst().map(s -> s.src().at("af"))
          .orElse(spec.navigation().orElseThrow().src().annotation());
      return report.error(Message.NO_ADAPTIVE_STAGE, at, spec.typeName()).build();
    }
    for (int i : adaptive) {
      StageLayout stage = layout.stage(i);
      if (stage.blocks().size() < 2) {
        report.error(Message.STAGE_ONE_BLOCK, stageOrigin(i), i, layout.id(), stage.blocks().size(), i);
      } else if (stage.stride() != 1 && i == 1) {
        report.error(Message.STAGE_STEM_STRIDE, stageOrigin(i), layout.id());
      } else if (stage.stride() != 1 && !adaptive.contains(i - 1)) {
        StageLayout previous = layout.stage(i - 1);
        if (previous.blocks().size() == 1 && previous.stride() != 1) {
          report.error(Message.STAGE_PREVIOUS_STRIDE, stageOrigin(i), i, layout.id(), i - 1, i - 1, i);
        }
      }
    }
    return report.build();
  }

  /** The {@code @Stage} that made stage {@code i} adaptive, else the type's {@code @Navigation}. */
  private Origin stageOrigin(int i) {
    return spec.stages().stream().filter(s -> s.index() == i).findFirst().map(s -> s.src().annotation())
        .orElse(spec.navigation().orElseThrow().src().annotation());
  }

  /** {@code @AmpleBranch}: its stride, and a channel divisor that divides every adaptive stage's bottleneck. */
  private ValidationReport ample(boolean stagesOk) {
    ValidationReport.Builder report = ValidationReport.builder();
    var ample = spec.ample().orElseThrow();
    if (ample.resolutionStride() != 2) {
      report.error(Message.AMPLE_STRIDE, ample.src().at("resolutionStride"), ample.resolutionStride());
    }
    int alpha = ample.channelDivisor();
    if (alpha < 0) {
      report.error(Message.AMPLE_CHANNELS_RANGE, ample.src().at("channelDivisor"), alpha);
    } else if (layout.kind() == Kind.MOBILENET && alpha > 1) {
      report.error(Message.AMPLE_CHANNELS_MOBILENET, ample.src().at("channelDivisor"), alpha, layout.id());
    } else if (layout.kind() == Kind.RESNET && alpha > 0 && stagesOk) {
      int gcd = 0;
      Optional<StageLayout> bad = Optional.empty();
      for (int i : Planner.adaptiveStages(layout, spec.stages())) {
        StageLayout s = layout.stage(i);
        gcd = Ranges.gcd(gcd, s.out() / 4);
        if (bad.isEmpty() && (s.out() / 4) % alpha != 0) {
          bad = Optional.of(s);
        }
      }
      if (bad.isPresent()) {
        report.error(Message.AMPLE_CHANNELS, ample.src().at("channelDivisor"), alpha, bad.get().index(), bad.get().out() / 4, gcd,
            Ranges.divisors(gcd));
      }
    }
    return report.build();
  }

  /** {@code @FocalBranch(groups)} against every adaptive stage's focal channels. */
  private ValidationReport groups() {
    var focal = spec.focal().orElseThrow();
    int groups = focal.groups();
    if (groups < 1) {
      return ValidationReport.of(Message.GROUPS_RANGE, focal.src().at("groups"), groups);
    }
    int gcd = 0;
    int badStage = 0;
    Set<Integer> badChannels = Set.of();
    for (int i : Planner.adaptiveStages(layout, spec.stages())) {
      StageLayout s = layout.stage(i);
      Set<Integer> channels = new TreeSet<>();
      for (Block b : s.blocks().subList(0, s.blocks().size() - 1)) {
        channels.add(b.in());
        channels.add(b.mid());
        channels.add(b.out());
      }
      for (int c : channels) {
        gcd = Ranges.gcd(gcd, c);
        if (badStage == 0 && c % groups != 0) {
          badStage = i;
          badChannels = channels;
        }
      }
    }
    return badStage == 0
        ? ValidationReport.clean()
        : ValidationReport.of(Message.GROUPS, focal.src().at("groups"), groups, badStage, Format.list(badChannels), Ranges.divisors(gcd));
  }
}
