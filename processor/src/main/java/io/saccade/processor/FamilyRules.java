package io.saccade.processor;

import io.saccade.processor.Message.Phrase;
import java.util.ArrayList;
import java.util.List;

/**
 * Which annotations go together: one family per type (dense, AFNet or AdaFocusV2), each with all of the
 * annotations it needs. Nothing else can be checked until this report is clean, because every later
 * rule group is the family's.
 *
 * <pre>{@code
 * ValidationReport family = FamilyRules.check(spec);
 * if (family.isClean()) { switch (spec.family()) { ... } }
 * }</pre>
 */
final class FamilyRules {

  private FamilyRules() {}

  static ValidationReport check(NetworkSpec spec) {
    List<String> af = afAnnotations(spec);
    List<String> ada = adaAnnotations(spec);
    if (!af.isEmpty() && !ada.isEmpty()) {
      return ValidationReport.of(Message.CONFLICT_FAMILIES, firstAdaOrigin(spec), spec.typeName(), Format.list(af), Format.list(ada));
    }
    if (!ada.isEmpty()) {
      return adaFocus(spec, ada);
    }
    if (!af.isEmpty()) {
      return afNet(spec, af);
    }
    if (spec.backbone().isEmpty()) {
      return ValidationReport.of(Message.MISSING_CNN, spec.network().src().annotation(), spec.typeName());
    }
    return ValidationReport.clean();
  }

  private static ValidationReport adaFocus(NetworkSpec spec, List<String> declared) {
    if (spec.backbone().isPresent()) {
      return ValidationReport.of(Message.CONFLICT_BACKBONE, spec.backbone().get().src().annotation(), spec.typeName());
    }
    List<String> missing = new ArrayList<>();
    if (spec.globalEncoder().isEmpty()) {
      missing.add("@GlobalEncoder");
    }
    if (spec.patchPolicy().isEmpty()) {
      missing.add("@PatchPolicy");
    }
    if (spec.localEncoder().isEmpty()) {
      missing.add("@LocalEncoder");
    }
    if (!missing.isEmpty()) {
      return ValidationReport.of(Message.MISSING_ADAFOCUS, firstAdaOrigin(spec), Format.list(declared), spec.typeName(),
          Format.and(missing), Format.and(missing));
    }
    return ValidationReport.clean();
  }

  private static ValidationReport afNet(NetworkSpec spec, List<String> declared) {
    Origin first = firstAfOrigin(spec);
    if (spec.backbone().isEmpty()) {
      return ValidationReport.of(Message.MISSING_BACKBONE, first, Format.list(declared), spec.typeName());
    }
    List<String> missing = new ArrayList<>();
    if (spec.ample().isEmpty()) {
      missing.add("@AmpleBranch");
    }
    if (spec.focal().isEmpty()) {
      missing.add("@FocalBranch");
    }
    if (spec.navigation().isEmpty()) {
      missing.add("@Navigation");
    }
    if (!missing.isEmpty()) {
      List<String> toAdd = missing.stream().map(m -> m.equals("@Navigation") ? Phrase.ADD_NAVIGATION.format() : m).toList();
      return ValidationReport.of(Message.MISSING_AFNET, first, Format.list(declared), spec.typeName(), Format.and(missing),
          Format.and(toAdd));
    }
    return ValidationReport.clean();
  }

  private static List<String> afAnnotations(NetworkSpec spec) {
    List<String> out = new ArrayList<>();
    spec.navigation().ifPresent(x -> out.add("@Navigation"));
    spec.focal().ifPresent(x -> out.add("@FocalBranch"));
    spec.ample().ifPresent(x -> out.add("@AmpleBranch"));
    if (!spec.stages().isEmpty()) {
      out.add("@Stage");
    }
    return out;
  }

  private static Origin firstAfOrigin(NetworkSpec spec) {
    return spec.navigation().map(x -> x.src().annotation())
        .or(() -> spec.focal().map(x -> x.src().annotation()))
        .or(() -> spec.ample().map(x -> x.src().annotation()))
        .orElseGet(() -> spec.stages().get(0).src().annotation());
  }

  private static List<String> adaAnnotations(NetworkSpec spec) {
    List<String> out = new ArrayList<>();
    spec.globalEncoder().ifPresent(x -> out.add("@GlobalEncoder"));
    spec.patchPolicy().ifPresent(x -> out.add("@PatchPolicy"));
    spec.localEncoder().ifPresent(x -> out.add("@LocalEncoder"));
    spec.classifier().ifPresent(x -> out.add("@Classifier"));
    spec.conditionalExit().ifPresent(x -> out.add("@ConditionalExit"));
    return out;
  }

  private static Origin firstAdaOrigin(NetworkSpec spec) {
    return spec.globalEncoder().map(x -> x.src().annotation())
        .or(() -> spec.patchPolicy().map(x -> x.src().annotation()))
        .or(() -> spec.localEncoder().map(x -> x.src().annotation()))
        .or(() -> spec.classifier().map(x -> x.src().annotation()))
        .orElseGet(() -> spec.conditionalExit().orElseThrow().src().annotation());
  }
}
