package io.saccade.processor;

/**
 * Checks a {@link NetworkSpec} by running its rule groups and collecting their reports, one error per
 * cause, placed on the attribute that causes it. A group runs only when the groups it depends on
 * returned a clean report, so one mistake never shows up as a cascade:
 *
 * <ol>
 *   <li>{@link TypeRules} — the declaring type and the generated name;
 *   <li>{@link FamilyRules} — which annotations go together; nothing else runs unless clean;
 *   <li>{@link NetworkRules} — the values of {@code @VideoNetwork} (and, last, {@code @Budget});
 *   <li>the family's: {@link WidthRules#checkValue} and {@link BackboneRules} (dense), {@link AfNetRules}
 *       (AFNet), {@link AdaFocusRules} (AdaFocusV2);
 *   <li>{@link WidthRules#checkFits} — the width search, once the rest of the backbone's rules are clean.
 * </ol>
 *
 * <pre>{@code
 * ValidationReport report = new Validator().validate(spec);
 * report.printTo(diagnostics);
 * if (report.isClean()) { ... plan, size ... }
 * }</pre>
 */
final class Validator {

  /** Everything that can be checked before sizing; clean when {@code spec} can be planned. */
  ValidationReport validate(NetworkSpec spec) {
    ValidationReport.Builder report = ValidationReport.builder();
    report.add(TypeRules.check(spec));
    if (!report.add(FamilyRules.check(spec))) {
      return report.build();
    }
    report.add(NetworkRules.check(spec));
    switch (spec.family()) {
      case DENSE -> report.add(dense(spec));
      case AFNET -> report.add(afNet(spec));
      case ADAFOCUS_V2 -> report.add(AdaFocusRules.check(spec));
    }
    report.add(NetworkRules.checkBudgetValue(spec));
    return report.build();
  }

  /** The budget against the computed cost; clean when within it. */
  ValidationReport validate(NetworkSpec spec, Sizing sizing) {
    return NetworkRules.checkBudget(spec, sizing);
  }

  private static ValidationReport dense(NetworkSpec spec) {
    var backbone = spec.backbone().orElseThrow();
    ValidationReport.Builder report = ValidationReport.builder();
    boolean widthOk = report.add(WidthRules.checkValue(backbone));
    boolean shiftOk = report.add(BackboneRules.checkShift(spec, backbone, false));
    if (widthOk && shiftOk) {
      report.add(WidthRules.checkFits(spec, backbone));
    }
    return report.build();
  }

  private static ValidationReport afNet(NetworkSpec spec) {
    ValidationReport.Builder report = ValidationReport.builder();
    if (!report.add(AfNetRules.checkBackbone(spec))) {
      return report.build();
    }
    var backbone = spec.backbone().orElseThrow();
    boolean widthOk = report.add(WidthRules.checkValue(backbone));
    boolean afNetOk = report.add(AfNetRules.check(spec));
    if (widthOk && afNetOk) {
      report.add(WidthRules.checkFits(spec, backbone));
    }
    return report.build();
  }
}
