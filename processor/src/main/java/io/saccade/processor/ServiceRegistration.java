package io.saccade.processor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes {@code META-INF/services/io.saccade.runtime.model.VideoModel}, one generated class per line,
 * sorted, so {@code ServiceLoader.load(VideoModel.class)} (and the {@code saccade} command's
 * {@code -n Name}) finds every network. Written once, when processing is over, from the classes of every
 * round; merged with the file already in the class output (an incremental build that recompiles only
 * some declarations), keeping the entries whose class still exists.
 *
 * <pre>{@code
 * new ServiceRegistration(processingEnv).write(Set.of("demo.AfNetNetwork"), declaringTypes);
 * }</pre>
 */
final class ServiceRegistration {

  /** The service file, relative to the class output. */
  static final String PATH = "META-INF/services/io.saccade.runtime.model.VideoModel";

  private final ProcessingEnvironment env;

  ServiceRegistration(ProcessingEnvironment env) {
    this.env = env;
  }

  /** Writes {@code generated} plus the still-existing entries of the file already there. */
  void write(Collection<String> generated, List<TypeElement> originating) throws IOException {
    Filer filer = env.getFiler();
    TreeSet<String> entries = new TreeSet<>(generated);
    for (String old : existing(filer)) {
      if (env.getElementUtils().getTypeElement(old) != null) {
        entries.add(old);
      }
    }
    FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", PATH, originating.toArray(Element[]::new));
    try (Writer out = new OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
      for (String entry : entries) {
        out.write(entry);
        out.write('\n');
      }
    }
  }

  /** The entries of the service file a previous build left in the class output, if any. */
  private static List<String> existing(Filer filer) {
    try {
      FileObject old = filer.getResource(StandardLocation.CLASS_OUTPUT, "", PATH);
      try (BufferedReader in = new BufferedReader(new InputStreamReader(old.openInputStream(), StandardCharsets.UTF_8))) {
        return in.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).toList();
      }
    } catch (IOException | IllegalArgumentException | UnsupportedOperationException none) {
      return List.of(); // a clean build, or an output that cannot be read back (compile-testing's in-memory one)
    }
  }
}
