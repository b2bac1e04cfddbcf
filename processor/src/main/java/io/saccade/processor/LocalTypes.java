package io.saccade.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;

/**
 * Finds Saccade declarations on types inside method bodies, lambdas, initializers and anonymous classes.
 * javac does not enter those before annotation processing, so {@code getElementsAnnotatedWith} never
 * returns them and the processor would generate nothing and say nothing; this scans the source trees of
 * each round's root types instead, and reports one {@code type-kind} error per such type, on its first
 * Saccade annotation. Needs javac's tree API; with another compiler it finds nothing.
 *
 * <pre>{@code
 * localTypes.report(round, diagnostics);
 * }</pre>
 */
final class LocalTypes {

  private final Set<CompilationUnitTree> scanned = Collections.newSetFromMap(new IdentityHashMap<>());
  private Trees trees;

  /** Reports every Saccade-annotated local type in the compilation units of {@code round}'s root types. */
  void report(RoundEnvironment round, Diagnostics diagnostics) {
    for (Element root : round.getRootElements()) {
      TreePath path = path(root, diagnostics);
      if (path == null || !scanned.add(path.getCompilationUnit())) {
        continue;
      }
      CompilationUnitTree unit = path.getCompilationUnit();
      boolean importsDsl = unit.getImports().stream().map(ImportTree::getQualifiedIdentifier).map(Object::toString)
          .anyMatch(i -> i.startsWith(Reader.DSL));
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitClass(ClassTree type, Void unused) {
          if (isLocal(getCurrentPath())) {
            saccadeAnnotation(type, importsDsl).ifPresent(a ->
                diagnostics.error(Message.TYPE_KIND_LOCAL, a, unit, type.getSimpleName().toString()));
          }
          return super.visitClass(type, unused);
        }
      }.scan(unit, null);
    }
  }

  private TreePath path(Element root, Diagnostics diagnostics) {
    try {
      if (trees == null) {
        trees = diagnostics.trees();
      }
      return trees == null ? null : trees.getPath(root);
    } catch (RuntimeException | LinkageError notJavac) {
      return null;
    }
  }

  /** Whether the class at {@code path} sits in a method, lambda, initializer or anonymous class body. */
  static boolean isLocal(TreePath path) {
    for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof LambdaExpressionTree || leaf instanceof BlockTree
          || leaf instanceof NewClassTree) {
        return true;
      }
    }
    return false;
  }

  /** The first annotation of {@code type} that names a Saccade annotation. */
  private static Optional<AnnotationTree> saccadeAnnotation(ClassTree type, boolean importsDsl) {
    for (AnnotationTree a : type.getModifiers().getAnnotations()) {
      String name = a.getAnnotationType().toString();
      String simple = name.substring(name.lastIndexOf('.') + 1);
      boolean qualified = name.equals(Reader.DSL + simple);
      if (NetworkProcessor.ANNOTATIONS.contains(simple) && (qualified || importsDsl && !name.contains("."))) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
