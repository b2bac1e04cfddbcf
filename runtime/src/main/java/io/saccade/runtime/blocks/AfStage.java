package io.saccade.runtime.blocks;

import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.nn.BuildContext;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Builds an AFNet stage (see {@link AfStageSpec}). In training the focal blocks run on every frame with
 * their input multiplied by the straight-through mask (the official form, which carries the mask's
 * gradient); at inference they gather the selected frames, compute only those, and give skipped frames
 * {@code shortcut + f(0)}, with f(0) computed once.
 *
 * <pre>{@code
 * AfStage.Result r = AfStage.build(ctx.child("stage1"), x, spec, temperature);
 * }</pre>
 */
public final class AfStage {

  private AfStage() {}

  /**
   * What a stage returns.
   *
   * @param output {@code [N·T, H/stride, W/stride, out]}
   * @param selections the navigation masks of this stage, in forward order
   * @param gflops {@code [N]}: GFLOPs this stage actually spent per clip
   */
  public record Result(Operand<TFloat32> output, List<ModelOutputs.Selection> selections, Operand<TFloat32> gflops) {}

  /** Builds the stage on {@code x} ({@code [N·T, H, W, inChannels]}). */
  public static Result build(BuildContext ctx, Operand<TFloat32> x, AfStageSpec spec, Operand<TFloat32> temperature) {
    throw new UnsupportedOperationException("AfStage.build: implemented with the nn and adaptive blocks");
  }
}
