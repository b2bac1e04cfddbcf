package io.saccade.processor;

import io.saccade.dsl.LocalEncoder;
import io.saccade.processor.Message.Phrase;
import io.saccade.processor.NetworkSpec.LocalEncoderDecl;

/**
 * Rules of an AdaFocusV2 declaration: the global encoder's input, the patch and the policy, the
 * annotations only the recurrent policy has, and the local encoder's frames.
 *
 * <pre>{@code
 * ValidationReport report = AdaFocusRules.check(spec);
 * }</pre>
 */
final class AdaFocusRules {

  private AdaFocusRules() {}

  static ValidationReport check(NetworkSpec spec) {
    ValidationReport.Builder report = ValidationReport.builder();
    var n = spec.network();
    var global = spec.globalEncoder().orElseThrow();
    if (global.inputSize() != 0) {
      if (!Ranges.multipleOfStride(global.inputSize())) {
        report.error(Message.GLOBAL_INPUT_STRIDE, global.src().at("inputSize"), global.inputSize(), global.backbone(),
            Ranges.nearestMultiples(global.inputSize()));
      } else if (global.inputSize() > n.inputSize()) {
        report.error(Message.GLOBAL_INPUT, global.src().at("inputSize"), global.inputSize(), n.inputSize(), n.inputSize());
      }
    }
    var patch = spec.patchPolicy().orElseThrow();
    if (patch.patchSize() < 1) {
      report.error(Message.PATCH_SIZE_RANGE, patch.src().at("patchSize"), patch.patchSize());
    } else if (patch.patchSize() > n.inputSize()) {
      report.error(Message.PATCH_SIZE, patch.src().at("patchSize"), patch.patchSize(), n.inputSize());
    }
    if (patch.hidden() < 0 || (patch.hidden() == 1 && !patch.recurrent())) {
      Phrase least = patch.recurrent() ? Phrase.HIDDEN_RECURRENT : Phrase.HIDDEN_PER_CLIP;
      report.error(Message.POLICY_HIDDEN, patch.src().at("hidden"), patch.hidden(), least.format());
    }
    spec.conditionalExit().ifPresent(x -> {
      if (!patch.recurrent()) {
        report.error(Message.CONFLICT_EXIT, x.src().annotation());
      }
    });
    spec.classifier().ifPresent(c -> {
      if (!patch.recurrent()) {
        report.error(Message.CONFLICT_CLASSIFIER, c.src().annotation());
      } else if (c.hidden() < 1) {
        report.error(Message.CLASSIFIER_HIDDEN, c.src().at("hidden"), c.hidden());
      }
    });
    if (n.frames() == 1 && global.temporalShift()) {
      report.error(Message.SHIFT_FRAMES, global.src().at("temporalShift"), n.frames());
    }
    report.add(focusFrames(spec, patch.recurrent()));
    return report.build();
  }

  /** {@code @LocalEncoder(frames)}: a count the policy can use, a shift it allows, a clip that fits an array. */
  private static ValidationReport focusFrames(NetworkSpec spec, boolean recurrent) {
    var n = spec.network();
    var local = spec.localEncoder().orElseThrow();
    boolean explicit = local.frames() != LocalEncoder.OFFICIAL;
    if (n.frames() < 1) {
      return ValidationReport.clean(); // the frames error covers it
    }
    if (explicit && local.frames() < 0) {
      String official = recurrent
          ? Phrase.FOCUS_RECURRENT.format(n.frames())
          : Phrase.FOCUS_PER_CLIP.format(LocalEncoderDecl.officialFocusFrames(n.frames()));
      return ValidationReport.of(Message.LOCAL_FRAMES, local.src().at("frames"), local.frames(), official);
    }
    if (explicit && recurrent && local.frames() != n.frames()) {
      return ValidationReport.of(Message.LOCAL_FRAMES_RECURRENT, local.src().at("frames"), local.frames(), n.frames());
    }
    int focus = local.framesOrOfficial(n.frames(), recurrent);
    if (focus == 1 && local.temporalShift()) {
      return ValidationReport.of(Message.SHIFT_FRAMES, local.src().at(explicit ? "frames" : "temporalShift"), focus);
    }
    long frameValues = (long) n.inputSize() * n.inputSize() * 3;
    if (focus != n.frames() && n.inputSize() >= 1 && (long) n.frames() * frameValues <= Ranges.MAX_ARRAY) {
      long values = (long) (n.frames() + focus) * frameValues;
      if (values > Ranges.MAX_ARRAY) {
        // the input clip holds the glance's T frames and the focus network's Tf
        return ValidationReport.of(Message.CLIP_SIZE, explicit ? local.src().at("frames") : n.src().at("frames"), n.frames() + focus,
            n.inputSize(), n.inputSize(), Format.thousands(values), Format.thousands(Ranges.MAX_ARRAY));
      }
    }
    return ValidationReport.clean();
  }
}
