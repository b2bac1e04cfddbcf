package com.example.video;

import io.saccade.runtime.data.Split;
import io.saccade.runtime.data.SyntheticMotionDataset;
import io.saccade.runtime.export.Preprocessing;
import io.saccade.runtime.export.SavedModelExporter;
import io.saccade.runtime.export.VideoClassifier;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Trainer;
import java.nio.file.Path;

/** Trains MotionNet on Saccade's embedded dataset, exports it and classifies a video file and a frame folder. */
public final class TrainMotionNet {

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/motion-net");
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    int clips = args.length > 2 ? Integer.parseInt(args[2]) : 2048;

    VideoModel model = new MotionNetNetwork();                  // generated from @MotionNet at compile time
    System.out.println(model.summary());

    // The embedded dataset, drawn to the network's frames, size and classes; no download.
    var train = SyntheticMotionDataset.builder().forModel(model).clips(clips).build();
    var validation = SyntheticMotionDataset.builder().forModel(model).split(Split.VALIDATION).clips(256).build();

    Path exported = out.resolve("model");
    try (Trainer trainer = Trainer.builder(model)
            .trainData(train)
            .validationData(validation)
            .epochs(epochs)
            .runDirectory(out.resolve("run"))                   // checkpoints and TensorBoard files
            .listener(new EpochCsv(out.resolve("epochs.csv")))  // your own listener (EpochCsv.java)
            .build()) {
      Trainer.Summary done = trainer.fit();
      System.out.printf("validation top-1 %.3f at %.4f GFLOPs per clip%n",
          done.validation().top1(), done.validation().gflopsPerClip());
      // exported/1, with the class names and the pre-processing of the training data
      SavedModelExporter.export(model, trainer.session(), exported, train.classNames(), Preprocessing.of(train), 0);
    }

    // Classify a video file and a frame folder with the exported model: it carries its own sampling,
    // resizing and normalisation. One classifier serves many threads; close() frees TensorFlow's memory.
    Path samples = out.resolve("samples");
    var one = validation.toBuilder().clips(1).build();
    one.writeVideos(samples);                                   // samples/validation_000000.mp4
    one.writeFrameFolders(samples);                             // samples/validation_000000/00001.jpg, ...
    try (VideoClassifier classifier = VideoClassifier.open(exported)) {
      for (String video : new String[] {"validation_000000.mp4", "validation_000000"}) {
        VideoClassifier.Prediction p = classifier.classify(samples.resolve(video), 3);
        System.out.printf("%s: %s %.2f (truth %s), %.4f GFLOPs, first navigation layer kept frames %s%n",
            video, p.top().get(0).label(), p.top().get(0).probability(), one.classNames().get(one.label(0)),
            p.gflops(), java.util.Arrays.toString(p.keptFrames()[0]));
      }
    }
  }
}
