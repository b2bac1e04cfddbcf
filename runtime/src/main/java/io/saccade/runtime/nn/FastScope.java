package io.saccade.runtime.nn;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Pattern;
import org.tensorflow.DeviceSpec;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.op.OpsBridge;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;

/**
 * A name scope whose sub-scopes cost O(1) to create.
 *
 * <p>TensorFlow Java's own {@code withSubScope} scans every operation of the graph (one JNI call per
 * operation) to learn which names are taken, so building a network with thousands of layers into one
 * graph is quadratic: a ResNet-50 AFNet's training and inference builds took 40 s, nearly all of it
 * in that scan. This scope keeps the names it hands out in a registry shared by every such scope of the
 * graph, and checks a single name against the graph only when it creates an op, so names stay unique
 * even beside ops made by ordinary scopes. Op names, devices, control dependencies and the init scope
 * behave as TensorFlow's {@code OpScope}, which it delegates to. {@link OpsBridge}, a few lines in
 * TensorFlow's package, hands it the package-private {@code Ops(Scope)} constructor.
 */
public final class FastScope implements Scope {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-]*");
  private static final Map<ExecutionEnvironment, Map<String, Integer>> REGISTRIES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Scope delegate;
  private final String prefix;
  private final String opName;
  private final Map<String, Integer> used;
  /** At the wrapped scope's own level names come from it, so ordinary scopes there never clash with ours. */
  private final boolean top;

  private FastScope(Scope delegate, String prefix, String opName, Map<String, Integer> used, boolean top) {
    this.delegate = delegate;
    this.prefix = prefix;
    this.opName = opName;
    this.used = used;
    this.top = top;
  }

  /** Ops whose sub-scopes are cheap, placed where {@code base} places its ops. */
  public static Ops wrap(Ops base) {
    Scope s = base.scope();
    if (s instanceof FastScope) {
      return base;
    }
    // The base scope's prefix, learnt from the name it gives an op (names hold '/' only between scopes).
    String full = s.makeOpName("saccade_scope");
    String prefix = full.substring(0, full.lastIndexOf('/') + 1);
    Map<String, Integer> used = REGISTRIES.computeIfAbsent(s.env(), e -> new HashMap<>());
    return OpsBridge.create(new FastScope(s, prefix, null, used, true));
  }

  @Override
  public ExecutionEnvironment env() {
    return delegate.env();
  }

  @Override
  public Scope withSubScope(String childScopeName) {
    check(childScopeName);
    // At the top the wrapped scope reserves the name (cheaply, no graph scan), so its later ops avoid it.
    String name = top ? prefix + delegate.makeUnique(childScopeName) : unique(prefix + childScopeName);
    return new FastScope(delegate, name + "/", null, used, false);
  }

  @Override
  public Scope withName(String name) {
    check(name);
    return top
        ? new FastScope(delegate.withName(name), prefix, null, used, true)
        : new FastScope(delegate, prefix, name, used, false);
  }

  @Override
  public Scope withNameAsSubScope(String defaultName) {
    return withSubScope(opName != null ? opName : defaultName);
  }

  @Override
  public Scope withDevice(DeviceSpec deviceSpec) {
    return new FastScope(delegate.withDevice(deviceSpec), prefix, opName, used, top);
  }

  @Override
  public Scope withInitScope() {
    return new FastScope(delegate.withInitScope(), prefix, opName, used, top);
  }

  @Override
  public String makeOpName(String defaultName) {
    if (top) {
      return delegate.makeOpName(defaultName);
    }
    String name = opName != null ? opName : defaultName;
    check(name);
    return unique(prefix + name);
  }

  @Override
  public String makeUnique(String id) {
    if (top) {
      return delegate.makeUnique(id);
    }
    return unique(prefix + id).substring(prefix.length());
  }

  @Override
  public void refreshNames() {
    // Names are checked against the graph when ops are created; nothing to refresh.
  }

  @Override
  public Scope withControlDependencyOps(Iterable<Operation> controls) {
    return new FastScope(delegate.withControlDependencyOps(controls), prefix, opName, used, top);
  }

  @Override
  public OperationBuilder apply(OperationBuilder builder) {
    return delegate.apply(builder);
  }

  @Override
  public String getDeviceString() {
    return delegate.getDeviceString();
  }

  @Override
  public boolean isInit() {
    return delegate.isInit();
  }

  private String unique(String name) {
    synchronized (used) {
      Integer count = used.get(name);
      if (count == null && !inGraph(name)) {
        used.put(name, 0);
        return name;
      }
      int i = count == null ? 0 : count;
      String candidate;
      do {
        i++;
        candidate = name + "_" + i;
      } while (used.containsKey(candidate) || inGraph(candidate));
      used.put(name, i);
      used.put(candidate, 0);
      return candidate;
    }
  }

  private boolean inGraph(String name) {
    return delegate.env() instanceof Graph g && g.operation(name) != null;
  }

  private static void check(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid op or scope name '" + name + "': must match " + NAME.pattern());
    }
  }
}
