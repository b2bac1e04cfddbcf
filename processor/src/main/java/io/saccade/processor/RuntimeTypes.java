package io.saccade.processor;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;

/**
 * The runtime, TensorFlow and JDK types generated code names. The processor never links against the
 * runtime or TensorFlow: it names their classes.
 */
final class RuntimeTypes {

  private RuntimeTypes() {}

  private static final String MODEL = "io.saccade.runtime.model";
  private static final String BLOCKS = "io.saccade.runtime.blocks";

  static final ClassName VIDEO_MODEL = ClassName.get(MODEL, "VideoModel");
  static final ClassName MODEL_OUTPUTS = ClassName.get(MODEL, "ModelOutputs");
  static final ClassName SELECTION = MODEL_OUTPUTS.nestedClass("Selection");
  static final ClassName MODEL_SUMMARY = ClassName.get(MODEL, "ModelSummary");
  static final ClassName NAVIGATION_TRAINING = ClassName.get(MODEL, "NavigationTraining");
  static final ClassName CLIP_GFLOPS = ClassName.get(MODEL, "ClipGflops");
  static final ClassName BUILD_CONTEXT = ClassName.get("io.saccade.runtime.nn", "BuildContext");
  static final ClassName HEADS = ClassName.get(BLOCKS, "Heads");
  static final ClassName LOGITS = HEADS.nestedClass("Logits");
  static final ClassName RESNET = ClassName.get(BLOCKS, "ResNet");
  static final ClassName BOTTLENECK_SPEC = ClassName.get(BLOCKS, "BottleneckSpec");
  static final ClassName AF_STAGE = ClassName.get(BLOCKS, "AfStage");
  static final ClassName AF_RESULT = AF_STAGE.nestedClass("Result");
  static final ClassName AF_STAGE_SPEC = ClassName.get(BLOCKS, "AfStageSpec");
  static final ClassName NAVIGATION_SPEC = ClassName.get(BLOCKS, "NavigationSpec");
  static final ClassName MOBILENET = ClassName.get(BLOCKS, "MobileNetV3");
  static final ClassName ADAFOCUS = ClassName.get(BLOCKS, "AdaFocusV2");
  static final ClassName ADAFOCUS_SPEC = ClassName.get(BLOCKS, "AdaFocusV2Spec");
  static final ClassName IR_SPEC = ClassName.get(BLOCKS, "MobileNetInvertedResidualSpec");
  static final ClassName IR_ACTIVATION = IR_SPEC.nestedClass("Activation");
  static final ClassName IR_EXCITATION = IR_SPEC.nestedClass("Excitation");
  static final ClassName MOBILENET_AF_STAGE = ClassName.get(BLOCKS, "MobileNetAfStage");
  static final ClassName MOBILENET_AF_STAGE_SPEC = ClassName.get(BLOCKS, "MobileNetAfStageSpec");
  static final ClassName OPS = ClassName.get("org.tensorflow.op", "Ops");
  static final TypeName FLOATS =
      ParameterizedTypeName.get(ClassName.get("org.tensorflow", "Operand"), ClassName.get("org.tensorflow.types", "TFloat32"));
  static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  static final ClassName LIST = ClassName.get("java.util", "List");
  static final ClassName ARRAY_LIST = ClassName.get("java.util", "ArrayList");
  static final ClassName MAP = ClassName.get("java.util", "Map");
  static final ClassName LINKED_HASH_MAP = ClassName.get("java.util", "LinkedHashMap");
  static final ClassName OPTIONAL = ClassName.get("java.util", "Optional");
}
