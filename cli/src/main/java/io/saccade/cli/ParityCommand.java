package io.saccade.cli;

import io.saccade.runtime.interop.AdaFocusV2Parity;
import io.saccade.runtime.interop.AfNetParity;
import io.saccade.runtime.io.Json;
import io.saccade.runtime.model.VideoModel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code saccade parity}: reproduce an official fixture. AFNet: one PARITY line per inference path.
 * AdaFocusV2: one line per stored array (end to end, then per stage), then one PARITY line.
 */
@Command(
    name = "parity",
    mixinStandardHelpOptions = true,
    description = "Load an official AFNet or AdaFocusV2 parity fixture, run the matching network and compare (exit 1 on a mismatch).")
final class ParityCommand implements Callable<Integer> {

  /** The networks the examples declare for the fixtures. */
  static final String NON_TSM = "AfResNet50Parity";
  static final String TSM = "AfResNet50TsmParity";
  static final String MOBILENET = "AfMobileNetV3Parity";
  static final String ADAFOCUSV2_RECURRENT = "AdaFocusV2MiniKineticsParity";
  static final String ADAFOCUSV2_PER_CLIP = "AdaFocusV2TsmParity";

  @Option(names = "--fixture", required = true, description = "Fixture folder (meta.json, weights.npz, input.npz, expected.npz).")
  Path fixture;

  @Option(names = {"-n", "--network"}, description = "Network to check (default: chosen from meta.json).")
  String network;

  @Override
  public Integer call() throws Exception {
    Path meta = fixture.resolve("meta.json");
    if (!Files.isRegularFile(meta)) {
      throw new NoSuchFileException(meta.toString(), null, "not a parity fixture");
    }
    Map<String, Object> m = Json.object(Json.parse(meta), "meta.json");
    if (AdaFocusV2Parity.isAdaFocusV2(m)) {
      String variant = String.valueOf(m.get("variant"));
      VideoModel net = NetworkRegistry.find(
          network != null ? network : variant.equals("per_clip") ? ADAFOCUSV2_PER_CLIP : ADAFOCUSV2_RECURRENT);
      AdaFocusV2Parity.Report r = AdaFocusV2Parity.check(net, fixture);
      System.out.println(r.table());
      System.out.println(r.line());
      return r.passed() ? 0 : 1;
    }
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
