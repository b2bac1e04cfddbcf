package io.saccade.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.saccade.architecture.BackboneLayout.Block;
import io.saccade.dsl.Backbones;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The official AFNet layouts: strides moved before adaptive stages, branch widths, official costs. */
class AfNetLayoutTest {

  @Test
  void resNet50StagesOneToThreeRunAtTheirInputResolution() {
    BackboneLayout r50 = BackboneLayout.afNet(Backbones.RESNET50);
    Set<Integer> adaptive = r50.defaultAdaptive();
    assertEquals(Set.of(1, 2, 3), adaptive);
    List<Integer> fusionStrides = List.of(1, 2, 3).stream().map(i -> AfNetLayout.stage(r50, adaptive, i, 2, 2, 2).fusionStride()).toList();
    assertEquals(List.of(2, 2, 1), fusionStrides);
    AfNetLayout.Stage s1 = AfNetLayout.stage(r50, adaptive, 1, 2, 2, 2);
    assertEquals(new Block(64, 32, 128, 3, 2, false, BackboneLayout.Activation.RELU), s1.ample(0));
    assertEquals(new Block(128, 32, 128, 3, 1, false, BackboneLayout.Activation.RELU), s1.ample(1));
    assertEquals(new Block(64, 64, 256, 3, 1, false, BackboneLayout.Activation.RELU), s1.focal(0));
    assertEquals(new Block(256, 64, 256, 3, 2, false, BackboneLayout.Activation.RELU), s1.fusion());
    assertEquals(s1, AfNetLayout.Stage.resnet(64, 256, 3, 2, 2, 2, 2));
    // stage 4 is dense and keeps torchvision's stride
    assertEquals(2, AfNetLayout.denseBlocks(r50, adaptive, 4).get(0).stride());
  }

  @Test
  void resNet101IsLaidOutAsTheOfficialCode() {
    BackboneLayout r101 = BackboneLayout.afNet(Backbones.RESNET101);
    assertEquals(List.of(4, 8, 18, 3), r101.stages().stream().map(s -> s.blocks().size()).toList());
  }

  @Test
  void mobileNetV3StageOneTakesOverStageTwosDownsampling() {
    BackboneLayout mb = BackboneLayout.afNet(Backbones.MOBILENET_V3_LARGE);
    List<Block> stage1 = AfNetLayout.denseBlocks(mb, mb.defaultAdaptive(), 1);
    assertEquals(List.of(2, 2), stage1.stream().map(Block::stride).toList());
    AfNetLayout.Stage s2 = AfNetLayout.stage(mb, mb.defaultAdaptive(), 2, 1, 2, 2);
    assertEquals(24, s2.in());
    assertEquals(2, s2.branches());
    assertEquals(2, s2.fusionStride());
    assertEquals(1, AfNetLayout.stage(mb, mb.defaultAdaptive(), 3, 1, 2, 2).fusionStride());
  }

  /**
   * The official counter's AF-ResNet-50 stage 1 on 12 frames of 56²: everything but the focal branches,
   * then one focal branch per kept frame.
   */
  @Test
  void anAfStageCostsItsConstantPartPlusItsFocalBranchesPerKeptFrame() {
    AfNetLayout.Stage s1 = AfNetLayout.Stage.resnet(64, 256, 3, 2, 2, 2, 2);
    Cost none = new Cost();
    Cost all = new Cost();
    CostModel.afStage(none, s1, 56, 12, 0, false, false);
    CostModel.afStage(all, s1, 56, 12, 12, false, false);
    long focal = CostModel.focalBranch(s1, 0, 56) + CostModel.focalBranch(s1, 1, 56);
    assertEquals(none.multiplyAdds() + 12 * focal, all.multiplyAdds());
    assertEquals(none.parameters(), all.parameters());
  }
}
