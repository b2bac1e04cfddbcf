package io.saccade.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.saccade.runtime.io.FileDigests;
import io.saccade.runtime.io.Json;
import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.Tensors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * A training process ({@link KillTarget}, a checkpoint after every step) SIGKILLed at random moments — while it
 * starts and resumes, between steps, inside checkpoint writes — and started again each time: every resume
 * finds the latest complete checkpoint, and the run finally reaches the loss and weights of a run never
 * interrupted. Default: 6 kills over 3 epochs; {@code -Dsaccade.soak=true}: 40 kills over 12 epochs
 * ({@code -Dsaccade.kills=N} sets the number, {@code -Dsaccade.kill.seed=S} replays a sequence).
 */
class KilledMidSaveTest {

  private static final boolean SOAK = Boolean.getBoolean("saccade.soak");

  @TempDir Path dir;

  @Test
  void aRunKilledAtRandomMomentsResumesFromCompleteCheckpointsToTheUninterruptedWeights() throws Exception {
    int kills = Integer.getInteger("saccade.kills", SOAK ? 40 : 6);
    int epochs = SOAK ? 12 : 3;
    long seed = Long.getLong("saccade.kill.seed", System.nanoTime());
    System.out.println("KilledMidSaveTest: " + kills + " kills over " + epochs + " epochs, -Dsaccade.kill.seed=" + seed);
    Random random = new Random(seed);
    Path run = dir.resolve("killed");
    int killed = 0;
    int insideSaves = 0;
    int restarts = 0;
    long expectedResume = 0;
    String done = null;
    while (done == null) {
      boolean last = killed >= kills;
      Child child = Child.start(run, epochs, dir.resolve("child-" + restarts++ + ".log"));
      String resumed = child.await(l -> l.startsWith("RESUMED "), 120);
      assertEquals("RESUMED " + expectedResume, resumed, "resumes from the latest complete checkpoint (seed " + seed + ")");
      if (last) {
        done = child.await(l -> l.startsWith("DONE "), 600);
        assertEquals(0, child.process.waitFor(), "the last run ends normally");
        break;
      }
      if (random.nextInt(4) == 0) {
        // While it starts: TensorBoard files are trimmed, run.json is rewritten, the first step runs.
        Thread.sleep(random.nextInt(400));
      } else {
        int steps = 1 + random.nextInt(3);
        for (int i = 0; i < steps; i++) {
          String line = child.await(l -> l.startsWith("STEP ") || l.startsWith("DONE "), 120);
          if (line.startsWith("DONE ")) {
            done = line;
            break;
          }
        }
        // The listener hears a step just before its checkpoint is written: a few ms later the save is under way.
        Thread.sleep(random.nextInt(30));
      }
      if (done != null) {
        child.process.waitFor();
        break;
      }
      child.process.destroyForcibly();
      child.process.waitFor();
      killed++;
      if (leftovers(run.resolve("checkpoints"))) {
        insideSaves++;
      }
      expectedResume = checkLatestIsComplete(run.resolve("checkpoints"));
    }
    System.out.println("KilledMidSaveTest: survived " + killed + " kills (" + insideSaves
        + " left a half-written checkpoint behind), " + restarts + " processes; " + done);
    assertTrue(killed >= Math.min(kills, 1), "the run was killed at least once");

    Trainer.Summary whole;
    Path reference = dir.resolve("whole");
    try (Trainer t = KillTarget.trainer(reference, epochs).build()) {
      whole = t.fit();
    }
    String[] parts = done.split(" ");
    assertEquals(whole.steps(), Long.parseLong(parts[1]), "the killed run ends at the same step");
    double loss = Double.parseDouble(parts[2]);
    assertEquals(whole.lastLoss(), loss, 1e-4 * Math.max(1, Math.abs(whole.lastLoss())), "last loss");
    Map<String, float[]> a = weights(reference, epochs);
    Map<String, float[]> b = weights(run, epochs);
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      float[] x = a.get(name);
      float[] y = b.get(name);
      for (int i = 0; i < x.length; i++) {
        if (Math.abs(x[i] - y[i]) > 1e-4f * Math.max(1f, Math.abs(x[i]))) {
          fail(name + "[" + i + "] = " + y[i] + " after " + killed + " kills, " + x[i] + " uninterrupted (seed " + seed + ")");
        }
      }
    }
  }

  /** Whether a kill left a temporary (half-written) checkpoint folder. */
  private static boolean leftovers(Path checkpoints) throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return false;
    }
    try (Stream<Path> list = Files.list(checkpoints)) {
      return list.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-"));
    }
  }

  /**
   * The step of the latest checkpoint {@link Checkpoints#latest()} picks (0 without one), after checking that
   * every file of it has the length and checksum recorded when it was written.
   */
  private static long checkLatestIsComplete(Path checkpoints) throws IOException {
    Optional<Checkpoint> latest = new Checkpoints(checkpoints, 2).latest();
    if (latest.isEmpty()) {
      return 0;
    }
    Path d = latest.get().directory();
    Map<String, Object> meta = Json.object(Json.parse(Files.readString(d.resolve(Checkpoint.METADATA))), "metadata");
    FileDigests.verify(d, Json.object(meta.get("files"), "files"), "checkpoint " + d);
    return latest.get().step();
  }

  /** The network's weights in the latest checkpoint of {@code run}. */
  private static Map<String, float[]> weights(Path run, int epochs) throws IOException {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (Trainer t = KillTarget.trainer(run, epochs).build()) {
      t.restoreModel().orElseThrow();
      for (Parameter p : t.store().all()) {
        try (Result r = t.session().runner().fetch(p.variable()).run()) {
          out.put(p.name(), Tensors.floats((TFloat32) r.get(0)));
        }
      }
    }
    return out;
  }

  /** A {@link KillTarget} process and the lines it prints. */
  private record Child(Process process, BlockingQueue<String> lines, Path log) {

    static Child start(Path run, int epochs, Path log) throws IOException {
      String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx256m");
      command.add("-cp");
      command.add(classPath);
      command.add(KillTarget.class.getName());
      command.add(run.toString());
      command.add(Integer.toString(epochs));
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      Process p = pb.start();
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l; (l = in.readLine()) != null; ) {
                    lines.add(l);
                  }
                } catch (IOException e) {
                  // the process was killed
                }
                lines.add("EOF");
              },
              "kill-target-stdout");
      reader.setDaemon(true);
      reader.start();
      return new Child(p, lines, log);
    }

    /** The next line {@code wanted} accepts; fails on the end of the output or after {@code seconds}. */
    String await(java.util.function.Predicate<String> wanted, int seconds) throws Exception {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (true) {
        String l = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (l == null || l.equals("EOF")) {
          process.destroyForcibly();
          fail("the training process " + (l == null ? "printed nothing for " + seconds + " s" : "ended (exit " + process.waitFor() + ")")
              + " before the expected line; its log " + log + ":\n" + Files.readString(log));
        }
        if (wanted.test(l)) {
          return l;
        }
      }
    }
  }
}
