package io.saccade.runtime.train;

import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.interop.PretrainedWeights;
import io.saccade.runtime.model.VideoModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/** Everything a {@link Trainer} is configured with: filled by {@link TrainerBuilder}, read by the trainer's parts. */
final class TrainingSettings {
  VideoModel model;
  VideoDataset trainData;
  VideoDataset validationData;
  int epochs = 1;
  int batchSize = 8;
  int threads = 2;
  /** Null: {@link Devices#available(int)}. */
  Devices devices;
  long seed;
  Optimizer optimizer;
  LongFunction<LearningRateSchedule> learningRate;
  int annealEpochs;
  RatioCurriculum curriculum;
  Path runDirectory;
  int keepLast = 3;
  long checkpointEvery;
  final List<TrainingListener> listeners = new ArrayList<>();
  final List<Class<? extends TrainingListener>> removedDefaults = new ArrayList<>();
  Float keepMargin;
  Double ratioLossWeight;
  VideoDataset exitCalibration;
  int exitCalibrationClips = 2048;
  final List<PretrainedWeights> initialWeights = new ArrayList<>();

  boolean pretrained() {
    return !initialWeights.isEmpty();
  }
}
