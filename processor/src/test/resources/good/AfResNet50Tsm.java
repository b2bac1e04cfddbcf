package demo;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Anneal;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.Budget;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.VideoNetwork;

/** AFNet on ResNet-50 with temporal shift, as in the official Something-Something recipe. */
@VideoNetwork(frames = 12, classes = 174)
@Backbone(value = Backbones.RESNET50, temporalShift = true)
@AmpleBranch(channelDivisor = 2, resolutionStride = 2)
@FocalBranch(groups = 2)
@Navigation(targetRatio = 0.5, lossWeight = 0.5, temperature = @Anneal(from = 1.0, to = 0.01, epochs = 50))
@Budget(maxGflops = 30)
public interface AfResNet50Tsm {}
