package io.saccade.runtime.export;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * An inference graph with every variable replaced by a constant holding its current value, and only
 * the nodes the chosen outputs need: what TensorFlow's {@code freeze_graph} does. TensorFlow's graph
 * optimiser then folds whatever depends on weights alone (AFNet's f(0), the zero frame's branch, becomes
 * one constant per focal block), and the executor no longer visits one variable node per parameter.
 * The outputs are the same numbers; the variables of the original graph can change afterwards without
 * affecting the frozen copy (freeze again after changing them).
 *
 * <pre>{@code
 * try (FrozenGraph frozen = FrozenGraph.freeze(session, graph, List.of(logits), null)) {
 *   Output<TFloat32> y = frozen.output(logits);
 *   try (Result r = frozen.session().runner().feed(frozen.output(clips), input).fetch(y).run()) { ... }
 * }
 * }</pre>
 */
public final class FrozenGraph implements AutoCloseable {

  private final Graph graph;
  private final Session session;
  private final int variablesFrozen;

  private FrozenGraph(Graph graph, Session session, int variablesFrozen) {
    this.graph = graph;
    this.session = session;
    this.variablesFrozen = variablesFrozen;
  }

  /**
   * Freezes the part of {@code graph} that {@code outputs} need, with the variables' values in
   * {@code session} (float variables; the graph's VariableV2 nodes).
   *
   * @param config the new session's configuration, or null for TensorFlow's default
   */
  public static FrozenGraph freeze(Session session, Graph graph, List<? extends Operand<?>> outputs, ConfigProto config) {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(graph, "graph");
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("freezing needs at least one output");
    }
    GraphDef def = graph.toGraphDef();
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef n : def.getNodeList()) {
      byName.put(n.getName(), n);
    }
    // Every node the outputs reach through data and control inputs.
    Set<String> needed = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    for (Operand<?> o : outputs) {
      todo.add(o.op().name());
    }
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!needed.add(name)) {
        continue;
      }
      NodeDef n = byName.get(name);
      if (n == null) {
        throw new IllegalStateException("node " + name + " is not in the graph");
      }
      if (isVariable(n)) {
        continue; // becomes a constant: its initializer is not needed
      }
      for (String in : n.getInputList()) {
        todo.add(nodeName(in));
      }
    }
    List<String> variables = new ArrayList<>();
    for (String name : needed) {
      NodeDef n = byName.get(name);
      if (isVariable(n)) {
        if (n.getAttrMap().get("dtype").getType() != DataType.DT_FLOAT) {
          throw new IllegalArgumentException("only float variables can be frozen, " + name + " is " + n.getAttrMap().get("dtype").getType());
        }
        variables.add(name);
      }
    }
    Map<String, NodeDef> constants = new HashMap<>();
    if (!variables.isEmpty()) {
      Session.Runner r = session.runner();
      for (String v : variables) {
        r.fetch(v);
      }
      try (Result values = r.run()) {
        for (int i = 0; i < variables.size(); i++) {
          constants.put(variables.get(i), constant(byName.get(variables.get(i)), (TFloat32) values.get(i)));
        }
      }
    }
    GraphDef.Builder frozen = GraphDef.newBuilder().setVersions(def.getVersions()).setLibrary(def.getLibrary());
    for (NodeDef n : def.getNodeList()) {
      if (needed.contains(n.getName())) {
        frozen.addNode(constants.getOrDefault(n.getName(), n));
      }
    }
    Graph g = new Graph();
    try {
      g.importGraphDef(frozen.build());
      Session s = config == null ? new Session(g) : new Session(g, config);
      return new FrozenGraph(g, s, variables.size());
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  private static boolean isVariable(NodeDef n) {
    return n.getOp().equals("VariableV2") || n.getOp().equals("Variable");
  }

  /** {@code "^name"}, {@code "name:1"} → {@code "name"}. */
  private static String nodeName(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.lastIndexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }

  /** A Const node with the variable's name, device and value. */
  private static NodeDef constant(NodeDef variable, TFloat32 value) {
    int n = (int) value.shape().size();
    float[] v = new float[n];
    value.copyTo(DataBuffers.of(v, false, false));
    ByteBuffer bytes = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(v);
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : value.shape().asArray()) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    TensorProto tensor =
        TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape).setTensorContent(ByteString.copyFrom(bytes.array())).build();
    return NodeDef.newBuilder()
        .setName(variable.getName())
        .setOp("Const")
        .setDevice(variable.getDevice())
        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build())
        .build();
  }

  /** The frozen graph's counterpart of an output of the original graph (same op name and index). */
  @SuppressWarnings("unchecked")
  public <T extends org.tensorflow.types.family.TType> Output<T> output(Operand<T> original) {
    Output<?> o = original.asOutput();
    var op = graph.operation(o.op().name());
    if (op == null) {
      throw new IllegalArgumentException(o.op().name() + " is not part of the frozen graph (not needed by its outputs)");
    }
    return (Output<T>) op.output(o.index());
  }

  /** The session running the frozen graph. */
  public Session session() {
    return session;
  }

  /** The frozen graph. */
  public Graph graph() {
    return graph;
  }

  /** How many variables became constants. */
  public int variablesFrozen() {
    return variablesFrozen;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
