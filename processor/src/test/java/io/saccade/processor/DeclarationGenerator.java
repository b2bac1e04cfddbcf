package io.saccade.processor;

import io.saccade.dsl.Backbones;
import io.saccade.dsl.FrameOrder;
import io.saccade.dsl.Interpolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes random network declarations over the whole DSL, reproducibly from a seed: every annotation and
 * attribute, boundary and absurd values (0, negative, NaN, ±∞, huge, tiny, non-divisible), conflicting
 * and incomplete combinations, and every kind of type (top-level class, interface, record, enum,
 * annotation type, static nested, inner, private, generic, local). Most values are sensible, so that a
 * fair share of declarations is accepted and its generated code gets compiled too.
 *
 * <pre>{@code
 * DeclarationGenerator.Declaration d = new DeclarationGenerator(42).next(7);   // fuzz.Fuzz7
 * }</pre>
 */
final class DeclarationGenerator {

  /** The package every declaration is in. */
  static final String PACKAGE = "fuzz";

  /** How the annotated type is declared. */
  enum Kind {
    INTERFACE, CLASS, ABSTRACT_CLASS, RECORD, ENUM, ANNOTATION, STATIC_NESTED, INNER, PRIVATE_NESTED, GENERIC, LOCAL
  }

  /**
   * One generated compilation unit.
   *
   * @param fileName {@code Fuzz7}: the file is {@code fuzz/Fuzz7.java}
   * @param typeName the annotated type's simple name
   * @param kind how it is declared
   * @param source the whole file
   * @param firstLine first line of the annotated type's annotations (1-based)
   * @param lastLine the line of its declaration
   * @param small whether it is cheap enough to build as a TensorFlow graph in a test
   */
  record Declaration(String fileName, String typeName, Kind kind, String source, int firstLine, int lastLine, boolean small) {}

  private static final int[] FRAMES = {0, -1, 1, 2, 3, 4, 8, 12, 16, 1024, 100_000, Integer.MAX_VALUE, Integer.MIN_VALUE};
  private static final int[] CLASSES = {0, -5, 1, 3, 10, 174, 10_000_000, Integer.MAX_VALUE};
  private static final int[] INPUT_SIZES = {0, -32, 31, 32, 64, 96, 200, 224, 256, 4096, Integer.MAX_VALUE};
  private static final double[] ODD_DOUBLES = {
    0, -0.0, -1, 1.5, 2, 50, 100, 250, 1e-300, 1e-50, 1e-7, 1e6, 1e300, Double.MAX_VALUE, Double.MIN_VALUE,
    Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.99999999999, 1e-45, 3.5e38, 1e39
  };
  private static final double[] RATIOS = {0.5, 0.25, 0.75, 1.0, 0.1, 0.01};
  private static final double[] WIDTHS = {1.0, 0.25, 0.5, 0.125, 0.0625, 0.015625, 0.3, 1.5, 16, 17};
  private static final int[] SHIFT_DIVISORS = {8, 4, 2, 16, 3, 1, 0, -1, 64, 1000};
  private static final int[] DIVISORS = {0, 1, 2, 4, 3, -1, 64};
  private static final int[] GROUPS = {2, 1, 4, 8, 0, 3, 16, 1000};
  private static final int[] EPOCHS = {50, 2, 1, 0, -3, Integer.MAX_VALUE};
  private static final int[] STAGE_INDICES = {1, 2, 3, 4, 0, 5, -1};
  private static final int[] PATCH_SIZES = {32, 16, 96, 128, 0, -1, 224, 500};
  private static final int[] HIDDEN = {0, 1, 2, 16, 256, -1, 2_000_000_000};
  private static final String[] NAMES = {"my-net", "class", "var", "1abc", "record", "_", "Ok", "Custom", "Double", "Backbone", "String"};

  private final Random random;

  DeclarationGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** The {@code index}-th declaration ({@code fuzz.Fuzz<index>}). */
  Declaration next(int index) {
    String file = "Fuzz" + index;
    Kind kind = pick(0.7) ? (pick(0.5) ? Kind.INTERFACE : Kind.CLASS) : Kind.values()[random.nextInt(Kind.values().length)];
    String typeName = switch (kind) {
      case STATIC_NESTED, INNER, PRIVATE_NESTED, LOCAL -> "N" + index;
      default -> file;
    };
    Annotations a = annotations(index, typeName);
    List<String> lines = new ArrayList<>();
    lines.add("package " + PACKAGE + ";");
    lines.add("");
    lines.add("import io.saccade.dsl.*;");
    lines.add("");
    int first;
    int last;
    switch (kind) {
      case STATIC_NESTED, INNER, PRIVATE_NESTED -> {
        lines.add("class " + file + " {");
        first = lines.size() + 1;
        lines.addAll(a.lines());
        String modifiers = kind == Kind.STATIC_NESTED ? "static " : kind == Kind.PRIVATE_NESTED ? "private static " : "";
        lines.add("  " + modifiers + (kind == Kind.INNER ? "class " : "interface ") + typeName + " {}");
        last = lines.size();
        lines.add("}");
      }
      case LOCAL -> {
        lines.add("class " + file + " {");
        lines.add("  void declare() {");
        first = lines.size() + 1;
        lines.addAll(a.lines());
        lines.add("    interface " + typeName + " {}");
        last = lines.size();
        lines.add("  }");
        lines.add("}");
      }
      default -> {
        first = lines.size() + 1;
        lines.addAll(a.lines());
        lines.add(switch (kind) {
          case INTERFACE -> "interface " + typeName + " {}";
          case CLASS -> "final class " + typeName + " {}";
          case ABSTRACT_CLASS -> "abstract class " + typeName + " {}";
          case RECORD -> "record " + typeName + "(int unused) {}";
          case ENUM -> "enum " + typeName + " { A }";
          case ANNOTATION -> "@interface " + typeName + " {}";
          case GENERIC -> "interface " + typeName + "<T> {}";
          default -> throw new AssertionError(kind);
        });
        last = lines.size();
      }
    }
    return new Declaration(file, typeName, kind, String.join("\n", lines) + "\n", first, last, a.small());
  }

  /** The annotation lines of one declaration, and whether its network would be small. */
  private record Annotations(List<String> lines, boolean small) {}

  private Annotations annotations(int index, String typeName) {
    List<String> out = new ArrayList<>();
    int frames = pick(0.85) ? pickOf(new int[] {2, 3, 4, 8}) : pickOf(FRAMES);
    int inputSize = pick(0.8) ? pickOf(new int[] {32, 64}) : pickOf(INPUT_SIZES);
    boolean small = frames <= 4 && inputSize <= 64;
    if (pick(0.97)) {
      List<String> attrs = new ArrayList<>();
      attrs.add("frames = " + intText(frames));
      attrs.add("classes = " + intText(pick(0.9) ? pickOf(new int[] {3, 10}) : pickOf(CLASSES)));
      attrs.add("inputSize = " + intText(inputSize));
      if (pick(0.15)) {
        String name = pick(0.3) ? typeName : pick(0.5) ? "Named" + index : pickOf(NAMES);
        attrs.add("name = \"" + name + "\"");
      }
      if (pick(0.3)) {
        attrs.add("dropout = " + doubleText(pick(0.6) ? pickOf(new double[] {0, 0.2, 0.5}) : pickOf(ODD_DOUBLES)));
      }
      out.add("@VideoNetwork(" + String.join(", ", attrs) + ")");
    }
    int family = random.nextInt(10); // 0-3 dense, 4-7 AFNet, 8 AdaFocusV2, 9 anything
    boolean backbone = family <= 7 || family == 9 && pick(0.5);
    boolean af = family >= 4 && family <= 7 || family == 9 && pick(0.5);
    boolean ada = family == 8 || family == 9 && pick(0.5);
    Backbones net = pick(0.6) ? Backbones.RESNET50 : pickOf(Backbones.values());
    double width = 1;
    if (backbone) {
      List<String> attrs = new ArrayList<>();
      attrs.add("value = Backbones." + net);
      if (pick(0.5)) {
        attrs.add("temporalShift = " + (pick(0.8)));
      }
      if (pick(0.25)) {
        attrs.add("shiftDivisor = " + intText(pickOf(SHIFT_DIVISORS)));
      }
      if (net == Backbones.RESNET50 || net == Backbones.RESNET101 ? pick(0.8) : pick(0.1)) {
        width = pick(0.85) ? pickOf(new double[] {0.25, 0.125, 0.5}) : pick(0.5) ? pickOf(WIDTHS) : pickOf(ODD_DOUBLES);
        attrs.add("width = " + doubleText(width));
      }
      out.add("@Backbone(" + String.join(", ", attrs) + ")");
    }
    small &= width <= 0.25 || net.name().startsWith("MOBILENET") && width == 1;
    if (af) {
      if (pick(0.95)) {
        List<String> attrs = new ArrayList<>();
        if (pick(0.3)) {
          attrs.add("channelDivisor = " + intText(pickOf(DIVISORS)));
        }
        if (pick(0.15)) {
          attrs.add("resolutionStride = " + intText(pick(0.5) ? 2 : pickOf(new int[] {0, 1, 4})));
        }
        out.add("@AmpleBranch" + args(attrs));
      }
      if (pick(0.95)) {
        out.add("@FocalBranch" + (pick(0.3) ? "(groups = " + intText(pickOf(GROUPS)) + ")" : ""));
      }
      if (pick(0.95)) {
        out.add("@Navigation(" + navigation(true) + ")");
      }
      int stages = pick(0.7) ? 0 : 1 + random.nextInt(3);
      for (int i = 0; i < stages; i++) {
        List<String> attrs = new ArrayList<>();
        attrs.add("index = " + intText(pickOf(STAGE_INDICES)));
        if (pick(0.3)) {
          attrs.add("af = " + pick(0.5));
        }
        if (pick(0.4)) {
          attrs.add(pick(0.9) ? "navigation = @Navigation(" + navigation(false) + ")"
              : "navigation = {@Navigation(targetRatio = 0.5), @Navigation(targetRatio = 0.25)}");
        }
        out.add("@Stage(" + String.join(", ", attrs) + ")");
      }
    }
    if (ada) {
      small &= frames <= 3;
      if (pick(0.95)) {
        List<String> attrs = new ArrayList<>();
        attrs.add("backbone = Backbones." + (pick(0.5) ? Backbones.MOBILENET_V3_SMALL : pickOf(Backbones.values())));
        if (pick(0.4)) {
          attrs.add("inputSize = " + intText(pickOf(new int[] {0, 32, 64, 96, 224, 250, 512})));
        }
        if (pick(0.3)) {
          attrs.add("temporalShift = " + pick(0.7));
        }
        out.add("@GlobalEncoder(" + String.join(", ", attrs) + ")");
      }
      boolean recurrent = pick(0.5);
      if (pick(0.95)) {
        List<String> attrs = new ArrayList<>();
        attrs.add("patchSize = " + intText(pick(0.7) ? 32 : pickOf(PATCH_SIZES)));
        attrs.add("recurrent = " + recurrent);
        if (pick(0.3)) {
          attrs.add("interpolation = Interpolation." + pickOf(Interpolation.values()));
        }
        if (pick(0.5)) {
          attrs.add("hidden = " + intText(pick(0.7) ? 16 : pickOf(HIDDEN)));
        } else {
          small = false; // the official 2048-wide policy
        }
        out.add("@PatchPolicy(" + String.join(", ", attrs) + ")");
      }
      if (pick(0.95)) {
        Backbones local = pick(0.5) ? Backbones.MOBILENET_V3_SMALL : pickOf(Backbones.values());
        small &= local == Backbones.MOBILENET_V3_SMALL;
        out.add("@LocalEncoder(backbone = Backbones." + local + (pick(0.3) ? ", temporalShift = " + pick(0.7) : "") + ")");
      }
      if (pick(0.5)) {
        out.add("@Classifier(hidden = " + intText(pick(0.7) ? 16 : pickOf(HIDDEN)) + ")");
      } else if (recurrent) {
        small = false; // the official 4096-wide classifier
      }
      if (pick(0.3)) {
        out.add("@ConditionalExit" + (pick(0.5) ? "(order = FrameOrder." + pickOf(FrameOrder.values()) + ")" : ""));
      }
    }
    if (pick(0.15)) {
      out.add("@Budget(maxGflops = " + doubleText(pick(0.6) ? pickOf(new double[] {1, 30, 1e-3, 1e6}) : pickOf(ODD_DOUBLES)) + ")");
    }
    if (out.isEmpty()) {
      out.add("@Budget(maxGflops = 30)");
    }
    return new Annotations(out, small);
  }

  private String navigation(boolean typeLevel) {
    List<String> attrs = new ArrayList<>();
    attrs.add("targetRatio = " + doubleText(pick(0.8) ? pickOf(RATIOS) : pickOf(ODD_DOUBLES)));
    if (pick(typeLevel ? 0.3 : 0.1)) {
      attrs.add("lossWeight = " + doubleText(pick(0.5) ? pickOf(new double[] {0, 0.5, 2}) : pickOf(ODD_DOUBLES)));
    }
    if (pick(typeLevel ? 0.3 : 0.1)) {
      List<String> anneal = new ArrayList<>();
      if (pick(0.5)) {
        anneal.add("from = " + doubleText(pick(0.6) ? pickOf(new double[] {1, 5, 0.5}) : pickOf(ODD_DOUBLES)));
      }
      if (pick(0.5)) {
        anneal.add("to = " + doubleText(pick(0.6) ? pickOf(new double[] {0.01, 0.1, 1e-4}) : pickOf(ODD_DOUBLES)));
      }
      if (pick(0.5)) {
        anneal.add("epochs = " + intText(pickOf(EPOCHS)));
      }
      attrs.add("temperature = @Anneal" + args(anneal));
    }
    if (pick(0.2)) {
      attrs.add("mixFrames = " + pick(0.5));
    }
    if (pick(0.15)) {
      attrs.add(pick(0.8) ? "spatial = @SpatialMask(targetRatio = " + doubleText(pick(0.7) ? 0.5 : pickOf(ODD_DOUBLES)) + ")"
          : "spatial = {@SpatialMask(targetRatio = 0.5), @SpatialMask(targetRatio = 0.25)}");
    }
    if (pick(0.2)) {
      attrs.add("keepMargin = " + doubleText(pick(0.5) ? pickOf(new double[] {1, 9, 0.5}) : pickOf(ODD_DOUBLES)));
    }
    return String.join(", ", attrs);
  }

  private static String args(List<String> attrs) {
    return attrs.isEmpty() ? "" : "(" + String.join(", ", attrs) + ")";
  }

  private boolean pick(double p) {
    return random.nextDouble() < p;
  }

  private int pickOf(int[] values) {
    return values[random.nextInt(values.length)];
  }

  private double pickOf(double[] values) {
    return values[random.nextInt(values.length)];
  }

  private <T> T pickOf(T[] values) {
    return values[random.nextInt(values.length)];
  }

  /** A Java expression for {@code v}. */
  static String intText(int v) {
    return v == Integer.MIN_VALUE ? "Integer.MIN_VALUE" : String.valueOf(v);
  }

  /** A Java expression for {@code v}: NaN and the infinities by name. */
  static String doubleText(double v) {
    if (Double.isNaN(v)) {
      return "Double.NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
    }
    return Double.toString(v);
  }
}
