package io.saccade.runtime.train;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteBuffer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteImportGraphDefOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GraphImportGraphDef;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_ImportGraphDefOptionsAddInputMapping;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_ImportGraphDefOptionsRemapControlDependency;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_ImportGraphDefOptionsSetDefaultDevice;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_ImportGraphDefOptionsSetValidateColocationConstraints;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewBufferFromString;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewImportGraphDefOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_ImportGraphDefOptions;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/**
 * Symbolic gradients placed on a device: what {@code Graph.addGradients} cannot do.
 *
 * <p>TensorFlow's C API adds gradient ops with no device and no colocation with their forward ops, so in a
 * graph with replicas pinned to {@code /device:GPU:i} the placer would run every replica's backward pass on
 * the first device. The graft builds the gradients in a scratch copy of the graph (same op names), takes the
 * new ops (all under {@code prefix/}) as a {@code GraphDef}, and imports them into the real graph with
 * {@code device} as their default device and each reference to an existing op mapped onto that op. The
 * gradients are the ones {@code addGradients} computes, op for op; only their placement differs.
 *
 * <p>TensorFlow Java has no public handle on a graph's native pointer for the import, so it is read by
 * reflection. That works on the class path (how Maven runs an application); on the module path the JVM needs
 * {@code --add-opens org.tensorflow/org.tensorflow=ALL-UNNAMED}, and the error says so.
 */
final class GradientGraft {

  private GradientGraft() {}

  /**
   * The gradients of {@code loss} with respect to {@code xs}, their ops under {@code prefix/} and placed on
   * {@code device}; an entry is {@code null} where no gradient reaches the parameter.
   *
   * @param prefix a name not yet used in the graph
   * @param device a TensorFlow device name, e.g. {@code /device:GPU:1}
   */
  static List<Output<TFloat32>> gradients(
      Graph graph, String prefix, Operand<TFloat32> loss, List<? extends Operand<TFloat32>> xs, String device) {
    Objects.requireNonNull(device, "device");
    GraphDef whole = graph.toGraphDef();
    if (whole.getNodeList().stream().anyMatch(n -> n.getName().equals(prefix) || n.getName().startsWith(prefix + "/"))) {
      throw new IllegalArgumentException("the graph already has ops under " + prefix + "/");
    }
    List<String> dyNames = new ArrayList<>();
    GraphDef grafted;
    try (Graph scratch = new Graph()) {
      scratch.importGraphDef(whole);
      Output<?>[] x = new Output<?>[xs.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = scratch.outputOrThrow(name(xs.get(i).asOutput()));
      }
      Output<?>[] y = {scratch.outputOrThrow(name(loss.asOutput()))};
      Output<?>[] dy = scratch.addGradients(prefix, y, x, null);
      for (Output<?> d : dy) {
        var handle = d == null ? null : ((GraphOperation) d.op()).getUnsafeNativeHandle();
        dyNames.add(handle == null || handle.isNull() ? null : name(d));
      }
      GraphDef.Builder only = GraphDef.newBuilder().setVersions(whole.getVersions());
      for (NodeDef n : scratch.toGraphDef().getNodeList()) {
        if (n.getName().startsWith(prefix + "/")) {
          only.addNode(n);
        }
      }
      grafted = only.build();
    }
    importInto(graph, grafted, device);
    List<Output<TFloat32>> out = new ArrayList<>();
    for (String n : dyNames) {
      @SuppressWarnings("unchecked")
      Output<TFloat32> o = n == null ? null : (Output<TFloat32>) graph.outputOrThrow(n);
      out.add(o);
    }
    return out;
  }

  private static String name(Output<?> o) {
    return o.op().name() + ":" + o.index();
  }

  /** Imports {@code part} into {@code graph}: inputs named outside {@code part} are the graph's existing ops. */
  private static void importInto(Graph graph, GraphDef part, String device) {
    Set<String> inside = new HashSet<>();
    part.getNodeList().forEach(n -> inside.add(n.getName()));
    TF_Graph handle = nativeHandle(graph);
    TF_ImportGraphDefOptions opts = TF_NewImportGraphDefOptions();
    TF_Status status = TF_NewStatus();
    byte[] bytes = part.toByteArray();
    BytePointer data = new BytePointer(bytes);
    TF_Buffer buffer = TF_NewBufferFromString(data, bytes.length);
    List<TF_Output> mapped = new ArrayList<>();
    try {
      TF_ImportGraphDefOptionsSetDefaultDevice(opts, device);
      // Some gradients ask to be colocated with their forward op ("loc:@..."), which is in the graph but not in
      // the imported part: the placer honours it; the import's check would only look inside the part.
      TF_ImportGraphDefOptionsSetValidateColocationConstraints(opts, (byte) 0);
      Set<String> seen = new HashSet<>();
      for (NodeDef n : part.getNodeList()) {
        for (String in : n.getInputList()) {
          boolean control = in.startsWith("^");
          String ref = control ? in.substring(1) : in;
          int colon = ref.lastIndexOf(':');
          String op = colon < 0 ? ref : ref.substring(0, colon);
          int index = colon < 0 ? 0 : Integer.parseInt(ref.substring(colon + 1));
          if (inside.contains(op) || !seen.add(control ? in : op + ":" + index)) {
            continue;
          }
          GraphOperation existing = graph.operationOrThrow(op);
          if (control) {
            TF_ImportGraphDefOptionsRemapControlDependency(opts, op, existing.getUnsafeNativeHandle());
          } else {
            TF_Output target = new TF_Output().oper(existing.getUnsafeNativeHandle()).index(index);
            mapped.add(target);
            TF_ImportGraphDefOptionsAddInputMapping(opts, op, index, target);
          }
        }
      }
      synchronized (graph) {
        TF_GraphImportGraphDef(handle, buffer, opts, status);
      }
      if (TF_GetCode(status) != TF_OK) {
        throw new IllegalStateException("could not place the gradients on " + device + ": " + TF_Message(status).getString());
      }
    } finally {
      TF_DeleteBuffer(buffer);
      data.close();
      mapped.forEach(TF_Output::close);
      TF_DeleteImportGraphDefOptions(opts);
      TF_DeleteStatus(status);
    }
  }

  private static TF_Graph nativeHandle(Graph graph) {
    try {
      Field f = Graph.class.getDeclaredField("nativeHandle");
      f.setAccessible(true);
      return (TF_Graph) f.get(graph);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "training on several devices needs TensorFlow Java's graph handle, which this JVM does not let Saccade read ("
              + e + "); on the module path add --add-opens org.tensorflow/org.tensorflow=ALL-UNNAMED",
          e);
    }
  }
}
