package io.saccade.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import io.saccade.architecture.BackboneLayout;
import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.architecture.BackboneLayout.StageLayout;
import io.saccade.dsl.Backbones;
import io.saccade.processor.NetworkSpec.AmpleDecl;
import io.saccade.processor.NetworkSpec.AnnealDecl;
import io.saccade.processor.NetworkSpec.BackboneDecl;
import io.saccade.processor.NetworkSpec.FocalDecl;
import io.saccade.processor.NetworkSpec.NavigationDecl;
import io.saccade.processor.NetworkSpec.Network;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;

/**
 * The catalogue is whole: every entry is reported by some failing declaration (most in
 * {@link BadSourcesTest}), and every entry says in words what is wrong and what to do.
 */
class MessageCatalogueTest {

  /** Entries exercised outside {@link BadSourcesTest#checks()}, and by which test. */
  private static final Set<Message> ELSEWHERE = EnumSet.of(
      Message.NAME_CLASH, // BadSourcesTest.twoTypesGeneratingOneClassClash
      Message.INTERNAL, // BadSourcesTest.anInternalErrorCarriesItsStackTrace
      Message.INTERNAL_WRITE, // aFailedWriteIsReported
      Message.STAGE_ONE_BLOCK, // stageLayoutsNoBackboneHasYet
      Message.STAGE_PREVIOUS_STRIDE); // stageLayoutsNoBackboneHasYet

  @Test
  void everyEntryHasAFailingExample() {
    Set<Message> exercised = BadSourcesTest.checks().map(a -> (Message) a.get()[1]).collect(Collectors.toCollection(
        () -> EnumSet.noneOf(Message.class)));
    exercised.addAll(ELSEWHERE);
    Set<Message> missing = EnumSet.allOf(Message.class);
    missing.removeAll(exercised);
    assertEquals(Set.of(), missing, "catalogue entries without a failing example");
  }

  @Test
  void everyEntryIsWordsNotJustSlots() {
    for (Message m : Message.values()) {
      for (String text : List.of(m.problem(), m.fix())) {
        String words = text.replace("%s", "").replaceAll("[\\s.,:;?()]", "");
        assertTrue(words.length() >= 6, m + " has hardly a word of its own: \"" + text + "\"");
      }
    }
    for (Message.Phrase p : Message.Phrase.values()) {
      assertTrue(p == Message.Phrase.NOTHING || !p.format(new Object[countSlots(p)]).isBlank(), p.name());
    }
  }

  private static int countSlots(Message.Phrase p) {
    for (int n = 0; n < 4; n++) {
      try {
        p.format(new Object[n]);
        return n;
      } catch (IllegalArgumentException wrongCount) {
        // try the next count
      }
    }
    throw new AssertionError(p);
  }

  /** A rule group is tested alone: AFNet stage layouts that no backbone of today has, but the next may. */
  @Test
  void stageLayoutsNoBackboneHasYet() {
    BackboneLayout resnet = BackboneLayout.afNet(Backbones.RESNET50);
    Block block = resnet.stage(2).blocks().get(1);
    // stage 2 adaptive with a single block
    BackboneLayout oneBlock = withStages(resnet, Set.of(2), List.of(
        resnet.stage(1), new StageLayout(2, List.of(block.withStride(2))), resnet.stage(3), resnet.stage(4)));
    ValidationReport a = AfNetRules.check(afNet(), oneBlock);
    assertEquals(List.of(Message.STAGE_ONE_BLOCK), a.items().stream().map(ValidationReport.Item::message).toList(), a.toString());
    // stage 2 adaptive and strided after a dense stage 1 whose only block is strided too
    BackboneLayout strided = withStages(resnet, Set.of(2), List.of(
        new StageLayout(1, List.of(resnet.stage(1).blocks().get(0).withStride(2))), resnet.stage(2), resnet.stage(3), resnet.stage(4)));
    ValidationReport b = AfNetRules.check(afNet(), strided);
    assertEquals(List.of(Message.STAGE_PREVIOUS_STRIDE), b.items().stream().map(ValidationReport.Item::message).toList(), b.toString());
    assertTrue(Catalogue.isFrom(Message.STAGE_PREVIOUS_STRIDE, b.items().get(0).text()), b.toString());
    // the real layout is clean
    assertTrue(AfNetRules.check(afNet(), resnet).isClean());
  }

  private static BackboneLayout withStages(BackboneLayout l, Set<Integer> adaptive, List<StageLayout> stages) {
    return new BackboneLayout(l.id(), l.kind(), l.stem(), stages, l.head(), adaptive);
  }

  private static NetworkSpec afNet() {
    return NetworkSpec.builder("demo", "Af", new Network(8, 174, 224, "", 0.5, Source.NONE))
        .backbone(new BackboneDecl(Backbones.RESNET50, false, 8, 1.0, Source.NONE))
        .ample(new AmpleDecl(0, 2, Source.NONE))
        .focal(new FocalDecl(2, Source.NONE))
        .navigation(new NavigationDecl(0.5, 0.5, new AnnealDecl(1, 0.01, 50, Source.NONE), false, List.of(), 9, Source.NONE))
        .build();
  }

  /** The Filer refusing the generated source is an [saccade:internal] error on the declaration, not a crash. */
  @Test
  void aFailedWriteIsReported() {
    Compilation c = Compiler.javac().withProcessors(new FailingFiler(new NetworkProcessor()))
        .compile(Fixtures.source("good/TsnResNet50.java"));
    assertThat(c).hadErrorContaining("[saccade:internal] Saccade could not write demo.TsnResNet50Network: disk full");
    assertThat(c).hadErrorCount(1);
    assertTrue(Catalogue.isFrom(Message.INTERNAL_WRITE, c.errors().get(0).getMessage(null)));
  }

  /** Runs {@code delegate} with a Filer whose every write fails. */
  private static final class FailingFiler extends AbstractProcessor {
    private final NetworkProcessor delegate;

    FailingFiler(NetworkProcessor delegate) {
      this.delegate = delegate;
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
      super.init(env);
      Filer failing = (Filer) Proxy.newProxyInstance(Filer.class.getClassLoader(), new Class<?>[] {Filer.class},
          (proxy, method, args) -> {
            throw new IOException("disk full");
          });
      ProcessingEnvironment wrapped = (ProcessingEnvironment) Proxy.newProxyInstance(
          ProcessingEnvironment.class.getClassLoader(), new Class<?>[] {ProcessingEnvironment.class},
          (proxy, method, args) -> {
            if (method.getName().equals("getFiler")) {
              return failing;
            }
            try {
              return method.invoke(env, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
      delegate.init(wrapped);
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return delegate.process(annotations, round);
    }
  }
}
