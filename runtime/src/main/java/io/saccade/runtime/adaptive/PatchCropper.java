package io.saccade.runtime.adaptive;

import io.saccade.dsl.Interpolation;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.CropAndResize;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * AdaFocusV2's differentiable patch crop: a {@code P×P} patch per frame at a position the policy chose,
 * sampled bilinearly so the classification loss trains the policy through the crop.
 *
 * <p>For frame {@code m} with policy output {@code a = centres[m] = (a_x, a_y) ∈ [0, 1]²}, the patch
 * corner is {@code c = (a_x·(W − P), a_y·(H − P))} pixels and patch pixel {@code (i, j)} is the input
 * sampled bilinearly at pixel coordinates {@code (c_y + i, c_x + j)} (pixel k's centre at k), with zeros
 * outside the frame. Units: {@code centres} are fractions of the free range {@code H − P}; the output is
 * in the input's units.
 *
 * <p>Why this is AdaFocusV2's crop: its affine grid is
 * {@code θ = [[P/H, 0, −1 + (2c_x + P)/H], [0, P/H, −1 + (2c_y + P)/H]]}. With
 * {@code align_corners=False}, {@code affine_grid} gives output column j the normalised coordinate
 * {@code u_j = (2j + 1)/P − 1}, so it samples at {@code θ₀₀·u_j + θ₀₂ = (2j + 1 + 2c_x)/H − 1}; and
 * {@code grid_sample(align_corners=False)} maps a normalised {@code u} to the pixel coordinate
 * {@code ((u + 1)·W − 1)/2}, which for a square frame (W = H) is {@code ((2j + 1 + 2c_x) − 1)/2 = c_x + j}.
 * The same holds for rows. Bilinear interpolation with {@code padding_mode='zeros'} treats pixels outside
 * the frame as 0.
 *
 * <p>Implemented with one {@code CropAndResize} (bilinear) on the frames padded by one zero pixel:
 * a single fused kernel whose TF gradients exist for both the image and the boxes, instead of four
 * gathers plus bilinear weights. The zero border reproduces {@code grid_sample}'s zero padding for
 * sample points up to one pixel outside the frame (CropAndResize returns its extrapolation value 0
 * beyond that, as grid_sample does), and keeps points on the frame's last pixel from being extrapolated
 * by float rounding. The gradient w.r.t. {@code centres} is exact inside each pixel cell and one-sided
 * where a sample lands exactly on a pixel centre (e.g. {@code a} with integer corners).
 *
 * <pre>{@code
 * // 16 frames of 224×224 RGB, one 128×128 patch each, centres from the policy's sigmoid
 * Operand<TFloat32> patches = PatchCropper.crop(tf, frames, centres, 128);   // [16, 128, 128, 3]
 * }</pre>
 */
public final class PatchCropper {

  private PatchCropper() {}

  /**
   * Crops one {@code patchSize × patchSize} patch per frame.
   *
   * @param frames {@code [M, H, W, C]} with static H and W
   * @param centres {@code [M, 2]}: {@code (x, y)} per frame, normally in {@code [0, 1]}
   * @param patchSize {@code P} in pixels, {@code 1 <= P <= min(H, W)}
   * @return {@code [M, P, P, C]}
   */
  public static Operand<TFloat32> crop(Ops tf, Operand<TFloat32> frames, Operand<TFloat32> centres, int patchSize) {
    return crop(tf, frames, centres, patchSize, "bilinear");
  }

  private static Operand<TFloat32> crop(
      Ops tf, Operand<TFloat32> frames, Operand<TFloat32> centres, int patchSize, String method) {
    Objects.requireNonNull(tf, "tf");
    Objects.requireNonNull(frames, "frames");
    Objects.requireNonNull(centres, "centres");
    Shape fs = frames.shape();
    if (fs.isUnknown() || fs.numDimensions() != 4 || fs.get(1) == Shape.UNKNOWN_SIZE || fs.get(2) == Shape.UNKNOWN_SIZE) {
      throw new IllegalArgumentException("patch crop needs frames [M, H, W, C] with static H and W, got shape " + fs);
    }
    long h = fs.get(1);
    long w = fs.get(2);
    if (patchSize <= 0 || patchSize > h || patchSize > w) {
      throw new IllegalArgumentException(
          "patch size must be in [1, min(H, W)]: got patch " + patchSize + " for frames of " + h + "×" + w + " pixels");
    }
    Shape cs = centres.shape();
    if (cs.isUnknown() || cs.numDimensions() != 2 || !Shape.isCompatible(cs.get(1), 2)) {
      throw new IllegalArgumentException("patch crop needs centres [M, 2] as (x, y), got shape " + cs);
    }
    if (!Shape.isCompatible(cs.get(0), fs.get(0))) {
      throw new IllegalArgumentException(
          "patch crop needs one centre per frame: frames has " + fs.get(0) + " frames, centres has " + cs.get(0));
    }

    // One zero pixel around each frame: padded pixel k+1 = frame pixel k, valid padded range [0, H+1].
    Operand<TFloat32> padded =
        tf.pad(frames, tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}), tf.constant(0f));
    Operand<TFloat32> ax = column(tf, centres, 0);
    Operand<TFloat32> ay = column(tf, centres, 1);
    // Padded coordinates of the first and last sample: c + 1 and c + P; CropAndResize normalises by (size − 1).
    Operand<TFloat32> y1 = first(tf, ay, h, patchSize);
    Operand<TFloat32> x1 = first(tf, ax, w, patchSize);
    Operand<TFloat32> y2 = tf.math.add(y1, tf.constant((patchSize - 1) / (float) (h + 1)));
    Operand<TFloat32> x2 = tf.math.add(x1, tf.constant((patchSize - 1) / (float) (w + 1)));
    Operand<TFloat32> boxes = tf.concat(List.of(y1, x1, y2, x2), tf.constant(1));
    Operand<TInt32> m =
        tf.reshape(tf.slice(tf.shape(centres), tf.constant(new int[] {0}), tf.constant(new int[] {1})), tf.constant(new int[0]));
    Operand<TInt32> frameOfBox = tf.range(tf.constant(0), m, tf.constant(1)); // box m crops frame m
    return tf.image.cropAndResize(
        padded, boxes, frameOfBox, tf.constant(new int[] {patchSize, patchSize}),
        CropAndResize.method(method), CropAndResize.extrapolationValue(0f));
  }

  /**
   * Crops one patch per frame, sampled as {@code interpolation} says: {@link Interpolation#BILINEAR} is
   * {@link #crop(Ops, Operand, Operand, int)}; {@link Interpolation#NEAREST} takes, for patch pixel
   * {@code (i, j)}, the frame pixel nearest to {@code (c_y + i, c_x + j)} ({@code grid_sample}'s
   * {@code mode='nearest'}, ties rounded away from zero), which copies pixels and gives no gradient with
   * respect to {@code centres}.
   */
  public static Operand<TFloat32> crop(
      Ops tf, Operand<TFloat32> frames, Operand<TFloat32> centres, int patchSize, Interpolation interpolation) {
    Objects.requireNonNull(interpolation, "interpolation");
    if (interpolation == Interpolation.BILINEAR) {
      return crop(tf, frames, centres, patchSize);
    }
    return crop(tf, frames, tf.stopGradient(centres), patchSize, "nearest");
  }

  /** {@code (a·(size − P) + 1) / (size + 1)}: the first sample in CropAndResize's normalised padded coordinates. */
  private static Operand<TFloat32> first(Ops tf, Operand<TFloat32> a, long size, int patch) {
    Operand<TFloat32> corner = tf.math.mul(a, tf.constant((float) (size - patch)));
    return tf.math.div(tf.math.add(corner, tf.constant(1f)), tf.constant((float) (size + 1)));
  }

  /** {@code centres[:, i:i+1]}, {@code [M, 1]}. */
  private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> centres, int i) {
    return tf.slice(centres, tf.constant(new int[] {0, i}), tf.constant(new int[] {-1, 1}));
  }
}
