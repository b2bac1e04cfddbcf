package io.saccade.runtime.train;

import io.saccade.runtime.io.ArtefactException;
import io.saccade.runtime.io.FileDigests;
import io.saccade.runtime.io.Json;
import io.saccade.runtime.nn.ParameterStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.family.TType;

/**
 * The variables of a graph as a checkpoint records them (name → dtype and shape), the comparison of a
 * checkpoint's record with a graph, and a restore of a chosen subset of variables. Used by
 * {@link Checkpoints} and by the export, so both report a mismatch the same way: the variable, the
 * shape in the artefact and the shape in the graph.
 *
 * <pre>{@code
 * Map<String, Object> tensors = CheckpointContents.tensors(graph, CheckpointContents::isModelVariable);
 * List<String> problems = CheckpointContents.compare(recorded, tensors);   // empty when they fit
 * }</pre>
 */
public final class CheckpointContents {

  /** How many mismatches a message lists before "and N more". */
  private static final int LISTED = 6;

  private CheckpointContents() {}

  /** Whether {@code variable} is one of the network's own ({@code params/...}), not optimizer state. */
  public static boolean isModelVariable(String variable) {
    return variable.startsWith(ParameterStore.PREFIX + "/");
  }

  /**
   * Every {@code VariableV2} of {@code graph} whose name {@code which} accepts, sorted by name, as
   * {@code {"dtype": "DT_FLOAT", "shape": [3, 3, 3, 16]}}.
   */
  public static Map<String, Object> tensors(Graph graph, Predicate<String> which) {
    Map<String, Object> out = new TreeMap<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.type().equals("VariableV2") && which.test(op.name())) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dtype", op.attributes().getAttrType("dtype").name());
        d.put("shape", shapeList(op.attributes().getAttrShape("shape")));
        out.put(op.name(), d);
      }
    }
    return new LinkedHashMap<>(out);
  }

  /**
   * What keeps the {@code recorded} tensors (an artefact's) from filling {@code wanted} (a graph's): each
   * wanted variable that is missing, or has another dtype or shape, in words; empty when they fit.
   * Recorded variables the graph does not want are ignored (an optimizer's state for inference).
   */
  public static List<String> compare(Map<String, Object> recorded, Map<String, Object> wanted) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Object> e : wanted.entrySet()) {
      Object have = recorded.get(e.getKey());
      Map<String, Object> want = Json.object(e.getValue(), e.getKey());
      if (have == null) {
        problems.add("variable " + e.getKey() + " " + shapeText(want) + " is not in it");
        continue;
      }
      Map<String, Object> got = Json.object(have, e.getKey());
      if (!String.valueOf(got.get("dtype")).equals(want.get("dtype"))) {
        problems.add("variable " + e.getKey() + " is " + got.get("dtype") + " in it but " + want.get("dtype") + " here");
      } else if (!Arrays.equals(Json.longs(got.get("shape"), "shape"), Json.longs(want.get("shape"), "shape"))) {
        problems.add("variable " + e.getKey() + " has shape " + shapeText(got) + " in it but " + shapeText(want) + " here");
      }
    }
    return problems;
  }

  /** {@code problems} as one sentence part: the first few, then how many more. */
  public static String summarise(List<String> problems) {
    if (problems.size() <= LISTED) {
      return String.join("; ", problems);
    }
    return String.join("; ", problems.subList(0, LISTED)) + "; and " + (problems.size() - LISTED) + " more";
  }

  private static String shapeText(Map<String, Object> tensor) {
    return Arrays.toString(Json.longs(tensor.get("shape"), "shape"));
  }

  private static List<Long> shapeList(Shape shape) {
    List<Long> dims = new ArrayList<>();
    for (long d : shape.asArray()) {
      dims.add(d);
    }
    return dims;
  }

  /** Checks and restores; see {@link Checkpoints#restore(Session, Checkpoint, Predicate)}. */
  static void restore(Session session, Checkpoint checkpoint, Predicate<String> which) throws IOException {
    Path dir = checkpoint.directory();
    String what = "checkpoint " + dir;
    Map<String, Object> meta;
    try {
      meta = Json.object(Json.parse(Files.readString(dir.resolve(Checkpoint.METADATA), StandardCharsets.UTF_8)), "the metadata");
    } catch (IOException | RuntimeException e) {
      throw new ArtefactException(dir, what + ": cannot read " + Checkpoint.METADATA + ": " + e.getMessage(), e);
    }
    if (meta.get("files") != null) {
      FileDigests.verify(dir, Json.object(meta.get("files"), "\"files\""), what);
    }
    Map<String, Object> wanted = tensors(session.graph(), which);
    if (meta.get("tensors") != null) {
      List<String> problems = compare(Json.object(meta.get("tensors"), "\"tensors\""), wanted);
      if (!problems.isEmpty()) {
        String saver = checkpoint.runInfo() == null ? "" : " (saved by network " + checkpoint.runInfo().network() + ")";
        throw new ArtefactException(dir, what + saver + " does not fit this graph: " + summarise(problems));
      }
    }
    run(session, dir, checkpoint.prefix(), wanted, what);
  }

  /**
   * Restores the {@code wanted} variables of {@code session}'s graph from the TensorFlow checkpoint at
   * {@code prefix}: one RestoreV2 op and an assignment per variable, added to the graph on each call.
   *
   * @throws ArtefactException with TensorFlow's reason when it refuses (a missing key, a shape, a bad file)
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void run(Session session, Path artefact, String prefix, Map<String, Object> wanted, String what)
      throws ArtefactException {
    if (wanted.isEmpty()) {
      return;
    }
    Graph graph = session.graph();
    Ops tf = Ops.create(graph).withSubScope("checkpoint_restore");
    String[] names = wanted.keySet().toArray(new String[0]);
    Restore restored = restoreOp(tf, prefix, names, wanted);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      Operand ref = graph.operation(names[i]).output(0);
      assigns.add(tf.assign(ref, (Operand) restored.tensors().get(i)));
    }
    // Read first, compare shapes in Java (the variable's name in the message, which TensorFlow's Assign
    // error lacks), then assign the values read: the files are read once.
    Session.Runner read = session.runner();
    restored.tensors().forEach(read::fetch);
    try (Result values = run(read, artefact, what)) {
      compareShapes(artefact, what, names, wanted, values);
      Session.Runner write = session.runner();
      for (int i = 0; i < names.length; i++) {
        write.feed(restored.tensors().get(i), values.get(i));
      }
      assigns.forEach(write::addTarget);
      try (Result done = run(write, artefact, what)) {
        // nothing fetched; the assignments are the point
      }
    }
  }

  /**
   * Reads every {@code wanted} variable of the TensorFlow checkpoint at {@code prefix} in a graph of its
   * own and compares the shapes, without touching any model: a check before TensorFlow loads an export.
   *
   * @throws ArtefactException naming a missing variable, or the variable and both shapes
   */
  public static void verify(Path artefact, String prefix, Map<String, Object> wanted, String what) throws ArtefactException {
    if (wanted.isEmpty()) {
      return;
    }
    try (Graph graph = new Graph();
        Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      String[] names = wanted.keySet().toArray(new String[0]);
      Restore restored = restoreOp(tf, prefix, names, wanted);
      Session.Runner read = session.runner();
      restored.tensors().forEach(read::fetch);
      try (Result values = run(read, artefact, what)) {
        compareShapes(artefact, what, names, wanted, values);
      }
    }
  }

  private static Restore restoreOp(Ops tf, String prefix, String[] names, Map<String, Object> wanted) {
    String[] slices = new String[names.length];
    Arrays.fill(slices, "");
    List<Class<? extends TType>> types = new ArrayList<>();
    for (String name : names) {
      DataType dt = DataType.valueOf((String) Json.object(wanted.get(name), name).get("dtype"));
      types.add(TensorTypeRegistry.find(dt).type());
    }
    return tf.train.restore(tf.constant(prefix), tf.constant(NdArrays.vectorOfObjects(names)),
        tf.constant(NdArrays.vectorOfObjects(slices)), types);
  }

  private static void compareShapes(Path artefact, String what, String[] names, Map<String, Object> wanted, Result values)
      throws ArtefactException {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      long[] want = Json.longs(Json.object(wanted.get(names[i]), names[i]).get("shape"), "shape");
      long[] got = values.get(i).shape().asArray();
      if (!Arrays.equals(want, got)) {
        problems.add("variable " + names[i] + " has shape " + Arrays.toString(got) + " in it but " + Arrays.toString(want) + " here");
      }
    }
    if (!problems.isEmpty()) {
      throw new ArtefactException(artefact, what + " does not fit this graph: " + summarise(problems));
    }
  }

  private static Result run(Session.Runner runner, Path artefact, String what) throws ArtefactException {
    try {
      return runner.run();
    } catch (TensorFlowException e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      throw new ArtefactException(artefact, what + " cannot be read into this graph: " + reason, e);
    }
  }
}
