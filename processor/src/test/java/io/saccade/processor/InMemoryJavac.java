package io.saccade.processor;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * javac in memory that, unlike compile-testing, hands out what the processors generated even when the
 * compilation has errors: a batch of declarations where some are rejected still shows the generated code
 * of the others.
 */
final class InMemoryJavac {

  /** The diagnostics and the generated sources (path such as {@code fuzz/FooNetwork.java} → text). */
  record Output(List<Diagnostic<? extends JavaFileObject>> diagnostics, Map<String, String> generatedSources) {}

  private InMemoryJavac() {}

  static Output run(List<JavaFileObject> sources, List<String> options, Processor processor) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, String> generated = new LinkedHashMap<>();
    StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
    JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
        String path = className.replace('.', '/') + kind.extension;
        return new SimpleJavaFileObject(URI.create("mem:///" + location.getName() + "/" + path), kind) {
          private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

          @Override
          public OutputStream openOutputStream() {
            return new ByteArrayOutputStream() {
              @Override
              public void close() {
                if (kind == JavaFileObject.Kind.SOURCE) {
                  generated.put(path, toString(StandardCharsets.UTF_8));
                }
                bytes.writeBytes(toByteArray());
              }
            };
          }

          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return generated.getOrDefault(path, "");
          }
        };
      }

      @Override
      public FileObject getFileForOutput(Location location, String packageName, String relativeName, FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + location.getName() + "/" + relativeName), JavaFileObject.Kind.OTHER) {
          @Override
          public OutputStream openOutputStream() {
            return new ByteArrayOutputStream();
          }
        };
      }
    };
    JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, options, null, sources);
    task.setProcessors(List.of(processor));
    task.call();
    return new Output(diagnostics.getDiagnostics(), generated);
  }
}
