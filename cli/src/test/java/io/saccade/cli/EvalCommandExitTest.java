package io.saccade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.Interpolation;
import io.saccade.runtime.blocks.AdaFocusV2;
import io.saccade.runtime.blocks.AdaFocusV2Spec;
import io.saccade.runtime.blocks.BottleneckSpec;
import io.saccade.runtime.blocks.ResNet;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** {@code saccade eval} on a tiny AdaFocusV2 with a conditional exit prints its curve and plots it. */
class EvalCommandExitTest {

  /** A tiny recurrent AdaFocusV2 with {@code @ConditionalExit}, as the processor would generate it. */
  public static final class TinyExitModel implements VideoModel {
    static final AdaFocusV2Spec SPEC =
        new AdaFocusV2Spec(4, 4, 32, 32, 16, true, Interpolation.BILINEAR, 8, 16, 16, 0.2f,
            Optional.of(FrameOrder.COARSE_TO_FINE), 0.75);

    @Override public String name() {
      return "TinyExit";
    }

    @Override public int frames() {
      return 4;
    }

    @Override public int classes() {
      return 4;
    }

    @Override public int inputSize() {
      return 32;
    }

    @Override public ModelSummary summary() {
      return ModelSummary.builder(name(), 4, 32).build();
    }

    @Override public ModelOutputs build(BuildContext ctx, Operand<TFloat32> clips, Operand<TFloat32> temperature) {
      return AdaFocusV2.build(
          ctx,
          clips,
          SPEC,
          (c, f) -> ResNet.bottleneck(c.child("block0"), ResNet.stem(c.child("stem"), f, 8), BottleneckSpec.of(4, 16).withStride(2)),
          (c, p) -> ResNet.bottleneck(c.child("block0"), ResNet.stem(c.child("stem"), p, 8), BottleneckSpec.of(6, 24).withStride(2)));
    }
  }

  @Test
  void printsTheCurveAsATableAndExitLinesAndPlotsIt(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    try (Trainer t = Trainer.builder(new TinyExitModel()).batchSize(4).runDirectory(run).build()) {
      t.saveCheckpoint(Map.of());
    }
    Path png = dir.resolve("curve.png");
    String out =
        capture(
            "eval", "-n", TinyExitModel.class.getName(), "--run", run.toString(), "--batch", "4",
            "--train-clips", "12", "--val-clips", "6", "--calibration-clips", "5", "--plot", png.toString());
    Matcher eval = Pattern.compile("EVAL model=TinyExit step=0 top1=(\\S+) top5=\\S+ gflops=(\\S+)").matcher(out);
    assertTrue(eval.find(), out);
    assertEquals("0.7500", eval.group(2));
    assertTrue(out.contains("thresholds fitted on 5 clips, evaluated on 6"), out);
    assertEquals(36, out.lines().filter(l -> l.startsWith("EXIT p=")).count(), out);
    assertTrue(out.contains("EXIT p=0.50 top1="), out);
    assertTrue(out.contains("EXIT p=all top1=" + eval.group(1) + " gflops=0.7500 exits=0,0,0,6"), out);
    assertTrue(Files.size(png) > 0);

    String without =
        capture("eval", "-n", TinyExitModel.class.getName(), "--run", run.toString(), "--batch", "4", "--val-clips", "6", "--no-exit");
    assertTrue(without.contains("EVAL model=TinyExit"), without);
    assertTrue(without.lines().noneMatch(l -> l.startsWith("EXIT")), without);
  }

  private static String capture(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(ps);
      assertEquals(0, SaccadeCommand.execute(args));
    } finally {
      System.setOut(old);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
