package io.saccade.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Plain-Java reference implementations (direct loops, PyTorch semantics, NHWC row-major arrays) that
 * the nn tests compare TensorFlow's outputs against.
 */
final class Reference {

  private Reference() {}

  /** Output size along one axis, PyTorch's floor formula. */
  static int out(int in, int k, int stride, int pad, int dilation) {
    return (in + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
  }

  /**
   * Grouped, strided, padded, dilated convolution. x {@code [m, h, w, cin]}, kernel HWIO
   * {@code [kh, kw, cin/groups, cout]}, groups = cin / kernel in-channels.
   */
  static float[] conv2d(float[] x, int m, int h, int w, int cin, float[] k, int kh, int kw, int kin, int cout,
      int stride, int pad, int dil) {
    int groups = cin / kin;
    int outPerGroup = cout / groups;
    int oh = out(h, kh, stride, pad, dil);
    int ow = out(w, kw, stride, pad, dil);
    float[] y = new float[m * oh * ow * cout];
    for (int n = 0; n < m; n++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int o = 0; o < cout; o++) {
            int g = o / outPerGroup;
            double sum = 0;
            for (int a = 0; a < kh; a++) {
              int r = i * stride - pad + a * dil;
              if (r < 0 || r >= h) {
                continue;
              }
              for (int b = 0; b < kw; b++) {
                int c = j * stride - pad + b * dil;
                if (c < 0 || c >= w) {
                  continue;
                }
                for (int q = 0; q < kin; q++) {
                  int ch = g * kin + q;
                  sum += x[((n * h + r) * w + c) * cin + ch] * k[((a * kw + b) * kin + q) * cout + o];
                }
              }
            }
            y[((n * oh + i) * ow + j) * cout + o] = (float) sum;
          }
        }
      }
    }
    return y;
  }

  /** Max (padding = −∞) or average pooling (count_include_pad chooses the divisor). */
  static float[] pool(float[] x, int m, int h, int w, int c, int k, int stride, int pad, boolean max,
      boolean countIncludePad) {
    int oh = out(h, k, stride, pad, 1);
    int ow = out(w, k, stride, pad, 1);
    float[] y = new float[m * oh * ow * c];
    for (int n = 0; n < m; n++) {
      for (int i = 0; i < oh; i++) {
        for (int j = 0; j < ow; j++) {
          for (int ch = 0; ch < c; ch++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int real = 0;
            for (int a = 0; a < k; a++) {
              for (int b = 0; b < k; b++) {
                int r = i * stride - pad + a;
                int col = j * stride - pad + b;
                if (r < 0 || r >= h || col < 0 || col >= w) {
                  continue;
                }
                float v = x[((n * h + r) * w + col) * c + ch];
                acc = max ? Math.max(acc, v) : acc + v;
                real++;
              }
            }
            y[((n * oh + i) * ow + j) * c + ch] = (float) (max ? acc : acc / (countIncludePad ? k * k : real));
          }
        }
      }
    }
    return y;
  }

  /** Per-channel mean over all rows of a {@code [rows, c]} view. */
  static double[] mean(float[] x, int c) {
    int rows = x.length / c;
    double[] mean = new double[c];
    for (int i = 0; i < rows; i++) {
      for (int ch = 0; ch < c; ch++) {
        mean[ch] += x[i * c + ch];
      }
    }
    for (int ch = 0; ch < c; ch++) {
      mean[ch] /= rows;
    }
    return mean;
  }

  /** Per-channel biased variance (divide by n). */
  static double[] biasedVariance(float[] x, int c) {
    int rows = x.length / c;
    double[] mean = mean(x, c);
    double[] var = new double[c];
    for (int i = 0; i < rows; i++) {
      for (int ch = 0; ch < c; ch++) {
        double d = x[i * c + ch] - mean[ch];
        var[ch] += d * d;
      }
    }
    for (int ch = 0; ch < c; ch++) {
      var[ch] /= rows;
    }
    return var;
  }

  /** {@code (x − mean)/sqrt(var + eps)·γ + β} per channel. */
  static float[] batchNorm(float[] x, int c, double[] mean, double[] var, float[] gamma, float[] beta, double eps) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      int ch = i % c;
      y[i] = (float) ((x[i] - mean[ch]) / Math.sqrt(var[ch] + eps) * gamma[ch] + beta[ch]);
    }
    return y;
  }

  /** {@code x [n, in] · w [in, out] + b}. */
  static float[] linear(float[] x, int n, int in, float[] w, int out, float[] b) {
    float[] y = new float[n * out];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < out; o++) {
        double s = b == null ? 0 : b[o];
        for (int q = 0; q < in; q++) {
          s += x[i * in + q] * w[q * out + o];
        }
        y[i * out + o] = (float) s;
      }
    }
    return y;
  }

  static float hardSigmoid(float v) {
    return Math.min(Math.max(v + 3f, 0f), 6f) / 6f;
  }

  static void assertClose(float[] expected, float[] actual, double tolerance) {
    assertEquals(expected.length, actual.length, "length");
    for (int i = 0; i < expected.length; i++) {
      if (Math.abs(expected[i] - actual[i]) > tolerance * Math.max(1, Math.abs(expected[i]))) {
        throw new AssertionError(
            "element " + i + ": expected " + expected[i] + " but was " + actual[i] + " (tolerance " + tolerance + ")");
      }
    }
  }
}
