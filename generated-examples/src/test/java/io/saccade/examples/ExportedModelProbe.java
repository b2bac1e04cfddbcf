package io.saccade.examples;

import io.saccade.runtime.export.VideoClassifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Run in a fresh JVM by {@link ExportTest}: loads an exported SavedModel, classifies the clip in a raw
 * little-endian float file and prints every class probability, the GFLOPs and the selected frames.
 */
public final class ExportedModelProbe {
  public static void main(String[] args) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of(args[1]))).order(ByteOrder.LITTLE_ENDIAN);
    float[] clip = new float[b.remaining() / 4];
    b.asFloatBuffer().get(clip);
    try (VideoClassifier c = VideoClassifier.load(Path.of(args[0]))) {
      VideoClassifier.Prediction p = c.classify(clip, c.classes());
      StringBuilder sb = new StringBuilder();
      p.top().stream()
          .sorted((x, y) -> Integer.compare(x.index(), y.index()))
          .forEach(s -> sb.append(String.format(Locale.ROOT, "%d=%s ", s.index(), Float.toString(s.probability()))));
      System.out.println("PROBS " + sb.toString().trim());
      System.out.println("GFLOPS " + p.gflops());
      StringBuilder frames = new StringBuilder();
      for (float[] layer : p.selectedFrames()) {
        for (float f : layer) {
          frames.append(f > 0.5f ? '1' : '0');
        }
        frames.append(' ');
      }
      System.out.println("FRAMES " + frames.toString().trim());
    }
  }
}
