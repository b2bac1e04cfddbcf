package io.saccade.runtime.data;

/**
 * Which part of a generated dataset: each split draws its clips from its own random stream, so the
 * training, validation and test clips of one seed are different clips.
 *
 * <pre>{@code
 * var val = SyntheticMotionDataset.builder().seed(1).split(Split.VALIDATION).clips(256).build();
 * }</pre>
 */
public enum Split {
  TRAIN,
  VALIDATION,
  TEST
}
