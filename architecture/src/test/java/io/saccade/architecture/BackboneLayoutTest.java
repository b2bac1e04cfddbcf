package io.saccade.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.saccade.dsl.Backbones;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every backbone's published parameter count, from the layouts and the cost model alone. */
class BackboneLayoutTest {

  /** torchvision's parameter counts with 1000 classes (weights, biases, BN γ and β). */
  @Test
  void layoutsAndCostModelGiveTorchvisionsParameters() {
    assertEquals(25_557_032L, parameters(Backbones.RESNET50));
    assertEquals(44_549_160L, parameters(Backbones.RESNET101));
    assertEquals(5_483_032L, parameters(Backbones.MOBILENET_V3_LARGE));
    assertEquals(2_542_856L, parameters(Backbones.MOBILENET_V3_SMALL));
    assertEquals(3_504_872L, parameters(Backbones.MOBILENET_V2));
  }

  @Test
  void widthScalesEveryResNetChannelAndMobileNetsHaveNone() {
    BackboneLayout quarter = BackboneLayout.of(Backbones.RESNET50, 0.25);
    assertEquals(16, quarter.stem().channels());
    assertEquals(List.of(64, 128, 256, 512), quarter.stages().stream().map(BackboneLayout.StageLayout::out).toList());
    assertThrows(IllegalArgumentException.class, () -> BackboneLayout.of(Backbones.RESNET50, 0.3));
    assertThrows(IllegalArgumentException.class, () -> BackboneLayout.of(Backbones.MOBILENET_V2, 2));
  }

  private static long parameters(Backbones id) {
    BackboneLayout layout = BackboneLayout.of(id);
    Cost c = new Cost();
    int side = CostModel.stem(c, layout.stem(), 224, 1);
    int channels = layout.stem().channels();
    BackboneLayout.Shortcut projection = BackboneLayout.Shortcut.STRIDED_CONV;
    List<BackboneLayout.Block> blocks = new ArrayList<>();
    layout.stem().block().ifPresent(blocks::add);
    layout.stages().forEach(s -> blocks.addAll(s.blocks()));
    for (BackboneLayout.Block b : blocks) {
      side = layout.kind() == BackboneLayout.Kind.RESNET
          ? CostModel.bottleneck(c, b, side, 1, 1, projection, 1)
          : CostModel.invertedResidual(c, b, side, 1, 1, false, 1);
      channels = b.out();
    }
    channels = CostModel.lastConv(c, layout.head(), channels, side, 1);
    CostModel.classifier(c, layout.head(), channels, side, 1000, 1);
    return c.parameters();
  }
}
