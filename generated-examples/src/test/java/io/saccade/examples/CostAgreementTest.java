package io.saccade.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.testing.TfTest;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The processor (at compile time) and the runtime (at build time) count an example network's cost with
 * the same layouts and formulas ({@code io.saccade.architecture}): at initialisation navigation keeps
 * every frame of a zero clip, so the runtime's dynamic GFLOPs of each AFNet example equal the generated
 * {@code UPPER_GFLOPS_PER_CLIP} (the Sizer at RT = 1). A new backbone or cost term changes both sides at once.
 */
class CostAgreementTest {

  static Stream<Arguments> afNetExamples() {
    return Stream.of(
        Arguments.of("AfResNet50Tsm", (Supplier<VideoModel>) AfResNet50TsmNetwork::new, AfResNet50TsmNetwork.UPPER_GFLOPS_PER_CLIP),
        Arguments.of("AfMobileNetV3", (Supplier<VideoModel>) AfMobileNetV3Network::new, AfMobileNetV3Network.UPPER_GFLOPS_PER_CLIP),
        Arguments.of("AfDemo", (Supplier<VideoModel>) AfDemoNetwork::new, AfDemoNetwork.UPPER_GFLOPS_PER_CLIP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("afNetExamples")
  void runtimeCountsWhatTheProcessorComputed(String name, Supplier<VideoModel> network, double upperGflops) {
    VideoModel model = network.get();
    int t = model.frames();
    int s = model.inputSize();
    try (TfTest tf = TfTest.create()) {
      Placeholder<TFloat32> clips = tf.placeholder(1, t, s, s, 3);
      ModelOutputs out = model.build(tf.ctx(Mode.INFERENCE), clips, tf.tf().constant(0.01f));
      float[] gflops = tf.eval(Map.of(clips, new float[t * s * s * 3]), out.dynamicGflops());
      // float32 sums of per-stage GFLOPs: 1e-5 relative
      assertEquals(upperGflops, gflops[0], upperGflops * 1e-5, name);
    }
  }
}
