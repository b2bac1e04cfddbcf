package io.saccade.runtime.train;

import io.saccade.runtime.data.BadSampleException;
import io.saccade.runtime.data.Clip;
import io.saccade.runtime.data.Sampling;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.metrics.TensorBoardWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * TensorBoard event files in the layout Keras users know: {@code train/} and {@code validation/} runs under
 * one folder, with the same tags where both measure the same thing, so their curves overlay
 * ({@code tensorboard --logdir runs/a/tensorboard}).
 *
 * <ul>
 *   <li>{@code train/}, every step: {@code step/loss}, {@code step/cross_entropy}, {@code step/top1},
 *       {@code step/kept}, {@code step/learning_rate}, {@code step/temperature}, {@code step/gradient_norm};
 *       every epoch: {@code epoch/loss}, {@code epoch/cross_entropy}, {@code epoch/top1}, {@code epoch/kept}.
 *   <li>{@code validation/}, every epoch: {@code epoch/cross_entropy}, {@code epoch/top1}, {@code epoch/kept}
 *       (the same tags), {@code epoch/top5}, {@code gflops_per_clip}, {@code kept/<layer>} per navigation
 *       layer, the image {@code kept_frames} (the first validation video's frames, one row per navigation
 *       layer, skipped frames dimmed) and, after the last epoch of a model with a conditional exit,
 *       {@code exit/…} ({@link ExitCurveListener}).
 * </ul>
 *
 * <p>A default listener of every trainer with a run directory (remove it with
 * {@code withoutListener(TensorBoardListener.class)}). A resumed run first removes the events of the steps it
 * is about to redo, so each curve has each step once. A write that fails (a full disk) is one warning, and
 * training goes on.
 */
public final class TensorBoardListener implements TrainingListener {

  /** The widest a frame is drawn in the {@code kept_frames} image. */
  private static final int STRIP_FRAME = 96;

  private final Path directory;
  private Trainer trainer;
  private TensorBoardWriter train;
  private TensorBoardWriter validation;
  private Clip stripClip;
  private int stripIndex;

  /** Writes under {@code directory} ({@code train/} and {@code validation/}). */
  public TensorBoardListener(Path directory) {
    this.directory = directory;
  }

  /** The folder of the two runs. */
  public Path directory() {
    return directory;
  }

  /** The {@code train/} run's writer while training runs (null before and after), for a listener's own scalars. */
  public TensorBoardWriter train() {
    return train;
  }

  /** The {@code validation/} run's writer while training runs (null before and after). */
  public TensorBoardWriter validation() {
    return validation;
  }

  @Override
  public String toString() {
    return "TensorBoardListener[" + directory + "]";
  }

  @Override
  public void onTrainingStart(Trainer trainer) {
    this.trainer = trainer;
    stripClip = null;
    long step = trainer.step();
    try {
      // A resumed run re-does the steps after its checkpoint: their old events go, one curve stays.
      train = TensorBoardWriter.open(directory.resolve("train"), step);
      validation = TensorBoardWriter.open(directory.resolve("validation"), step);
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot open the TensorBoard folder " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onStep(Progress p, Trainer.Step st) {
    long step = st.step();
    train.scalar("step/loss", step, st.loss());
    train.scalar("step/cross_entropy", step, st.classificationLoss());
    train.scalar("step/top1", step, st.accuracy());
    train.scalar("step/kept", step, st.selectionRatio());
    train.scalar("step/learning_rate", step, p.learningRate());
    train.scalar("step/temperature", step, p.temperature());
    train.scalar("step/gradient_norm", step, st.gradientNorm());
  }

  @Override
  public void onEpochResult(Progress p, EpochResult r) {
    long step = p.step();
    if (r.steps() > 0) {
      train.scalar("epoch/loss", step, r.loss());
      train.scalar("epoch/cross_entropy", step, r.crossEntropy());
      train.scalar("epoch/top1", step, r.top1());
      train.scalar("epoch/kept", step, r.kept());
    }
    Evaluation e = r.validation();
    if (e != null) {
      validation.scalar("epoch/cross_entropy", step, e.crossEntropy());
      validation.scalar("epoch/top1", step, e.metrics().top1());
      validation.scalar("epoch/top5", step, e.metrics().top5());
      validation.scalar("gflops_per_clip", step, e.metrics().gflopsPerClip());
      Map<String, Double> layers = e.metrics().selectionRatios();
      if (!layers.isEmpty()) {
        validation.scalar("epoch/kept", step, layers.values().stream().mapToDouble(Double::doubleValue).average().orElse(1));
        layers.forEach((layer, kept) -> validation.scalar("kept/" + layer, step, kept));
        filmStrip(e, step);
      }
    }
    train.flush();
    validation.flush();
  }

  /** The first validation video's frames, one row per navigation layer, the frames it skipped dimmed. */
  private void filmStrip(Evaluation e, long step) {
    VideoDataset data = trainer.validationData();
    if (data == null || e.videos().isEmpty()) {
      return;
    }
    VideoResult first = e.videos().get(0);
    if (stripClip == null || stripIndex != first.index()) {
      try {
        // The evaluation view is the same every epoch: decoded once per run.
        stripClip = data.load(first.index(), Sampling.eval());
        stripIndex = first.index();
      } catch (BadSampleException ex) {
        return; // it was evaluated from the same file a moment ago; a file changed since is not worth a failure
      }
    }
    validation.image("kept_frames", step, keptFrames(stripClip, first.keptFrames()));
  }

  /**
   * Draws {@code clip}'s frames left to right, once per navigation layer (top to bottom), each frame at most
   * {@value #STRIP_FRAME} pixels wide; a frame the layer computed less than half of is drawn at a quarter of
   * its brightness. Pixel values are stretched from the clip's own minimum and maximum.
   */
  static BufferedImage keptFrames(Clip clip, Map<String, float[]> keptFrames) {
    int t = clip.frames();
    int scale = Math.max(1, (clip.width() + STRIP_FRAME - 1) / STRIP_FRAME);
    int w = clip.width() / scale;
    int h = clip.height() / scale;
    float[] data = clip.data();
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    float range = max > min ? max - min : 1f;
    int gap = 2;
    int rows = keptFrames.size();
    BufferedImage image = new BufferedImage(t * (w + gap) - gap, rows * (h + gap) - gap, BufferedImage.TYPE_INT_RGB);
    int row = 0;
    for (float[] kept : keptFrames.values()) {
      for (int f = 0; f < t; f++) {
        float light = kept[f] >= 0.5f ? 1f : 0.25f;
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int rgb = 0;
            for (int c = 0; c < Clip.CHANNELS; c++) {
              float v = (clip.get(f, y * scale, x * scale, c) - min) / range;
              rgb = (rgb << 8) | Math.round(Math.max(0f, Math.min(1f, v * light)) * 255);
            }
            image.setRGB(f * (w + gap) + x, row * (h + gap) + y, rgb);
          }
        }
      }
      row++;
    }
    return image;
  }

  @Override
  public void onTrainingEnd(Trainer trainer, Trainer.Summary summary) {
    close();
  }

  @Override
  public void onTrainingFailed(Trainer trainer, RuntimeException failure) {
    close();
  }

  private void close() {
    for (TensorBoardWriter w : new TensorBoardWriter[] {train, validation}) {
      if (w != null) {
        try {
          w.close();
        } catch (IOException e) {
          // already said once by the writer; nothing of the training depends on it
        }
      }
    }
    train = null;
    validation = null;
  }
}
