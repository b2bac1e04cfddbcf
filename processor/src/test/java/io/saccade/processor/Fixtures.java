package io.saccade.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;

/** Compiles test sources from {@code src/test/resources} through the processor. */
final class Fixtures {

  private Fixtures() {}

  /** {@code good/Foo.java}, {@code bad/Bar.java}, ... as a source file. */
  static JavaFileObject source(String resource) {
    return JavaFileObjects.forResource(resource);
  }

  /** Runs javac with the processor (and -Xlint:all) over {@code resources}. */
  static Compilation compile(String... resources) {
    JavaFileObject[] files = new JavaFileObject[resources.length];
    for (int i = 0; i < resources.length; i++) {
      files[i] = source(resources[i]);
    }
    return compiler().compile(files);
  }

  static Compiler compiler() {
    return Compiler.javac().withProcessors(new NetworkProcessor()).withOptions("-Xlint:all", "-Xlint:-processing");
  }
}
