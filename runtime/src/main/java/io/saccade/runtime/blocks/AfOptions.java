package io.saccade.runtime.blocks;

import io.saccade.runtime.nn.BuildContext;

/**
 * How AFNet's blocks ({@link AfStage}, {@link MobileNetAfStage}, {@link Navigation}) are built below a
 * context: carried as the context's {@linkplain BuildContext#with(Class, Object) extension}, so the generic
 * layers never see it.
 *
 * <pre>{@code
 * BuildContext masked = AfOptions.withFrameSkipping(BuildContext.root(tf, store, Mode.INFERENCE), false);
 * }</pre>
 *
 * @param skipFrames whether adaptive blocks really skip the frames their navigation drops at inference (true,
 *     the default: gather → compute → scatter). False computes every frame with its input multiplied by the
 *     mask, as the official AFNet does — the same values at full cost, for comparison and parity checks.
 *     Training always uses the masked form.
 * @param keepMargin the keep margin every navigation module starts with instead of its declared one, or NaN
 *     for the declared one
 */
public record AfOptions(boolean skipFrames, float keepMargin) {

  /** Frames skipped at inference, declared keep margins. */
  public static final AfOptions DEFAULT = new AfOptions(true, Float.NaN);

  /** The options below {@code ctx}: its extension, else {@link #DEFAULT}. */
  public static AfOptions of(BuildContext ctx) {
    return ctx.extension(AfOptions.class).orElse(DEFAULT);
  }

  /** {@code ctx} with frame skipping at inference switched on or off (see {@link #skipFrames()}). */
  public static BuildContext withFrameSkipping(BuildContext ctx, boolean skip) {
    return ctx.with(AfOptions.class, new AfOptions(skip, of(ctx).keepMargin()));
  }

  /**
   * {@code ctx} with every navigation module built below it starting "keep" {@code margin} logits above
   * "skip" instead of its declared {@code NavigationSpec.keepMargin()} (a trainer's override: the official
   * margin 9 lets short runs barely learn to drop frames). Only the initial value changes; a restored
   * checkpoint wins.
   */
  public static BuildContext withKeepMargin(BuildContext ctx, float margin) {
    if (!(margin > 0f) || Float.isInfinite(margin)) {
      throw new IllegalArgumentException("keep margin must be finite and > 0 (every frame starts kept), got " + margin);
    }
    return ctx.with(AfOptions.class, new AfOptions(of(ctx).skipFrames(), margin));
  }

  /** The keep margin a navigation module starts with: the override, else {@code declared}. */
  public float keepMargin(float declared) {
    return Float.isNaN(keepMargin) ? declared : keepMargin;
  }
}
