package io.saccade.benchmarks;

import io.saccade.runtime.adaptive.FrameSelector;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Forward time of a small conv stack (3 × conv 3×3, 64 → 64 channels, ReLU, at 28×28) on a batch of 16
 * frames when only {@code selected} of them are computed ({@link FrameSelector#gathered}), against the
 * dense {@link FrameSelector#masked} form, which computes all 16 whatever the mask says.
 *
 * <p>The mask is fed, so one graph serves every {@code selected}; the selected frames are spread evenly
 * over the batch. Each call runs the graph once and fetches the {@code [16, 28, 28, 64]} output.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xss4m")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameSelectorBenchmark {

  static final int FRAMES = 16;
  static final int SIZE = 28;
  static final int CHANNELS = 64;
  static final int CONVS = 3;

  /** How many of the 16 frames the mask selects. */
  @Param({"16", "8", "4", "2"})
  public int selected;

  private Graph graph;
  private Session session;
  private Placeholder<TFloat32> x;
  private Placeholder<TFloat32> mask;
  private Operand<TFloat32> gathered;
  private Operand<TFloat32> masked;
  private TFloat32 xValue;
  private TFloat32 maskValue;

  @Setup(Level.Trial)
  public void build() {
    graph = new Graph();
    Ops tf = Ops.create(graph);
    x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(FRAMES, SIZE, SIZE, CHANNELS)));
    mask = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(FRAMES)));
    Random random = new Random(1);
    float[][] kernels = new float[CONVS][];
    float scale = (float) Math.sqrt(2.0 / (9 * CHANNELS)); // He init keeps activations O(1) through the stack
    for (int i = 0; i < CONVS; i++) {
      kernels[i] = new float[9 * CHANNELS * CHANNELS];
      for (int j = 0; j < kernels[i].length; j++) {
        kernels[i][j] = (float) random.nextGaussian() * scale;
      }
    }
    Function<Operand<TFloat32>, Operand<TFloat32>> stack =
        in -> {
          Operand<TFloat32> y = in;
          for (float[] k : kernels) {
            Operand<TFloat32> kernel = tf.constant(Shape.of(3, 3, CHANNELS, CHANNELS), DataBuffers.of(k));
            y = tf.nn.relu(tf.nn.conv2d(y, kernel, List.of(1L, 1L, 1L, 1L), "SAME"));
          }
          return y;
        };
    gathered = FrameSelector.gathered(tf.withSubScope("gathered"), x, mask, stack, null).output();
    masked = FrameSelector.masked(tf.withSubScope("masked"), x, mask, stack);

    float[] frames = new float[FRAMES * SIZE * SIZE * CHANNELS];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = random.nextFloat();
    }
    float[] keep = new float[FRAMES];
    for (int i = 0; i < selected; i++) {
      keep[i * FRAMES / selected] = 1f;
    }
    xValue = TFloat32.tensorOf(Shape.of(FRAMES, SIZE, SIZE, CHANNELS), DataBuffers.of(frames));
    maskValue = TFloat32.tensorOf(Shape.of(FRAMES), DataBuffers.of(keep));
    session = new Session(graph);
  }

  @Benchmark
  public long gathered() {
    return run(gathered);
  }

  @Benchmark
  public long masked() {
    return run(masked);
  }

  private long run(Operand<TFloat32> output) {
    try (Result r = session.runner().feed(x, xValue).feed(mask, maskValue).fetch(output).run()) {
      return r.get(0).shape().size();
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    xValue.close();
    maskValue.close();
    session.close();
    graph.close();
  }
}
