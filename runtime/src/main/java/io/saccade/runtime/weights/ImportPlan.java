package io.saccade.runtime.weights;

import io.saccade.runtime.nn.Parameter;
import io.saccade.runtime.nn.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A checked weight import: which source tensor goes into which parameter, through which conversion.
 * Made by {@link WeightImport#plan}, which has already verified every name and shape; {@link #load}
 * then writes all values in one {@code Session.run}.
 *
 * <pre>{@code
 * ImportPlan plan = WeightImport.plan(Npz.read(path), store, mapping);
 * System.out.println(plan.summary());   // "513 source tensors: 503 loaded (23,528,532 values), 10 ignored; ..."
 * plan.load(session, store);
 * }</pre>
 */
public final class ImportPlan {

  /**
   * One source tensor going into one parameter.
   *
   * @param sourceKey the source key, e.g. {@code conv1.weight}
   * @param sourceShape its shape, e.g. OIHW {@code [64, 3, 7, 7]}
   * @param parameter the parameter name, e.g. {@code stem/conv/kernel}
   * @param shape the parameter's (and the converted value's) shape, e.g. HWIO {@code [7, 7, 3, 64]}
   * @param conversion the layout conversion
   */
  public record Assignment(String sourceKey, long[] sourceShape, String parameter, long[] shape, Conversion conversion) {
    @Override
    public String toString() {
      return sourceKey + " " + Arrays.toString(sourceShape) + " -(" + conversion + ")-> " + parameter + " "
          + Arrays.toString(shape);
    }
  }

  private final Map<String, NpyArray> source;
  private final List<Assignment> assignments;
  private final List<String> ignored;
  private final List<String> keptInitial;

  ImportPlan(Map<String, NpyArray> source, List<Assignment> assignments, List<String> ignored, List<String> keptInitial) {
    this.source = source;
    this.assignments = List.copyOf(assignments);
    this.ignored = List.copyOf(ignored);
    this.keptInitial = List.copyOf(keptInitial);
  }

  /** The assignments in source order. */
  public List<Assignment> assignments() {
    return assignments;
  }

  /** Source keys deliberately ignored by the mapping. */
  public List<String> ignoredKeys() {
    return ignored;
  }

  /** Parameters that no source key maps to and that keep their initial values, as the mapping allows. */
  public List<String> keptInitial() {
    return keptInitial;
  }

  /** The converted value of one assignment (float32, in the parameter's shape). */
  public float[] convertedValues(Assignment assignment) {
    NpyArray value = source.get(assignment.sourceKey());
    return assignment.conversion().apply(value).floatView().clone();
  }

  /** One line: how many tensors and values load, how many are ignored, how many parameters keep their values. */
  public String summary() {
    long values = assignments.stream().mapToLong(a -> NpyArray.sizeOf(a.shape())).sum();
    return String.format(
        "%d source tensors: %d loaded (%,d values), %d ignored; %d parameters keep their initial values",
        assignments.size() + ignored.size(), assignments.size(), values, ignored.size(), keptInitial.size());
  }

  /**
   * Writes every assignment's converted values into its variable in one {@code Session.run} (a placeholder
   * and an {@code Assign} per parameter, added to the graph under {@code weight_import}). The session's
   * pending initialisers run first, so loaded values are not overwritten by them.
   *
   * @param session a session on the graph holding {@code store}'s variables
   * @param store the parameters this plan was checked against
   * @throws WeightImportException if the store no longer has a planned parameter, or its shape changed
   */
  public void load(Session session, ParameterStore store) {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(store, "store");
    List<WeightImportException.Problem> problems = new ArrayList<>();
    List<Parameter> targets = new ArrayList<>();
    for (Assignment a : assignments) {
      if (!store.contains(a.parameter())) {
        problems.add(new WeightImportException.Problem(
            WeightImportException.Kind.UNKNOWN_PARAMETER, a.sourceKey(), a.parameter(),
            a.parameter() + " was planned but the store has no such parameter"));
        continue;
      }
      Parameter p = store.get(a.parameter());
      if (!Arrays.equals(p.shape().asArray(), a.shape())) {
        problems.add(new WeightImportException.Problem(
            WeightImportException.Kind.SHAPE, a.sourceKey(), a.parameter(),
            a.parameter() + " was planned as " + Arrays.toString(a.shape()) + " but the store has " + p.shape()));
      }
      targets.add(p);
    }
    if (!problems.isEmpty()) {
      throw new WeightImportException(
          "weight import: the plan does not fit this store (" + problems.size() + " problems)", problems);
    }
    Graph graph = session.graph();
    Ops tf = Ops.create(graph).withSubScope("weight_import");
    Session.Runner runner = session.runner();
    List<TFloat32> tensors = new ArrayList<>();
    try {
      for (int i = 0; i < assignments.size(); i++) {
        Assignment a = assignments.get(i);
        Shape shape = Shape.of(a.shape());
        Placeholder<TFloat32> feed = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
        float[] values = a.conversion().apply(source.get(a.sourceKey())).floatView();
        TFloat32 tensor = TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
        tensors.add(tensor);
        runner.feed(feed, tensor);
        runner.addTarget(tf.assign(targets.get(i).variable(), feed));
      }
      if (!assignments.isEmpty()) {
        try (Result done = runner.run()) {
          if (done.size() != 0) {
            throw new IllegalStateException("weight import fetched " + done.size() + " tensors, expected none");
          }
        }
      }
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }
}
