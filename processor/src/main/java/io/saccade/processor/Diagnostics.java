package io.saccade.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.tools.Diagnostic;

/**
 * Reports errors through javac, placed as precisely as the {@link Origin} allows, and never twice for
 * the same cause at the same place. Annotations inside a repeated annotation are placed through
 * javac's tree API (when running in javac), because javac cannot place its synthetic container.
 *
 * <pre>{@code
 * diagnostics.error(Message.FRAMES, n.src().at("frames"), 0);
 * validationReport.printTo(diagnostics);
 * }</pre>
 */
final class Diagnostics {

  private final Messager messager;
  private final Trees trees;
  private final Set<String> reported = new HashSet<>();

  Diagnostics(ProcessingEnvironment env) {
    this.messager = env.getMessager();
    this.trees = treesOf(env);
  }

  private static Trees treesOf(ProcessingEnvironment env) {
    try {
      return Trees.instance(env);
    } catch (RuntimeException | LinkageError notJavac) {
      return null; // another compiler: repeated annotations are reported on their element
    }
  }

  /** Reports {@code message} at {@code origin}; a second identical report is dropped. */
  void error(Message message, Origin origin, Object... args) {
    String text = message.format(args);
    String key = message.tag() + '|' + System.identityHashCode(origin.element()) + '|'
        + System.identityHashCode(origin.annotation()) + '|' + System.identityHashCode(origin.value()) + '|' + origin.locator()
        + '|' + text;
    if (!reported.add(key)) {
      return;
    }
    if (origin.locator() != null && printAtTree(text, origin)) {
      return;
    }
    if (origin.element() == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, text);
    } else if (origin.annotation() == null || origin.locator() != null) {
      messager.printMessage(Diagnostic.Kind.ERROR, text, origin.element());
    } else if (origin.value() == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, text, origin.element(), origin.annotation());
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, text, origin.element(), origin.annotation(), origin.value());
    }
  }

  /** A note at {@code origin}'s element, e.g. the stack trace of an internal error, so a user can report it. */
  void note(Origin origin, String text) {
    if (origin.element() == null) {
      messager.printMessage(Diagnostic.Kind.NOTE, text);
    } else {
      messager.printMessage(Diagnostic.Kind.NOTE, text, origin.element());
    }
  }

  /**
   * Reports {@code message} at a source tree that has no element (a type local to a method body); without
   * javac's tree API, on no element.
   */
  void error(Message message, Tree tree, CompilationUnitTree unit, Object... args) {
    String text = message.format(args);
    if (!reported.add(message.tag() + '|' + System.identityHashCode(tree) + '|' + text)) {
      return;
    }
    if (trees != null) {
      trees.printMessage(Diagnostic.Kind.ERROR, text, tree, unit);
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, text);
    }
  }

  /** javac's tree API, or null under another compiler. */
  Trees trees() {
    return trees;
  }

  private boolean printAtTree(String text, Origin origin) {
    if (trees == null || origin.element() == null) {
      return false;
    }
    try {
      TreePath path = trees.getPath(origin.element());
      if (path == null || !(path.getLeaf() instanceof ClassTree type)) {
        return false;
      }
      Optional<Tree> target = locate(type.getModifiers().getAnnotations(), origin.locator());
      if (target.isEmpty()) {
        return false;
      }
      trees.printMessage(Diagnostic.Kind.ERROR, text, target.get(), path.getCompilationUnit());
      return true;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** The tree {@code locator} points at among a type's annotations. */
  static Optional<Tree> locate(List<? extends AnnotationTree> annotations, Origin.Locator locator) {
    int seen = 0;
    Tree current = null;
    for (AnnotationTree a : annotations) {
      if (simpleName(a).equals(locator.annotation()) && seen++ == locator.occurrence()) {
        current = a;
      }
    }
    List<String> steps = locator.steps();
    if (current == null) {
      // written out as the container, e.g. @Stages({@Stage(...), @Stage(...)})
      for (AnnotationTree a : annotations) {
        if (simpleName(a).equals(locator.annotation() + "s")) {
          current = step(a, "value[" + locator.occurrence() + "]");
        }
      }
    }
    for (String s : steps) {
      if (current == null) {
        return Optional.empty();
      }
      current = step(current, s);
    }
    return Optional.ofNullable(current);
  }

  private static String simpleName(AnnotationTree a) {
    String name = a.getAnnotationType().toString();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /** From an annotation tree to the value of {@code name} or {@code name[i]}. */
  private static Tree step(Tree tree, String step) {
    if (!(tree instanceof AnnotationTree annotation)) {
      return null;
    }
    int bracket = step.indexOf('[');
    String name = bracket < 0 ? step : step.substring(0, bracket);
    int index = bracket < 0 ? -1 : Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
    for (ExpressionTree argument : annotation.getArguments()) {
      ExpressionTree value;
      if (argument instanceof AssignmentTree assignment && assignment.getVariable() instanceof IdentifierTree id) {
        if (!id.getName().contentEquals(name)) {
          continue;
        }
        value = assignment.getExpression();
      } else if (name.equals("value")) {
        value = argument;
      } else {
        continue;
      }
      if (index < 0) {
        return value;
      }
      if (value instanceof NewArrayTree array) {
        return index < array.getInitializers().size() ? array.getInitializers().get(index) : null;
      }
      return index == 0 ? value : null;
    }
    return null;
  }
}
