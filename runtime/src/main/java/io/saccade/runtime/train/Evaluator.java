package io.saccade.runtime.train;

import io.saccade.runtime.data.ClipBatch;
import io.saccade.runtime.data.ClipLoader;
import io.saccade.runtime.data.VideoDataset;
import io.saccade.runtime.metrics.ClassificationMetrics;
import io.saccade.runtime.metrics.ConditionalExit;
import io.saccade.runtime.metrics.ExitCurve;
import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.nn.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Runs a {@link TrainingGraph}'s inference build (deterministic, frames really skipped) over a dataset and
 * returns one typed {@link VideoResult} per video with the metrics they add up to; for a model with a
 * conditional exit, also the accuracy-versus-expected-GFLOPs curve ({@link #exitCurve}).
 */
public final class Evaluator {

  private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

  private final TrainingGraph graph;
  private final int batchSize;
  private final int threads;

  Evaluator(TrainingGraph graph, int batchSize, int threads) {
    this.graph = graph;
    this.batchSize = batchSize;
    this.threads = threads;
  }

  /** Whether the model has a conditional exit (per-step logits and exit scores) to draw a curve of. */
  public boolean hasExit() {
    ModelOutputs out = graph.inferenceOutputs();
    return out.exitScores() != null && out.frameLogits() != null;
  }

  /**
   * Evaluates {@code clips × crops} views of every video (multi-clip, multi-crop testing): each video's
   * prediction is the mean of its views' logits; its GFLOPs and kept frames are the sum and mean over its
   * views.
   *
   * @param withStepLogits also collect the per-step logits of a model with a conditional exit
   */
  public Evaluation evaluate(VideoDataset data, int clips, int crops, boolean withStepLogits) {
    boolean steps = withStepLogits && hasExit();
    ModelOutputs out = graph.inferenceOutputs();
    List<String> layers = out.selections().stream().map(ModelOutputs.Selection::name).toList();
    int k = graph.model().classes();
    int t = graph.model().frames();
    Map<Integer, Sum> sums = new TreeMap<>();
    try (ClipLoader loader =
            ClipLoader.builder(data).batchSize(batchSize).threads(threads).training(false).views(clips, crops).build();
        ClipLoader.Epoch batches = loader.epoch(0)) {
      while (batches.hasNext()) {
        ClipBatch batch = batches.next();
        Session.Runner r = graph.session().runner();
        try (TFloat32 in = batch.toTensor()) {
          r.feed(graph.inferenceInput(), in).fetch(out.clipLogits()).fetch(out.dynamicGflops());
          graph.inferenceKeptFrames().forEach(r::fetch);
          if (steps) {
            r.fetch(out.frameLogits());
          }
          try (Result res = r.run()) {
            float[] logits = Tensors.floats((TFloat32) res.get(0));
            float[] gflops = Tensors.floats((TFloat32) res.get(1));
            List<float[]> kept = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
              kept.add(Tensors.floats((TFloat32) res.get(2 + i)));
            }
            float[] stepValues = steps ? Tensors.floats((TFloat32) res.get(2 + layers.size())) : null;
            if (stepValues != null && stepValues.length != batch.size() * t * k) {
              throw new IllegalStateException(
                  "frameLogits of " + graph.model().name() + " have " + stepValues.length + " values for "
                      + batch.size() + " clips, expected [N, " + t + ", " + k + "]");
            }
            for (int row = 0; row < batch.size(); row++) {
              if (!batch.isValid(row)) {
                continue; // padding of the last batch, or a sample that failed to load
              }
              Sum sum = sums.computeIfAbsent(batch.index(row), v -> new Sum(layers.size(), t, k, steps));
              sum.add(batch, row, logits, gflops[row], kept, stepValues);
            }
          }
        }
      }
    }
    ClassificationMetrics metrics = new ClassificationMetrics(k);
    List<VideoResult> videos = new ArrayList<>();
    for (Map.Entry<Integer, Sum> e : sums.entrySet()) {
      VideoResult v = e.getValue().result(e.getKey(), layers);
      videos.add(v);
      Map<String, float[]> ratio = new LinkedHashMap<>();
      for (String layer : layers) {
        ratio.put(layer, new float[] {(float) v.kept(layer)});
      }
      metrics.add(v.logits(), new int[] {v.label()}, new float[] {(float) v.gflops()}, ratio);
    }
    if (clips * crops > 1) {
      LOG.info("evaluated {} videos with {} views each", videos.size(), clips * crops);
    }
    return new Evaluation(metrics, null, videos);
  }

  /**
   * The conditional exit's curve for {@code evaluated} (which must carry step logits): thresholds fitted on
   * the per-step logits of {@code calibration} (one centre view per video) over the official bases
   * ({@link ConditionalExit#officialBases()}). Null without an exit or without calibration clips.
   */
  public ExitCurve exitCurve(Evaluation evaluated, VideoDataset calibration) {
    if (!hasExit() || calibration == null || calibration.size() == 0 || !evaluated.hasStepLogits()) {
      return null;
    }
    Evaluation calibrated = evaluate(calibration, 1, 1, true);
    if (calibrated.videos().isEmpty()) {
      return null;
    }
    float[][][] eval = evaluated.videos().stream().map(VideoResult::stepLogits).toArray(float[][][]::new);
    int[] labels = evaluated.videos().stream().mapToInt(VideoResult::label).toArray();
    float[][][] calib = calibrated.videos().stream().map(VideoResult::stepLogits).toArray(float[][][]::new);
    return ExitCurve.of(calib, eval, labels, evaluated.metrics().gflopsPerClip(), ConditionalExit.officialBases());
  }

  /** One video's views, summed. */
  private static final class Sum {
    private final float[] logits;
    private final float[][] kept;
    private final float[] steps;
    private final int t;
    private final int k;
    private double gflops;
    private int views;
    private int label;
    private String id;

    Sum(int layers, int t, int k, boolean withSteps) {
      this.t = t;
      this.k = k;
      logits = new float[k];
      kept = new float[layers][t];
      steps = withSteps ? new float[t * k] : null;
    }

    void add(ClipBatch batch, int row, float[] batchLogits, float clipGflops, List<float[]> batchKept, float[] batchSteps) {
      if (views == 0) {
        label = batch.label(row);
        id = batch.id(row);
      }
      for (int c = 0; c < k; c++) {
        logits[c] += batchLogits[row * k + c];
      }
      for (int l = 0; l < kept.length; l++) {
        for (int f = 0; f < t; f++) {
          kept[l][f] += batchKept.get(l)[row * t + f];
        }
      }
      if (steps != null) {
        for (int j = 0; j < t * k; j++) {
          steps[j] += batchSteps[row * t * k + j];
        }
      }
      gflops += clipGflops;
      views++;
    }

    VideoResult result(int index, List<String> layers) {
      float[] mean = logits.clone();
      for (int c = 0; c < k; c++) {
        mean[c] /= views;
      }
      Map<String, float[]> frames = new LinkedHashMap<>();
      for (int l = 0; l < layers.size(); l++) {
        float[] f = kept[l].clone();
        for (int i = 0; i < t; i++) {
          f[i] /= views;
        }
        frames.put(layers.get(l), f);
      }
      float[][] perStep = null;
      if (steps != null) {
        // The same mean over views as the clip logits, per step.
        perStep = new float[t][k];
        for (int s = 0; s < t; s++) {
          for (int c = 0; c < k; c++) {
            perStep[s][c] = steps[s * k + c] / views;
          }
        }
      }
      return new VideoResult(index, id, label, mean, gflops, frames, perStep, views);
    }
  }
}
