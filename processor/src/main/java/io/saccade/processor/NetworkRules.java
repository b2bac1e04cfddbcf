package io.saccade.processor;

import io.saccade.processor.Message.Phrase;
import java.util.Comparator;

/**
 * Rules about the values of {@code @VideoNetwork} and {@code @Budget}, which every family shares: before
 * sizing, that they are in range; after sizing, that the network's cost is within its budget.
 *
 * <pre>{@code
 * ValidationReport values = NetworkRules.check(spec);
 * ValidationReport budget = NetworkRules.checkBudget(spec, sizing);
 * }</pre>
 */
final class NetworkRules {

  private NetworkRules() {}

  /** The values of {@code @VideoNetwork}. */
  static ValidationReport check(NetworkSpec spec) {
    ValidationReport.Builder report = ValidationReport.builder();
    var n = spec.network();
    if (n.frames() < 1) {
      report.error(Message.FRAMES, n.src().at("frames"), n.frames());
    }
    if (n.classes() < 1) {
      report.error(Message.CLASSES, n.src().at("classes"), n.classes());
    }
    // an AdaFocusV2 global encoder with its own inputSize does not see the network's frames
    boolean encoderSeesInput = spec.family() != NetworkSpec.Family.ADAFOCUS_V2
        || spec.globalEncoder().map(g -> g.inputSize() == 0).orElse(true);
    if (encoderSeesInput && !Ranges.multipleOfStride(n.inputSize())) {
      String cnn = spec.backbone().map(b -> b.value().name()).orElse(Phrase.GLOBAL_ENCODER.format());
      report.error(Message.INPUT_SIZE, n.src().at("inputSize"), n.inputSize(), cnn, Ranges.nearestMultiples(n.inputSize()));
    }
    if (n.frames() >= 1 && n.inputSize() >= 1) {
      long values = (long) n.frames() * n.inputSize() * n.inputSize() * 3;
      if (values > Ranges.MAX_ARRAY) {
        report.error(Message.CLIP_SIZE, n.src().at("frames"), n.frames(), n.inputSize(), n.inputSize(), Format.thousands(values),
            Format.thousands(Ranges.MAX_ARRAY));
      }
    }
    Origin dropout = n.src().at("dropout");
    if (Ranges.representable(report, n.dropout(), dropout, "dropout", Ranges.DROPOUT, true) && !Ranges.DROPOUT.contains(n.dropout())) {
      report.error(Message.DROPOUT, dropout, Format.number(n.dropout()));
    }
    return report.build();
  }

  /** The value of {@code @Budget(maxGflops)}, if declared. */
  static ValidationReport checkBudgetValue(NetworkSpec spec) {
    ValidationReport.Builder report = ValidationReport.builder();
    spec.budget().ifPresent(b -> {
      Origin at = b.src().at("maxGflops");
      if (Ranges.representable(report, b.maxGflops(), at, "maxGflops", Ranges.BUDGET, false) && !Ranges.BUDGET.contains(b.maxGflops())) {
        report.error(Message.BUDGET_RANGE, at, Format.number(b.maxGflops()));
      }
    });
    return report.build();
  }

  /** The declared budget against the computed cost, naming the three most expensive stages. */
  static ValidationReport checkBudget(NetworkSpec spec, Sizing sizing) {
    if (spec.budget().isEmpty() || sizing.gflopsPerClip() <= spec.budget().get().maxGflops()) {
      return ValidationReport.clean();
    }
    var largest = sizing.rows().stream()
        .sorted(Comparator.comparingDouble(Sizing.Row::gflopsPerClip).reversed())
        .limit(3)
        .map(r -> r.name() + " " + Format.gflops(r.gflopsPerClip()))
        .toList();
    var budget = spec.budget().get();
    return ValidationReport.of(Message.BUDGET, budget.src().at("maxGflops"), spec.typeName(), Format.gflops(sizing.gflopsPerClip()),
        Format.number(budget.maxGflops()), Format.list(largest));
  }
}
