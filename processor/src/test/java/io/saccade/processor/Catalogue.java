package io.saccade.processor;

import java.util.regex.Pattern;

/** Which catalogue entry a reported text came from. */
final class Catalogue {

  private Catalogue() {}

  /** Whether {@code text} is {@code message} with some arguments in its slots. */
  static boolean isFrom(Message message, String text) {
    String template = "[saccade:" + message.tag() + "] " + message.problem() + ". " + message.fix();
    StringBuilder regex = new StringBuilder();
    String[] parts = template.split("%s", -1);
    for (int i = 0; i < parts.length; i++) {
      regex.append(Pattern.quote(parts[i]));
      if (i < parts.length - 1) {
        regex.append("(.*)");
      }
    }
    // format() strips a message that ends in an empty hint slot, and ends it with a full stop
    Pattern p = Pattern.compile(regex + "\\.?", Pattern.DOTALL);
    return p.matcher(text).matches() || p.matcher(text + " ").matches();
  }
}
