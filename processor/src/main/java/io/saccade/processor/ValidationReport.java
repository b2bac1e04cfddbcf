package io.saccade.processor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What one group of rules found in a declaration: its errors, in the order found, each with its
 * {@link Message}, where it points and the message's arguments. A report is clean when it holds no
 * error; a rule group that depends on another runs only when that one's report is clean, so one
 * mistake is reported once rather than as a cascade. Nothing is printed until {@link #printTo}.
 *
 * <pre>{@code
 * ValidationReport.Builder report = ValidationReport.builder();
 * report.error(Message.FRAMES, n.src().at("frames"), n.frames());
 * ValidationReport stages = stageRules(spec);
 * report.add(stages);
 * if (stages.isClean()) { ... rules that need the stages ... }
 * }</pre>
 */
final class ValidationReport {

  /** One error: what, where, and the message's arguments. */
  record Item(Message message, Origin at, List<Object> args) {
    Item {
      args = Collections.unmodifiableList(new ArrayList<>(args)); // a value may print as null
    }

    /** The text javac shows. */
    String text() {
      return message.format(args.toArray());
    }
  }

  private static final ValidationReport CLEAN = new ValidationReport(List.of());

  private final List<Item> items;

  private ValidationReport(List<Item> items) {
    this.items = List.copyOf(items);
  }

  /** A report without errors. */
  static ValidationReport clean() {
    return CLEAN;
  }

  /** A report of the one error {@code message} at {@code at}. */
  static ValidationReport of(Message message, Origin at, Object... args) {
    return builder().error(message, at, args).build();
  }

  static Builder builder() {
    return new Builder();
  }

  /** The errors found, in order. */
  List<Item> items() {
    return items;
  }

  /** Whether nothing was found. */
  boolean isClean() {
    return items.isEmpty();
  }

  /** Reports every item through javac. */
  void printTo(Diagnostics diagnostics) {
    for (Item item : items) {
      diagnostics.error(item.message(), item.at(), item.args().toArray());
    }
  }

  @Override
  public String toString() {
    return isClean() ? "clean" : items.stream().map(Item::text).toList().toString();
  }

  /** Collects the errors of one rule group, and the reports of the groups it runs. */
  static final class Builder {
    private final List<Item> items = new ArrayList<>();

    private Builder() {}

    /** Adds an error; its arguments are checked against the message's slots when it is printed. */
    Builder error(Message message, Origin at, Object... args) {
      items.add(new Item(message, at, Arrays.asList(args)));
      return this;
    }

    /** Adds everything {@code report} found; returns whether it was clean. */
    boolean add(ValidationReport report) {
      items.addAll(report.items());
      return report.isClean();
    }

    /** Whether nothing has been found so far. */
    boolean isClean() {
      return items.isEmpty();
    }

    ValidationReport build() {
      return items.isEmpty() ? CLEAN : new ValidationReport(items);
    }
  }
}
