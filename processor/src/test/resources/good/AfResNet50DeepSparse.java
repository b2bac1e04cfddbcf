package demo;

import io.saccade.dsl.AmpleBranch;
import io.saccade.dsl.Anneal;
import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.FocalBranch;
import io.saccade.dsl.Navigation;
import io.saccade.dsl.SpatialMask;
import io.saccade.dsl.Stage;
import io.saccade.dsl.VideoNetwork;

/** Per-stage overrides: stage 1 dense, stage 3 sparser with a spatial mask, frames mixed in navigation. */
@VideoNetwork(frames = 8, classes = 174, name = "DeepSparseNetwork")
@Backbone(Backbones.RESNET50)
@AmpleBranch(channelDivisor = 4)
@FocalBranch(groups = 4)
@Navigation(targetRatio = 0.5, mixFrames = true, temperature = @Anneal(from = 2.0, to = 0.05, epochs = 30))
@Stage(index = 1, af = false)
@Stage(index = 3, navigation = @Navigation(targetRatio = 0.25, spatial = @SpatialMask(targetRatio = 0.5)))
public interface AfResNet50DeepSparse {}
