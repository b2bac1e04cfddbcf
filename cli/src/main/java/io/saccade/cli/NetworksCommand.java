package io.saccade.cli;

import io.saccade.runtime.model.VideoModel;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code saccade networks}: the generated networks on the classpath, one line each. */
@Command(name = "networks", mixinStandardHelpOptions = true, description = "List the networks available by name.")
final class NetworksCommand implements Runnable {
  @Override
  public void run() {
    for (VideoModel m : NetworkRegistry.available()) {
      System.out.printf(
          Locale.ROOT,
          "%-24s %2d frames  %3d px  %4d classes  %9.3f GFLOPs/clip  %,12d params%n",
          m.name(),
          m.frames(),
          m.inputSize(),
          m.classes(),
          m.summary().gflopsPerClip(),
          m.summary().parameters());
    }
  }
}
