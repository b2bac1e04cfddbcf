package com.example.video;

import io.saccade.dsl.Backbone;
import io.saccade.dsl.Backbones;
import io.saccade.dsl.VideoNetwork;

/** MotionNet's dense baseline: the same backbone on every frame at full resolution. */
@VideoNetwork(frames = 8, classes = 10, inputSize = 32)
@Backbone(value = Backbones.RESNET50, temporalShift = true, width = 0.25)
public interface MotionNetBaseline {}
