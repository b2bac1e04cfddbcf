package io.saccade.runtime.train;

import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's log: one line per epoch with the training means and the validation metrics, and a warning when the
 * training loss is still at chance level after {@value LossPlateau#STEPS} steps. Written through SLF4J (so
 * it survives {@code --quiet} and redirection), for example:
 *
 * <pre>
 * AfDemo epoch 3/12: train loss 0.4120 ce 0.3986 top1 0.871 kept 0.62 | val top1 0.9531 top5 1.0000 kept stage1/nav0 0.58
 *   stage1/nav1 0.55 stage2/nav0 0.49 … | 0.0311 GFLOPs/clip | 145 clips/s
 * </pre>
 *
 * When the loss adds terms to the clip cross-entropy (AFNet's ratio term, auxiliary heads), {@code ce} gives
 * the cross-entropy alone, the number to compare with chance, ln(classes). A default listener of every trainer.
 */
public final class LoggingListener implements TrainingListener {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private LossPlateau plateau;
  private String network;

  @Override
  public String toString() {
    return "LoggingListener";
  }

  @Override
  public void onTrainingStart(Trainer trainer) {
    network = trainer.model().name();
    plateau = new LossPlateau(trainer.model().classes());
  }

  @Override
  public void onStep(Progress p, Trainer.Step step) {
    String stuck = plateau.record(step.step(), step.classificationLoss());
    if (stuck != null) {
      LOG.warn("{}: {}", network, stuck);
    }
  }

  @Override
  public void onEpochResult(Progress p, EpochResult r) {
    LOG.info(line(network, p.epoch(), p.epochs(), p.clipsPerSecond(), r));
  }

  /** The epoch's line. */
  static String line(String network, int epoch, int epochs, double clipsPerSecond, EpochResult r) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s epoch %d/%d:", network, epoch + 1, epochs));
    if (r.steps() > 0) {
      b.append(String.format(Locale.ROOT, " train loss %.4f", r.loss()));
      if (Math.abs(r.loss() - r.crossEntropy()) > 1e-6) {
        // The loss adds auxiliary or ratio terms: the cross-entropy alone is what compares with ln(classes).
        b.append(String.format(Locale.ROOT, " ce %.4f", r.crossEntropy()));
      }
      b.append(String.format(Locale.ROOT, " top1 %.3f kept %.2f", r.top1(), r.kept()));
    }
    if (r.validation() != null) {
      var validation = r.validation().metrics();
      b.append(String.format(Locale.ROOT, " | val top1 %.4f top5 %.4f", validation.top1(), validation.top5()));
      Map<String, Double> layers = validation.selectionRatios();
      if (!layers.isEmpty()) {
        b.append(" kept");
        for (Map.Entry<String, Double> e : layers.entrySet()) {
          b.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(), e.getValue()));
        }
      }
      b.append(String.format(Locale.ROOT, " | %.5f GFLOPs/clip", validation.gflopsPerClip()));
    }
    if (clipsPerSecond > 0) {
      b.append(String.format(Locale.ROOT, " | %.1f clips/s", clipsPerSecond));
    }
    return b.toString();
  }
}
