package io.saccade.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.saccade.runtime.model.VideoModel;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor lists the networks it generates in {@code META-INF/services/io.saccade.runtime.model.VideoModel}:
 * once per compilation, sorted, merged with what an earlier build left in the output, and found by
 * {@link ServiceLoader}.
 */
class ServiceRegistrationTest {

  @Test
  void listsEveryGeneratedNetworkOnce() {
    Compilation c = Fixtures.compile("good/TsnResNet50.java", "good/AfResNet50Tsm.java", "good/AfResNet50DeepSparse.java");
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedFile(StandardLocation.CLASS_OUTPUT, ServiceRegistration.PATH)
        .contentsAsUtf8String().isEqualTo("demo.AfResNet50TsmNetwork\ndemo.DeepSparseNetwork\ndemo.TsnResNet50Network\n");
  }

  @Test
  void writesNothingWhenTurnedOffOrWhenNothingWasGenerated() {
    Compilation off = Fixtures.compiler().withOptions("-Xlint:all", "-Xlint:-processing", "-Asaccade.services=false")
        .compile(Fixtures.source("good/TsnResNet50.java"));
    assertThat(off).succeededWithoutWarnings();
    assertTrue(off.generatedFiles().stream().noneMatch(f -> f.toUri().toString().contains("META-INF")), off.generatedFiles().toString());
    Compilation plain = Fixtures.compiler().compile(JavaFileObjects.forSourceString("demo.Plain", "package demo; class Plain {}"));
    assertThat(plain).succeededWithoutWarnings();
    assertTrue(plain.generatedFiles().stream().noneMatch(f -> f.toUri().toString().contains("META-INF")));
  }

  @Test
  void gradleIsToldAggregatingWhileServicesAreWrittenElseIsolating() {
    assertTrue(new NetworkProcessor().getSupportedOptions().contains("org.gradle.annotation.processing.aggregating"));
    Compilation off = Fixtures.compiler().withOptions("-Asaccade.services=false").compile(Fixtures.source("good/TsnResNet50.java"));
    assertThat(off).succeeded();
  }

  /** A real javac into a directory, twice, as an incremental build does; then ServiceLoader over the output. */
  @Test
  void anIncrementalBuildMergesAndServiceLoaderFindsTheNetworks(@TempDir Path out) throws Exception {
    assertEquals(List.of(), compile(out, "good/TsnResNet50.java"));
    Path services = out.resolve(ServiceRegistration.PATH);
    assertEquals("demo.TsnResNet50Network\n", Files.readString(services));
    // an entry whose class is gone (its declaration deleted) is dropped, the others kept
    Files.writeString(services, "demo.TsnResNet50Network\ndemo.GoneNetwork\n");
    assertEquals(List.of(), compile(out, "good/AfResNet50Tsm.java"));
    assertEquals("demo.AfResNet50TsmNetwork\ndemo.TsnResNet50Network\n", Files.readString(services));

    try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
      List<String> found = new ArrayList<>();
      for (VideoModel m : ServiceLoader.load(VideoModel.class, loader)) {
        if (m.getClass().getClassLoader() == loader) {
          found.add(m.name());
        }
      }
      assertEquals(List.of("AfResNet50Tsm", "TsnResNet50"), found);
    }
  }

  /** Compiles {@code resources} with the processor into {@code out} (also on the class path); the errors. */
  private static List<String> compile(Path out, String... resources) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      List<File> classpath = new ArrayList<>();
      classpath.add(out.toFile());
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        classpath.add(new File(entry));
      }
      files.setLocation(StandardLocation.CLASS_PATH, classpath);
      files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(out.toFile()));
      Path sources = Files.createTempDirectory(out.getParent(), "src");
      List<File> inputs = new ArrayList<>();
      for (String r : resources) {
        Path p = sources.resolve(r.substring(r.lastIndexOf('/') + 1));
        try (var in = ServiceRegistrationTest.class.getClassLoader().getResourceAsStream(r)) {
          Files.write(p, in.readAllBytes());
        }
        inputs.add(p.toFile());
      }
      JavaCompiler.CompilationTask task =
          javac.getTask(null, files, diagnostics, List.of(), null, files.getJavaFileObjectsFromFiles(inputs));
      task.setProcessors(List.of(new NetworkProcessor()));
      task.call();
    }
    return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
        .map(d -> d.getMessage(null)).toList();
  }
}
