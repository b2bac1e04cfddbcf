package io.saccade.processor;

import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.Kind;
import io.saccade.architecture.BackboneLayout.StageLayout;
import io.saccade.architecture.BackboneLayout;
import io.saccade.processor.NetworkSpec.BackboneDecl;
import io.saccade.processor.NetworkSpec.StageDecl;
import java.util.List;

/**
 * Rules about {@code @Backbone}'s temporal shift: enough frames to shift between, and a divisor that
 * leaves a channel to shift in every block the declaration builds. Also the channel figures the width
 * search ({@link WidthRules}) asks of a backbone.
 *
 * <pre>{@code
 * ValidationReport shift = BackboneRules.checkShift(spec, backbone, false);
 * }</pre>
 */
final class BackboneRules {

  private BackboneRules() {}

  /** Temporal shift and its divisor; {@code framesReported} when a frames error already covers the cause. */
  static ValidationReport checkShift(NetworkSpec spec, BackboneDecl b, boolean framesReported) {
    ValidationReport.Builder report = ValidationReport.builder();
    int frames = spec.network().frames();
    if (!b.temporalShift()) {
      return report.build();
    }
    if (frames == 1 && !framesReported) {
      report.error(Message.SHIFT_FRAMES, b.src().at("temporalShift"), frames);
    }
    if (b.shiftDivisor() < 2) {
      return report.error(Message.SHIFT_DIVISOR_RANGE, b.src().at("shiftDivisor"), b.shiftDivisor()).build();
    }
    BackboneLayout layout = spec.family() == NetworkSpec.Family.AFNET ? BackboneLayout.afNet(b.value()) : BackboneLayout.of(b.value());
    int narrowest = narrowestShiftedInput(spec, layout);
    if (b.shiftDivisor() > narrowest) {
      report.error(Message.SHIFT_DIVISOR_CHANNELS, b.src().at("shiftDivisor"), b.shiftDivisor(), b.value(), narrowest, narrowest);
    }
    return report.build();
  }

  /** The fewest input channels of any block that shifts, the ample branch's included. */
  static int narrowestShiftedInput(NetworkSpec spec, BackboneLayout layout) {
    int narrowest = Integer.MAX_VALUE;
    for (StageLayout s : layout.stages()) {
      for (Block b : s.blocks()) {
        narrowest = Math.min(narrowest, b.in());
      }
    }
    if (spec.family() == NetworkSpec.Family.AFNET && layout.kind() == Kind.RESNET) {
      int alpha = alpha(spec, layout);
      if (alpha > 0) {
        for (int i : Planner.adaptiveStages(layout, validStages(spec, layout))) {
          narrowest = Math.min(narrowest, layout.stage(i).out() / alpha);
        }
      }
    }
    return narrowest;
  }

  /** The ample branch's channel divisor α, the backbone's official one unless declared. */
  static int alpha(NetworkSpec spec, BackboneLayout layout) {
    int alpha = spec.ample().map(NetworkSpec.AmpleDecl::channelDivisor).orElse(0);
    return alpha == 0 ? layout.officialChannelDivisor() : alpha;
  }

  /** The {@code @Stage}s with an index inside the backbone (the others are reported elsewhere). */
  static List<StageDecl> validStages(NetworkSpec spec, BackboneLayout layout) {
    return spec.stages().stream().filter(s -> s.index() >= 1 && s.index() <= layout.lastStage()).toList();
  }
}
