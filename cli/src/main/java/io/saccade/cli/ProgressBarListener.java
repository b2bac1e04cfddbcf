package io.saccade.cli;

import io.saccade.runtime.train.Trainer;
import io.saccade.runtime.train.TrainingListener;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The command line's progress bar: one bar per epoch, with the last step's loss, accuracy and kept fraction. */
final class ProgressBarListener implements TrainingListener {
  private ProgressBar bar;

  @Override
  public void onEpochStart(Progress p) {
    close();
    bar =
        new ProgressBarBuilder()
            .setTaskName(String.format(Locale.ROOT, "%s epoch %d/%d", p.network(), p.epoch() + 1, p.epochs()))
            .setInitialMax(p.stepsPerEpoch())
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .build();
    bar.stepTo(p.stepInEpoch());
  }

  @Override
  public void onStep(Progress p, Trainer.Step st) {
    bar.stepTo(p.stepInEpoch());
    bar.setExtraMessage(
        String.format(
            Locale.ROOT,
            " loss %.3f acc %.2f sel %.2f %.1f clips/s",
            st.loss(),
            st.accuracy(),
            st.selectionRatio(),
            p.clipsPerSecond()));
  }

  @Override
  public void onEpochEnd(Progress p) {
    close();
  }

  private void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
