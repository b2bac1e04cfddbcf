package io.saccade.runtime.train;

import io.saccade.runtime.blocks.Navigation;
import io.saccade.runtime.blocks.NavigationSpec;
import io.saccade.runtime.model.NavigationTraining;
import io.saccade.runtime.blocks.AfOptions;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.ParameterStore;
import io.saccade.runtime.nn.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * The defaults that depend on how a run starts. From pretrained weights, the papers' fine-tuning recipe holds
 * as declared (SGD at {@value #FINE_TUNING_LEARNING_RATE}, the official ratio curriculum, keep margin and
 * ratio-loss weight). From scratch, Adam, and for an AFNet two phases: every frame kept while the backbone
 * learns, then the navigation decisions restart {@value #FROM_SCRATCH_KEEP_MARGIN} logits towards keep and the
 * ratio loss, weight {@value #FROM_SCRATCH_RATIO_LOSS_WEIGHT}, pulls the kept fraction to its target. Every
 * value can be set explicitly on the {@link TrainerBuilder}, which then wins.
 */
public final class TrainingRecipe {

  /**
   * From scratch, navigation decisions declared with the official keep margin (9) restart this far towards
   * keep when the ratio curriculum begins: almost every frame is still kept at first (σ(2) ≈ 0.88 in
   * training, all of them in evaluation), but the ratio loss can move the decisions within a run of a few
   * epochs (at 9 its gradient is ≈ 1e-4 and a 12-epoch run keeps every frame).
   */
  public static final float FROM_SCRATCH_KEEP_MARGIN = 2f;
  /** From scratch, the ratio-loss weight used in place of the declared official 0.5. */
  public static final double FROM_SCRATCH_RATIO_LOSS_WEIGHT = 4.0;
  /** The ratio-loss weight of the released AFNet scripts (the {@code @Navigation(lossWeight)} default). */
  public static final double OFFICIAL_RATIO_LOSS_WEIGHT = 0.5;
  /** The default base learning rate from scratch (with {@link TrainerBuilder#fromScratchOptimizer()}). */
  public static final double FROM_SCRATCH_LEARNING_RATE = 1e-3;
  /**
   * The default base learning rate of an AFNet (a network with navigation) from scratch: its grouped focal
   * convolutions and half-width ample branch learn more slowly than a dense network at 1e-3 (AfDemo on the
   * embedded dataset with decoys, every frame kept, 12 epochs: 0.914 at 1e-3, 1.000 at 3e-3).
   */
  public static final double FROM_SCRATCH_AFNET_LEARNING_RATE = 3e-3;
  /** The default base learning rate from pretrained weights (with {@link TrainerBuilder#fineTuningOptimizer()}). */
  public static final double FINE_TUNING_LEARNING_RATE = 0.01;

  private TrainingRecipe() {}

  /** {@code ctx}, with the builder's keep-margin override when one was given. */
  static BuildContext keepMargin(BuildContext ctx, TrainingSettings s) {
    return s.keepMargin != null ? AfOptions.withKeepMargin(ctx, s.keepMargin) : ctx;
  }

  /**
   * The ratio curriculum: the builder's, else, with pretrained weights, the official epochs 10 and 20 of 55
   * scaled to the run; from scratch, 40 % and two thirds of the run (epochs 5 and 8 of 12), so the backbone
   * first learns with every frame.
   */
  static RatioCurriculum curriculum(TrainingSettings s) {
    if (s.curriculum != null) {
      return s.curriculum;
    }
    return s.pretrained()
        ? new RatioCurriculum(0, (int) Math.round(s.epochs * 10.0 / 55.0), (int) Math.round(s.epochs * 20.0 / 55.0))
        : new RatioCurriculum(0, (int) Math.round(s.epochs * 0.4), (int) Math.round(s.epochs * 2.0 / 3.0));
  }

  /** λ of the ratio loss: the builder's, else the declared one, with the official default replaced from scratch. */
  static double ratioLossWeight(TrainingSettings s, double declared) {
    if (s.ratioLossWeight != null) {
      return s.ratioLossWeight;
    }
    return !s.pretrained() && declared == OFFICIAL_RATIO_LOSS_WEIGHT ? FROM_SCRATCH_RATIO_LOSS_WEIGHT : declared;
  }

  /** The base learning rate of the default schedule when none was given. */
  static double learningRate(TrainingSettings s) {
    boolean navigation = !s.model.navigationTraining().equals(NavigationTraining.NONE);
    return s.pretrained() ? FINE_TUNING_LEARNING_RATE
        : navigation ? FROM_SCRATCH_AFNET_LEARNING_RATE : FROM_SCRATCH_LEARNING_RATE;
  }

  /** What the log says of the navigation settings when the graph is built. */
  static String describeNavigation(TrainingSettings s, double lambda) {
    String margin = s.keepMargin != null ? String.valueOf(s.keepMargin) : s.pretrained()
        ? "as declared"
        : "as declared, then " + FROM_SCRATCH_KEEP_MARGIN + " where 9 is declared once the ratio curriculum begins";
    return "navigation keep margin " + margin + ", ratio-loss weight " + lambda
        + (s.pretrained() ? "" : " (from scratch: the official 9 and 0.5 keep every frame in a short run; set both to keep them)");
  }

  /**
   * From scratch, the frame-navigation biases that start at the official margin (9: every frame kept while
   * the backbone learns); the trainer moves them to {@link #FROM_SCRATCH_KEEP_MARGIN} when the ratio
   * curriculum begins, so the ratio loss can then move the decisions within the run.
   */
  static List<Parameter> restartable(TrainingSettings s, ParameterStore store, Session session) {
    if (s.keepMargin != null || s.pretrained()) {
      return List.of();
    }
    List<Parameter> out = new ArrayList<>();
    for (Parameter p : store.all()) {
      if (Navigation.isFrameDecisionBias(p)) {
        try (Result r = session.runner().fetch(p.variable()).run()) {
          float[] b = Tensors.floats((TFloat32) r.get(0));
          boolean official = true;
          for (int f = 0; f < b.length; f += 2) {
            official &= b[f + 1] - b[f] == NavigationSpec.OFFICIAL_KEEP_MARGIN;
          }
          if (official) {
            out.add(p);
          }
        }
      }
    }
    return out;
  }
}
