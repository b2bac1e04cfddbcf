package io.saccade.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Container of repeated {@link Stage} annotations; javac writes it for you when a type carries more
 * than one {@code @Stage}.
 *
 * <pre>{@code
 * @Stage(index = 1, af = false)
 * @Stage(index = 4)                 // javac stores both in @Stages({...})
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Stages {

  /** The stage overrides. */
  Stage[] value();
}
