/**
 * Training: optimizers that build one training op ({@link io.saccade.runtime.train.SgdMomentum},
 * {@link io.saccade.runtime.train.Adam}), losses and accuracy ops ({@link io.saccade.runtime.train.Losses}),
 * schedules fed each step ({@link io.saccade.runtime.train.LearningRateSchedule},
 * {@link io.saccade.runtime.train.TemperatureSchedule}, {@link io.saccade.runtime.train.RatioCurriculum})
 * and atomic checkpoints ({@link io.saccade.runtime.train.Checkpoints}).
 */
package io.saccade.runtime.train;
