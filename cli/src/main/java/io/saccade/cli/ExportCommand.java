package io.saccade.cli;

import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.export.Preprocessing;
import io.saccade.runtime.export.SavedModelExporter;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Checkpoint;
import io.saccade.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code saccade export}: a trained run as a TensorFlow SavedModel ({@code serving_default}) in a numbered
 * version folder, with the run's class names and pre-processing in {@code assets.extra/}.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export a trained run as a TensorFlow SavedModel in OUT/<version>, with its labels and pre-processing.")
final class ExportCommand implements Callable<Integer> {

  @Option(names = {"-n", "--network"}, description = "Network name (default: the one the run was trained with; if given, it must be that one).")
  String network;

  @Option(names = "--run", required = true, description = "Run folder whose latest checkpoint to export.")
  Path run;

  @Option(names = {"-o", "--out"}, required = true, description = "Model folder; the export goes to OUT/1, or the next free number.")
  Path out;

  @Option(names = "--version", defaultValue = "0", description = "Version folder number (default: 1, or one more than the highest in OUT).")
  int version;

  /** --labels (in the data options) must equal the run's class names; runs of earlier versions need it. */
  @ArgGroup(exclusive = false, heading = "Data (--labels: must equal the run's class names; the rest only for runs of earlier versions):%n")
  DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    RunFolder folder = RunFolder.open(run);
    VideoModel model = folder.network(network);
    List<String> fromData = null;
    Preprocessing fallback = Preprocessing.assumed(model.frameSets(), model.inputSize());
    if (folder.info().isEmpty() && data.root != null && data.valList != null) {
      VideoDataset val = data.validation(model);
      fromData = val.classNames();
      fallback = Preprocessing.of(val);
    }
    List<String> names = folder.classNames(data.labels, fromData, model);
    Preprocessing preprocessing = folder.preprocessing(fallback);
    if (folder.info().isEmpty() && fromData == null) {
      System.out.println("note: " + run + " records no pre-processing (a run of an earlier version); writing ImageNet normalisation");
    }
    try (Trainer trainer = Trainer.builder(model).runDirectory(run).build()) {
      Checkpoint c =
          trainer.restoreModel().orElseThrow(() -> new IllegalArgumentException("no checkpoint in " + run.resolve("checkpoints")));
      Path dir = SavedModelExporter.export(model, trainer.session(), out, names, preprocessing, version);
      System.out.println("EXPORTED model=" + model.name() + " step=" + c.step() + " dir=" + dir + " classes=" + names.size());
    }
    return 0;
  }
}
