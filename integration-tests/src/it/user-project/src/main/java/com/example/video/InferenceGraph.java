package com.example.video;

import io.saccade.runtime.model.ModelOutputs;
import io.saccade.runtime.model.VideoModel;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.ParameterStore;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** MotionNet's inference graph built by hand (what Trainer and the exporter do inside), run on one clip. */
public final class InferenceGraph {

  /** The clip logits and the GFLOPs spent on one blank (all-zero) clip, with freshly initialised weights. */
  public static float[] logitsAndGflops() {
    VideoModel model = new MotionNetNetwork();
    int t = model.frames();
    int side = model.inputSize();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(graph, 42L);   // owns the variables; 42 seeds their initial values
      Placeholder<TFloat32> clips =                             // [N, T, H, W, 3], normalised RGB
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, t, side, side, 3)));
      // INFERENCE: moving batch-norm statistics, no dropout, argmax navigation that really skips frames.
      // The temperature only matters in TRAINING, where it feeds the Gumbel-softmax.
      ModelOutputs out = model.build(BuildContext.root(tf, store, Mode.INFERENCE), clips, tf.constant(1f));
      try (Session session = new Session(graph);                // initialises the variables on its first run
          TFloat32 input = TFloat32.tensorOf(Shape.of(1, t, side, side, 3), DataBuffers.of(new float[t * side * side * 3]));
          Result result = session.runner().feed(clips, input).fetch(out.clipLogits()).fetch(out.dynamicGflops()).run()) {
        TFloat32 logits = (TFloat32) result.get(0);
        float[] values = new float[model.classes() + 1];
        for (int c = 0; c < model.classes(); c++) {
          values[c] = logits.getFloat(0, c);
        }
        values[model.classes()] = ((TFloat32) result.get(1)).getFloat(0);
        return values;
      }
    }
  }
}
