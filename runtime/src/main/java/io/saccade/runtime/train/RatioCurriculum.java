package io.saccade.runtime.train;

/**
 * The target selection ratio rt per epoch, stepped down from 1 to the final ratio RT as AFNet does:
 * 1 before {@code beginEpoch}; {@code RT + 2(1−RT)/3} until the midpoint
 * {@code beginEpoch + (endEpoch − beginEpoch)/2} (integer division); {@code RT + (1−RT)/3} until
 * {@code endEpoch}; RT from then on. Epochs count from 0.
 *
 * <pre>{@code
 * RatioCurriculum rt = RatioCurriculum.afnet(0.5);   // 1.0 (epochs 0–9), 0.8333 (10–14), 0.6667 (15–19), 0.5
 * feed(targetRatio, (float) rt.at(epoch));
 * }</pre>
 *
 * @param targetRatio the final ratio RT in [0, 1]
 * @param beginEpoch first epoch with rt &lt; 1
 * @param endEpoch first epoch at RT
 */
public record RatioCurriculum(double targetRatio, int beginEpoch, int endEpoch) {

  public RatioCurriculum {
    if (!(targetRatio >= 0 && targetRatio <= 1)) {
      throw new IllegalArgumentException("target ratio must be in [0, 1], got " + targetRatio);
    }
    if (beginEpoch < 0 || endEpoch < beginEpoch) {
      throw new IllegalArgumentException(
          "need 0 <= beginEpoch <= endEpoch, got beginEpoch " + beginEpoch + ", endEpoch " + endEpoch);
    }
  }

  /** Official AFNet: begin at epoch 10, end at epoch 20 (so steps at 10, 15 and 20). */
  public static RatioCurriculum afnet(double targetRatio) {
    return new RatioCurriculum(targetRatio, 10, 20);
  }

  /** rt at {@code epoch} (&gt;= 0). */
  public double at(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    if (epoch < beginEpoch) {
      return 1.0;
    }
    if (epoch < beginEpoch + (endEpoch - beginEpoch) / 2) {
      return targetRatio + (1.0 - targetRatio) / 3 * 2;
    }
    if (epoch < endEpoch) {
      return targetRatio + (1.0 - targetRatio) / 3;
    }
    return targetRatio;
  }
}
