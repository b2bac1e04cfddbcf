package io.saccade.runtime.weights;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps source tensor keys (e.g. PyTorch's {@code layer1.base_module.0.conv1.weight}) to parameter names
 * (e.g. {@code stage1/ample/block0/conv1/kernel}) and the {@link Conversion} each needs.
 *
 * <p>Rules are tried in the order they were added; the first that matches a key decides it: mapped to a
 * parameter, or deliberately ignored. A key no rule matches is <em>unexpected</em> and fails the import.
 * Parameters matched by {@link Builder#keepInitial} may be absent from the source (a new classifier
 * when fine-tuning to other classes).
 *
 * <pre>{@code
 * WeightMapping mapping = WeightMapping.builder()
 *     .ignore("num_batches_tracked$")
 *     .exact("conv1.weight", "stem/conv/kernel", Conversion.OIHW_TO_HWIO)
 *     .rule("layer(\\d)\\.base_module\\.(\\d+)\\.conv(\\d)\\.weight",
 *           "stage$1/ample/block$2/conv$3/kernel", Conversion.OIHW_TO_HWIO)
 *     .keepInitial("head/.*")
 *     .build();
 * }</pre>
 */
public final class WeightMapping {

  /** Where one source key goes: a parameter name and the conversion its values need. */
  public record Target(String parameter, Conversion conversion) {
    public Target {
      Objects.requireNonNull(parameter, "parameter");
      Objects.requireNonNull(conversion, "conversion");
    }
  }

  /** One rule: answers null when it does not match, {@link #IGNORED} when it ignores, else a target. */
  private interface Rule {
    Object apply(String key);
  }

  private static final Object IGNORED = new Object();

  private final List<Rule> rules;
  private final List<Pattern> keepInitial;

  private WeightMapping(List<Rule> rules, List<Pattern> keepInitial) {
    this.rules = List.copyOf(rules);
    this.keepInitial = List.copyOf(keepInitial);
  }

  /** A builder with no rules. */
  public static Builder builder() {
    return new Builder();
  }

  /** The target of {@code sourceKey}, or empty when it is ignored or unmatched (see {@link #ignores}). */
  public Optional<Target> target(String sourceKey) {
    Object r = resolve(sourceKey);
    return r instanceof Target t ? Optional.of(t) : Optional.empty();
  }

  /** Whether the first matching rule for {@code sourceKey} ignores it. */
  public boolean ignores(String sourceKey) {
    return resolve(sourceKey) == IGNORED;
  }

  /** Whether parameter {@code name} may keep its initial value when no source key maps to it. */
  public boolean keepsInitial(String parameter) {
    for (Pattern p : keepInitial) {
      if (p.matcher(parameter).matches()) {
        return true;
      }
    }
    return false;
  }

  private Object resolve(String key) {
    for (Rule rule : rules) {
      Object r = rule.apply(key);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  /** Collects rules in order. */
  public static final class Builder {
    private final List<Rule> rules = new ArrayList<>();
    private final List<Pattern> keepInitial = new ArrayList<>();

    private Builder() {}

    /** Maps exactly {@code sourceKey} to {@code parameter}. */
    public Builder exact(String sourceKey, String parameter, Conversion conversion) {
      Target target = new Target(parameter, conversion);
      Objects.requireNonNull(sourceKey, "sourceKey");
      rules.add(key -> key.equals(sourceKey) ? target : null);
      return this;
    }

    /** Maps every key of {@code table} (source key → parameter name) with the same conversion. */
    public Builder table(Map<String, String> table, Conversion conversion) {
      Objects.requireNonNull(conversion, "conversion");
      Map<String, String> copy = Map.copyOf(table);
      rules.add(key -> {
        String parameter = copy.get(key);
        return parameter == null ? null : new Target(parameter, conversion);
      });
      return this;
    }

    /**
     * Maps keys that match {@code regex} as a whole to {@code replacement}, where {@code $1}, {@code $2} …
     * are the regex's groups ({@link Matcher#appendReplacement} syntax).
     *
     * @throws IllegalArgumentException if the regex does not compile
     */
    public Builder rule(String regex, String replacement, Conversion conversion) {
      Pattern pattern = compile(regex);
      Objects.requireNonNull(replacement, "replacement");
      Objects.requireNonNull(conversion, "conversion");
      rules.add(key -> {
        Matcher m = pattern.matcher(key);
        if (!m.matches()) {
          return null;
        }
        StringBuilder out = new StringBuilder();
        m.appendReplacement(out, replacement);
        return new Target(out.toString(), conversion);
      });
      return this;
    }

    /** A rule as a function: a target, or empty to let later rules decide. */
    public Builder function(Function<String, Optional<Target>> function) {
      Objects.requireNonNull(function, "function");
      rules.add(key -> function.apply(key).orElse(null));
      return this;
    }

    /** Ignores source keys in which {@code regex} is found (e.g. {@code "num_batches_tracked$"}). */
    public Builder ignore(String regex) {
      Pattern pattern = compile(regex);
      rules.add(key -> pattern.matcher(key).find() ? IGNORED : null);
      return this;
    }

    /** Lets parameters whose whole name matches {@code regex} keep their initial values when unmapped. */
    public Builder keepInitial(String regex) {
      keepInitial.add(compile(regex));
      return this;
    }

    /** The mapping. */
    public WeightMapping build() {
      return new WeightMapping(rules, keepInitial);
    }

    private static Pattern compile(String regex) {
      Objects.requireNonNull(regex, "regex");
      try {
        return Pattern.compile(regex);
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new IllegalArgumentException("regex '" + regex + "' does not compile: " + e.getDescription(), e);
      }
    }
  }
}
