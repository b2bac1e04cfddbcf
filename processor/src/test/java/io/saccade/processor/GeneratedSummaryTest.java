package io.saccade.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import io.saccade.runtime.model.ModelSummary;
import io.saccade.runtime.model.NavigationTraining;
import io.saccade.runtime.model.VideoModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generated classes, loaded and used without TensorFlow: their SUMMARY and constants carry the
 * Sizer's numbers, and the published ones.
 */
class GeneratedSummaryTest {

  @Test
  void tsnResNet50CostsThePublishedFlopsPerFrame() throws Exception {
    Compilation c = Fixtures.compile("good/TsnResNet50.java");
    assertThat(c).succeeded();
    VideoModel model = (VideoModel) new GeneratedClasses(c).instance("demo.TsnResNet50Network");
    ModelSummary summary = model.summary();
    double perFrame = summary.gflopsPerClip() / model.frames();
    // published ResNet-50: 4.1 GFLOPs (multiply-adds) per 224x224 frame; within 2%
    assertEquals(4.1, perFrame, 4.1 * 0.02);
    // the same figure straight from the Sizer
    Sizing sizing = SizerTest.size(SizerTest.dense(io.saccade.dsl.Backbones.RESNET50, 8, 174, 224));
    assertEquals(sizing.gflopsPerClip(), summary.gflopsPerClip(), 1e-5);
    assertEquals(sizing.parameters(), summary.parameters());
    // torchvision's 25,557,032 minus its 1000-class fc, plus a 174-class one
    assertEquals(25_557_032L - 2_049_000L + 2048L * 174 + 174, summary.parameters());
    assertEquals(List.of("stem", "stage1", "stage2", "stage3", "stage4", "head"),
        summary.stages().stream().map(ModelSummary.Stage::name).toList());
    assertEquals(7, summary.stage("stage4").height());
    assertEquals(2048, summary.stage("stage4").channels());
    assertEquals("TsnResNet50", model.name());
    assertEquals(8, model.frames());
    assertEquals(174, model.classes());
    assertEquals(224, model.inputSize());
    assertTrue(model.toString().contains("stage3"), model.toString());
  }

  @Test
  void afResNet50TsmSummaryMatchesTheSizerAndItsConstants() throws Exception {
    Compilation c = Fixtures.compile("good/AfResNet50Tsm.java");
    GeneratedClasses loaded = new GeneratedClasses(c);
    Class<?> type = loaded.loadClass("demo.AfResNet50TsmNetwork");
    VideoModel model = (VideoModel) loaded.instance("demo.AfResNet50TsmNetwork");
    Sizing sizing = SizerTest.size(SizerTest.afNet(io.saccade.dsl.Backbones.RESNET50, 12, 174, 0.5));
    assertEquals(sizing.gflopsPerClip(), model.summary().gflopsPerClip(), 1e-5);
    assertEquals(sizing.parameters(), model.summary().parameters());
    assertEquals(sizing.parameters(), type.getField("PARAMETERS").getLong(null));
    assertEquals(28, type.getField("STAGE1_HEIGHT").getInt(null));
    assertEquals(0.5f, type.getField("TARGET_RATIO").getFloat(null));
    assertEquals(0.01f, type.getField("TEMPERATURE_TO").getFloat(null));
    assertEquals(30.0, type.getField("MAX_GFLOPS").getDouble(null));
    double fixed = type.getField("FIXED_GFLOPS_PER_CLIP").getDouble(null);
    double adaptive = model.summary().stages().stream().filter(s -> s.name().matches("stage[123]"))
        .mapToDouble(ModelSummary.Stage::gflopsPerClip).sum();
    assertEquals(model.summary().gflopsPerClip(), fixed + adaptive, 1e-5);
    // the trainer reads the declared schedule from the model: @Navigation(lossWeight = 0.5), @Anneal defaults
    assertEquals(new NavigationTraining(0.5, 1.0, 0.01, 50), model.navigationTraining());
  }

  @Test
  void navigationTrainingFollowsTheDeclarationAndDenseNetworksKeepTheDefault() throws Exception {
    Compilation c = Fixtures.compile("good/AfResNet50DeepSparse.java", "good/TsnResNet50.java");
    GeneratedClasses loaded = new GeneratedClasses(c);
    VideoModel sparse = (VideoModel) loaded.instance("demo.DeepSparseNetwork");
    assertEquals(new NavigationTraining(0.5, 2.0, 0.05, 30), sparse.navigationTraining());
    VideoModel dense = (VideoModel) loaded.instance("demo.TsnResNet50Network");
    assertEquals(NavigationTraining.NONE, dense.navigationTraining());
  }

  @Test
  void adaFocusV2AndAfMobileNetCarryTheirSummary() throws Exception {
    Compilation c = Fixtures.compile("good/AdaFocusV2Mn2R50.java", "good/AfMobileNetV3.java");
    GeneratedClasses loaded = new GeneratedClasses(c);
    VideoModel focus = (VideoModel) loaded.instance("demo.AdaFocusV2Mn2R50Network");
    // published: 27.0 GFLOPs per 16-frame clip (Mini-Kinetics, P = 128)
    assertEquals(27.0, focus.summary().gflopsPerClip(), 27.0 * 0.03);
    assertEquals(List.of("global", "policy", "local", "classifier"), focus.summary().stages().stream().map(ModelSummary.Stage::name).toList());
    VideoModel mobile = (VideoModel) loaded.instance("demo.AfMobileNetV3Network");
    assertEquals(12, mobile.frames());
    // the official counter: 2.32 G with every frame kept, 12 frames at 224
    assertEquals(2.32, loaded.loadClass("demo.AfMobileNetV3Network").getField("UPPER_GFLOPS_PER_CLIP").getDouble(null), 0.01);
  }

}
