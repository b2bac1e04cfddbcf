package io.saccade.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code saccade summary}: a network's print-out — per-stage shapes, parameters and GFLOPs. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = "Print a network's per-stage shapes, parameters and analytic GFLOPs (known at compile time).")
final class SummaryCommand implements Runnable {

  @Option(names = {"-n", "--network"}, required = true, description = "Network name, e.g. AfResNet50Tsm.")
  String network;

  @Override
  public void run() {
    System.out.print(NetworkRegistry.find(network).summary().table());
  }
}
