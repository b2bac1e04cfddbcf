package io.saccade.runtime.model;

import io.saccade.runtime.nn.BuildContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A video-recognition network that can build its TensorFlow graph: what every class the Saccade
 * processor generates implements, so the runtime trains, evaluates and exports any of them the same way.
 *
 * <pre>{@code
 * VideoModel model = new AfResNet50TsmNetwork();
 * ModelOutputs out = model.build(BuildContext.root(tf, store, Mode.TRAINING), clips, temperature);
 * }</pre>
 */
public interface VideoModel {

  /** The declaring type's simple name, e.g. {@code AfResNet50Tsm}. */
  String name();

  /**
   * Frames per input clip: {@link #build} takes {@code [N, frames(), H, W, 3]}. T for most networks; an
   * AdaFocusV2 with a per-clip policy whose local CNN sees focus frames of its own takes T + Tf.
   */
  int frames();

  /**
   * How an input clip's frames are sampled from a video: consecutive sets summing to {@link #frames()}, each
   * spread over the whole video by segment sampling ({@link io.saccade.runtime.data.SegmentSampler}). One set
   * of {@code frames()} by default; {@code [T, Tf]} for an AdaFocusV2 whose local CNN sees Tf focus frames
   * sampled apart from the glance's T, as the official Something-Something/Jester loader does.
   */
  default java.util.List<Integer> frameSets() {
    return java.util.List.of(frames());
  }

  /** Number of classes. */
  int classes();

  /** Side of the square input frame in pixels. */
  int inputSize();

  /** Per-stage shapes, parameter counts and analytic GFLOPs, computed at compile time. */
  ModelSummary summary();

  /** The ratio-loss weight and temperature schedule its declaration gives; none for dense networks. */
  default NavigationTraining navigationTraining() {
    return NavigationTraining.NONE;
  }

  /**
   * Builds the network.
   *
   * @param ctx where to build: scope, parameters and mode
   * @param clips {@code [N, T, H, W, 3]} float frames, NHWC, already normalised
   * @param temperature scalar Gumbel-softmax temperature τ &gt; 0 (ignored by networks without navigation
   *     and at inference)
   * @return the logits and everything the loss, the metrics and the FLOPs counter need
   */
  ModelOutputs build(BuildContext ctx, Operand<TFloat32> clips, Operand<TFloat32> temperature);
}
