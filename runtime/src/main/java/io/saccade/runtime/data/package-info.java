/**
 * Video data for training and evaluation: clips as plain float arrays in NHWC order, datasets that
 * produce them, and a background loader that batches them ahead of the training step.
 *
 * <ul>
 *   <li>{@link io.saccade.runtime.data.SyntheticMotionDataset} — the embedded default dataset, generated
 *       in code from a seed (no files): a shape moving in a few key frames among clutter.
 *   <li>{@link io.saccade.runtime.data.FrameFolderDataset} — Something-Something, Jester, Mini-Kinetics
 *       laid out as folders of JPEG frames plus a list file, with TSN segment sampling
 *       ({@link io.saccade.runtime.data.SegmentSampler}) and the usual augmentation
 *       ({@link io.saccade.runtime.data.ClipAugmenter}).
 *   <li>{@link io.saccade.runtime.data.ClipLoader} — decoding on worker threads, a bounded queue,
 *       a deterministic per-epoch order, and bad samples skipped, logged and counted.
 * </ul>
 *
 * <p>Every clip a dataset returns has the layout {@code [T, H, W, 3]}, row-major, RGB, normalised
 * (ImageNet mean/std by default, see {@link io.saccade.runtime.data.Normalization}). A batch stacks
 * clips into {@code [N, T, H, W, 3]}, the layout generated networks take.
 */
package io.saccade.runtime.data;
