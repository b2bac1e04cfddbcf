package com.example.video;

import io.saccade.runtime.train.Trainer;
import io.saccade.runtime.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** A training listener of one's own: one CSV line per epoch, for a spreadsheet or a plot. */
public final class EpochCsv implements TrainingListener {
  private final Path file;

  public EpochCsv(Path file) {
    this.file = file;
  }

  @Override
  public void onTrainingStart(Trainer trainer) {
    write("epoch,step,train_loss,val_top1,kept,gflops_per_clip\n", StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Override
  public void onEpochResult(Progress progress, EpochResult result) {
    var val = result.validation() == null ? null : result.validation().metrics();
    write(String.format(Locale.ROOT, "%d,%d,%.4f,%.4f,%.3f,%.5f%n",
        progress.epoch() + 1, progress.step(), result.loss(),
        val == null ? Double.NaN : val.top1(), result.kept(), val == null ? Double.NaN : val.gflopsPerClip()),
        StandardOpenOption.APPEND);
  }

  private void write(String text, StandardOpenOption mode) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
