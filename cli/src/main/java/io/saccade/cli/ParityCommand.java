package io.saccade.cli;

import io.saccade.runtime.interop.AfNetParity;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.io.Json;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code saccade parity}: reproduce an official AFNet fixture and print one PARITY line per path. */
@Command(
    name = "parity",
    mixinStandardHelpOptions = true,
    description = "Load an official AFNet parity fixture, run the matching network and compare (exit 1 on a mismatch).")
final class ParityCommand implements Callable<Integer> {

  /** The networks the examples declare for the fixtures. */
  static final String NON_TSM = "AfResNet50Parity";
  static final String TSM = "AfResNet50TsmParity";
  static final String MOBILENET = "AfMobileNetV3Parity";

  @Option(names = "--fixture", required = true, description = "Fixture folder (meta.json, weights.npz, input.npz, expected.npz).")
  Path fixture;

  @Option(names = {"-n", "--network"}, description = "Network to check (default: chosen from meta.json's tsm flag).")
  String network;

  @Override
  public Integer call() throws Exception {
    Path meta = fixture.resolve("meta.json");
    if (!Files.isRegularFile(meta)) {
      throw new NoSuchFileException(meta.toString(), null, "not an AFNet parity fixture");
    }
    Map<String, Object> m = Json.object(Json.parse(meta), "meta.json");
    String model = String.valueOf(m.get("model"));
    VideoModel net;
    if (network != null) {
      net = NetworkRegistry.find(network);
    } else if (model.contains("mobilenet")) {
      net = NetworkRegistry.find(MOBILENET);
    } else {
      net = NetworkRegistry.find(Boolean.TRUE.equals(m.get("tsm")) ? TSM : NON_TSM);
    }
    boolean passed = true;
    for (boolean skip : new boolean[] {true, false}) {
      AfNetParity.Report r = AfNetParity.check(net, fixture, skip);
      System.out.println(r.line());
      passed &= r.passed();
    }
    return passed ? 0 : 1;
  }
}
