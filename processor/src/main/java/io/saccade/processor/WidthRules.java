package io.saccade.processor;

import io.saccade.architecture.AfNetLayout;
import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.Kind;
import io.saccade.architecture.BackboneLayout.StageLayout;
import io.saccade.architecture.BackboneLayout;
import io.saccade.processor.Message.Phrase;
import io.saccade.processor.NetworkSpec.BackboneDecl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rules about {@code @Backbone(width)}, and the search for the nearest widths that fit. The value on its
 * own is checked first ({@link #checkValue}); whether the channels it gives fit the rest of the declaration
 * ({@link #checkFits}) only once everything else passed at width 1, so an error there is the width's.
 *
 * <pre>{@code
 * ValidationReport value = WidthRules.checkValue(backbone);
 * ... the family's rules ...
 * if (value.isClean() && family.isClean()) report.add(WidthRules.checkFits(spec, backbone));
 * }</pre>
 */
final class WidthRules {

  private WidthRules() {}

  /** The width on its own: ResNets only, in (0, 16], whole channel counts. */
  static ValidationReport checkValue(BackboneDecl b) {
    ValidationReport.Builder report = ValidationReport.builder();
    double w = b.width();
    Origin at = b.src().at("width");
    if (!Ranges.representable(report, w, at, "width", Ranges.WIDTH, false)) {
      return report.build();
    }
    if (BackboneLayout.of(b.value()).kind() != Kind.RESNET) {
      if (w != 1) {
        report.error(Message.WIDTH_MOBILENET, at, Format.number(w), b.value());
      }
    } else if (!Ranges.WIDTH.contains(w)) {
      report.error(Message.WIDTH_RANGE, at, Format.number(w), Format.number(BackboneLayout.MAX_WIDTH));
    } else if (BackboneLayout.resnetStem(w).isEmpty()) {
      report.error(Message.WIDTH_FRACTION, at, Format.number(w), Format.number(BackboneLayout.RESNET_STEM * w),
          didYouMean(nearestWidths(null, b, w)));
    }
    return report.build();
  }

  /** A ResNet width other than 1 against what the declaration needs of its channels. */
  static ValidationReport checkFits(NetworkSpec spec, BackboneDecl b) {
    if (b.width() == 1 || BackboneLayout.of(b.value()).kind() != Kind.RESNET) {
      return ValidationReport.clean();
    }
    return widthProblem(spec, b, b.width())
        .map(problem -> {
          List<Object> args = new ArrayList<>(problem.args());
          args.add(didYouMean(nearestWidths(spec, b, b.width())));
          return ValidationReport.of(problem.message(), b.src().at("width"), args.toArray());
        })
        .orElse(ValidationReport.clean());
  }

  /** Why a width does not fit: a message and its arguments, all but the final "did you mean". */
  private record WidthProblem(Message message, List<Object> args) {}

  /**
   * Why {@code width} does not fit {@code spec}, if it does not; {@code spec} null checks only that the
   * channel counts are whole.
   */
  private static Optional<WidthProblem> widthProblem(NetworkSpec spec, BackboneDecl b, double width) {
    String w = Format.number(width);
    if (BackboneLayout.resnetStem(width).isEmpty()) {
      return Optional.of(new WidthProblem(Message.WIDTH_FRACTION, List.of(w, Format.number(BackboneLayout.RESNET_STEM * width))));
    }
    if (spec == null) {
      return Optional.empty();
    }
    boolean af = spec.family() == NetworkSpec.Family.AFNET;
    BackboneLayout layout = af ? BackboneLayout.afNet(b.value(), width) : BackboneLayout.of(b.value(), width);
    if (af) {
      int alpha = BackboneRules.alpha(spec, layout);
      int groups = spec.focal().orElseThrow().groups();
      for (int i : Planner.adaptiveStages(layout, BackboneRules.validStages(spec, layout))) {
        StageLayout s = layout.stage(i);
        int inner = s.out() / 4;
        if (inner % alpha != 0) {
          return Optional.of(new WidthProblem(Message.WIDTH_FIT_AMPLE, List.of(w, i, inner, alpha)));
        }
        Set<Integer> focal = new TreeSet<>();
        for (Block block : s.blocks().subList(0, s.blocks().size() - 1)) {
          focal.addAll(List.of(block.in(), block.mid(), block.out()));
        }
        if (focal.stream().anyMatch(c -> c % groups != 0)) {
          return Optional.of(new WidthProblem(Message.WIDTH_FIT_GROUPS, List.of(w, i, Format.list(focal), groups)));
        }
        if (s.out() < AfNetLayout.ATTENTION_REDUCTION) {
          return Optional.of(new WidthProblem(Message.WIDTH_FIT_ATTENTION, List.of(w, i, s.out(), AfNetLayout.ATTENTION_REDUCTION)));
        }
      }
    }
    if (b.temporalShift() && b.shiftDivisor() >= 1) {
      int narrowest = BackboneRules.narrowestShiftedInput(spec, layout);
      if (b.shiftDivisor() > narrowest) {
        return Optional.of(new WidthProblem(Message.WIDTH_FIT_SHIFT, List.of(w, narrowest, b.shiftDivisor())));
      }
    }
    return Optional.empty();
  }

  /** The nearest widths on a grid of 1/16 below and above {@code width} that fit (none, one or two). */
  private static List<Double> nearestWidths(NetworkSpec spec, BackboneDecl b, double width) {
    int steps = (int) (BackboneLayout.MAX_WIDTH * 16);
    List<Double> out = new ArrayList<>();
    for (int k = (int) Math.min(Math.ceil(width * 16) - 1, steps); k >= 1; k--) {
      if (k / 16.0 < width && widthProblem(spec, b, k / 16.0).isEmpty()) {
        out.add(k / 16.0);
        break;
      }
    }
    for (int k = (int) Math.max(Math.floor(width * 16) + 1, 1); k <= steps; k++) {
      if (k / 16.0 > width && widthProblem(spec, b, k / 16.0).isEmpty()) {
        out.add(k / 16.0);
        break;
      }
    }
    return out;
  }

  private static String didYouMean(List<Double> widths) {
    return widths.isEmpty()
        ? Phrase.NOTHING.format()
        : Phrase.DID_YOU_MEAN.format(Format.or(widths.stream().map(Format::number).toList()));
  }
}
