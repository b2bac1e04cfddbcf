package io.saccade.runtime.train;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;

/**
 * The devices a {@link Trainer}'s replicas run on ({@link TrainerBuilder#devices}): the first {@code n} GPUs
 * TensorFlow sees, or, on a machine without one, {@code n} CPU devices of one session (TensorFlow splits the
 * host into that many devices; they share its cores, so this checks the replicated graph rather than speeding
 * anything up).
 *
 * @param names the TensorFlow device of each replica, e.g. {@code /device:GPU:1}
 * @param cpu whether the replicas are CPU devices (the session is then configured with that many)
 */
public record Devices(List<String> names, boolean cpu) {

  private static volatile Integer gpus;

  public Devices {
    names = List.copyOf(names);
  }

  /** How many replicas. */
  public int count() {
    return names.size();
  }

  /** Several replicas on CPU devices of one process (they share its cores, and oneDNN can deadlock them). */
  boolean severalCpus() {
    return cpu && names.size() > 1;
  }

  /** Replica {@code i}'s device as a {@link DeviceSpec}. */
  DeviceSpec spec(int i) {
    return DeviceSpec.newBuilder()
        .deviceType(cpu ? DeviceSpec.DeviceType.CPU : DeviceSpec.DeviceType.GPU)
        .deviceIndex(i)
        .build();
  }

  /** The session configuration: that many CPU devices when the replicas are CPUs; ops without a GPU kernel may fall back to the CPU. */
  ConfigProto sessionConfig() {
    ConfigProto.Builder b = ConfigProto.newBuilder().setAllowSoftPlacement(true);
    if (cpu) {
      b.putDeviceCount("CPU", names.size());
    }
    return b.build();
  }

  /**
   * {@code n} replicas: on GPUs 0…n−1 when TensorFlow sees at least one GPU, else on {@code n} CPU devices.
   *
   * @throws IllegalArgumentException if {@code n < 1}, or GPUs are present but fewer than {@code n}
   */
  public static Devices of(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("devices must be >= 1, got " + n);
    }
    int g = gpus();
    if (g > 0 && n > g) {
      throw new IllegalArgumentException("asked for " + n + " devices, but TensorFlow sees " + g + " GPU(s)");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add((g > 0 ? "/device:GPU:" : "/device:CPU:") + i);
    }
    return new Devices(names, g == 0);
  }

  /**
   * The default of {@link TrainerBuilder#devices}: every GPU TensorFlow sees (else one device), or the most of
   * them a batch of {@code batchSize} clips splits evenly across.
   */
  public static Devices available(int batchSize) {
    int n = Math.max(1, gpus());
    while (batchSize % n != 0) {
      n--;
    }
    return of(n);
  }

  /** How many GPUs TensorFlow sees in this process (0 with the CPU natives or without CUDA); asked once. */
  public static int gpus() {
    Integer known = gpus;
    if (known == null) {
      synchronized (Devices.class) {
        if (gpus == null) {
          gpus = countGpus();
        }
        known = gpus;
      }
    }
    return known;
  }

  private static int countGpus() {
    TensorFlow.version(); // loads the natives
    TF_Status status = TF_NewStatus();
    TF_Graph graph = TF_NewGraph();
    TF_SessionOptions options = TF_NewSessionOptions();
    TF_Session session = TF_NewSession(graph, options, status);
    try {
      if (TF_GetCode(status) != TF_OK) {
        throw new IllegalStateException("TensorFlow could not open a session to list devices: " + TF_Message(status).getString());
      }
      TF_DeviceList list = TF_SessionListDevices(session, status);
      try {
        int n = 0;
        for (int i = 0; i < TF_DeviceListCount(list); i++) {
          if ("GPU".equals(TF_DeviceListType(list, i, status).getString())) {
            n++;
          }
        }
        return n;
      } finally {
        TF_DeleteDeviceList(list);
      }
    } finally {
      if (session != null && !session.isNull()) {
        TF_CloseSession(session, status);
        TF_DeleteSession(session, status);
      }
      TF_DeleteSessionOptions(options);
      TF_DeleteGraph(graph);
      TF_DeleteStatus(status);
    }
  }
}
