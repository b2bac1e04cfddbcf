package io.saccade.cli;

import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.export.SavedModelExporter;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code saccade export}: a trained run as a TensorFlow SavedModel ({@code serving_default}). */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a trained run as a TensorFlow SavedModel.")
final class ExportCommand implements Callable<Integer> {

  @Option(names = {"-n", "--network"}, required = true, description = "Network name.")
  String network;

  @Option(names = "--run", required = true, description = "Run folder whose latest checkpoint to export.")
  Path run;

  @Option(names = {"-o", "--out"}, required = true, description = "SavedModel folder to create.")
  Path out;

  @ArgGroup(exclusive = false, heading = "Data (for the class names):%n") DataOptions data = new DataOptions();

  @Override
  public Integer call() throws Exception {
    VideoModel model = NetworkRegistry.find(network);
    VideoDataset val = data.validation(model);
    List<String> names = val == null ? List.of() : val.classNames();
    try (Trainer trainer = Trainer.builder(model).runDirectory(run).build()) {
      long step =
          trainer.resume().orElseThrow(() -> new IllegalArgumentException("no checkpoint in " + run.resolve("checkpoints")));
      SavedModelExporter.export(model, trainer.session(), out, names);
      System.out.println("EXPORTED model=" + model.name() + " step=" + step + " dir=" + out);
    }
    return 0;
  }
}
