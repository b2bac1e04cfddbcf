package io.saccade.runtime.train;

import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.data.VideoDataset;
import java.nio.file.Path;

/**
 * The training process {@link KilledMidSaveTest} kills: a tiny AFNet checkpointing after every step, resuming
 * from its run folder's latest checkpoint. Prints {@code RESUMED step}, {@code STEP n} after each step (before
 * that step's checkpoint is written) and {@code DONE steps loss} at the end.
 */
public final class KillTarget {

  private KillTarget() {}

  static VideoDataset data() {
    return SyntheticMotionDataset.builder()
        .frames(TinyAfModel.FRAMES)
        .size(TinyAfModel.SIZE)
        .classes(4)
        .keyFrames(2)
        .clips(24)
        .seed(3)
        .split(Split.TRAIN)
        .build();
  }

  /** The run: Adam (its state is checkpointed too), a checkpoint after every step, the last two kept. */
  static TrainerBuilder trainer(Path run, int epochs) {
    return Trainer.builder(new TinyAfModel(4))
        .trainData(data())
        .epochs(epochs)
        .batchSize(4)
        .threads(1)
        .learningRate(0.01)
        .optimizer(Adam.builder().build())
        .seed(5)
        .keepLast(2)
        .checkpointEvery(1)
        .runDirectory(run);
  }

  public static void main(String[] args) {
    Path run = Path.of(args[0]);
    TrainingListener announce =
        new TrainingListener() {
          @Override
          public void onStep(Progress progress, Trainer.Step step) {
            System.out.println("STEP " + step.step());
            System.out.flush();
          }
        };
    try (Trainer t = trainer(run, Integer.parseInt(args[1])).listener(announce).build()) {
      System.out.println("RESUMED " + t.resume().orElse(0L));
      System.out.flush();
      Trainer.Summary s = t.fit();
      System.out.println("DONE " + s.steps() + " " + s.lastLoss());
    }
    System.exit(0);
  }
}
