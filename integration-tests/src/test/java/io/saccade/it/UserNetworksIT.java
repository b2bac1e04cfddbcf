package io.saccade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * After the invoker built the user project: the saccade command, with the user's classes on its class
 * path as the README shows, finds the user's networks by name.
 */
class UserNetworksIT {
  private static final Path CLI = Path.of(System.getProperty("saccade.cliJar"));
  private static final Path USER = Path.of(System.getProperty("saccade.userProject"));

  private record Run(int exit, String out) {}

  private static Run saccade(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(CLI + File.pathSeparator + USER.resolve("target/classes"));
    command.add("io.saccade.cli.SaccadeCommand");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new Run(p.exitValue(), out);
  }

  @Test
  void theUserProjectWasBuiltWithItsGeneratedNetworks() {
    Path generated = USER.resolve("target/generated-sources/annotations/com/example/video");
    assertTrue(Files.isRegularFile(generated.resolve("MotionNetNetwork.java")), "the processor ran in the user's build");
    assertTrue(Files.isRegularFile(USER.resolve("target/classes/META-INF/services/io.saccade.runtime.model.VideoModel")),
        "the processor registered the user's networks");
  }

  @Test
  void networksListsTheUsersNetworksByName() throws Exception {
    Run r = saccade("networks");
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("MotionNet "), r.out());
    assertTrue(r.out().contains("MotionNetBaseline "), r.out());
    assertTrue(r.out().contains("AfDemo "), "the examples stay listed:\n" + r.out());
  }

  @Test
  void aUserNetworkIsFoundByItsShortName() throws Exception {
    Run r = saccade("summary", "-n", "MotionNet");
    assertEquals(0, r.exit(), r.out());
    assertTrue(r.out().contains("1,449,410"), r.out());
  }
}
